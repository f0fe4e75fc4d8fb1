// One timed typing window over clients that are already connected: editors
// type at a fixed rate for a fixed time and stop by themselves; then the
// orchestrator waits (bounded) for the last updates to arrive and checks that
// every client converged on every editor's last keystroke.
import { now, sleep } from "../lib/clock";
import { Histogram, type HistogramData, type LatencySummary } from "../lib/histogram";
import type { WorkerPool } from "../lib/workers";

export type TypingResult = {
  startAt: number;
  endAt: number;
  editorsTyping: number;
  sent: number;
  expected: number;
  received: number;
  delivered: number;
  latencyMs: LatencySummary;
  histogram: HistogramData;
  converged: number;
  clients: number;
  notConvergedExample?: string;
  disconnects: number;
  permissionDeniedWarnings: number;
  clientEventLoopDelayMs: { p99: number; max: number };
  clientCpuPercent: number;
  drainMs: number;
};

const DRAIN_LIMIT_MS = 15_000;

export async function typingWindow(pool: WorkerPool, opts: { seconds: number; rate: number; receiversPerUpdate: number; room: string }): Promise<TypingResult> {
  const before = await pool.stats();
  const startAt = now() + 1000;
  const durationMs = opts.seconds * 1000;
  const { sent } = await pool.start(startAt, durationMs, opts.rate);
  const endAt = startAt + durationMs;
  const totalSent = Object.values(sent).reduce((a, b) => a + b, 0);
  const expected = totalSent * opts.receiversPerUpdate;

  // Wait (bounded) for the last updates. Every receipt is usually observed on its own, but Yjs may apply
  // two updates in one transaction (one waited for a missing dependency), merging their map events:
  // so stop early too once every client holds every editor's last keystroke.
  const drainStart = now();
  let after = await pool.stats();
  let lastVerify = now();
  while (after.reduce((a, s) => a + s.received, 0) < expected && now() - drainStart < DRAIN_LIMIT_MS) {
    await sleep(250);
    after = await pool.stats();
    if (now() - lastVerify > 1000) {
      lastVerify = now();
      const v = await pool.verify(sent, opts.room);
      if (v.converged === v.total) {
        after = await pool.stats();
        break;
      }
    }
  }
  const drainMs = now() - drainStart;
  const received = after.reduce((a, s) => a + s.received, 0);
  const histogram = new Histogram();
  for (const s of after) histogram.merge(s.histogram);
  const verify = await pool.verify(sent, opts.room);
  const cpuBefore = before.reduce((a, s) => a + s.cpuSeconds, 0);
  const cpuAfter = after.reduce((a, s) => a + s.cpuSeconds, 0);
  return {
    startAt,
    endAt,
    editorsTyping: Object.keys(sent).length,
    sent: totalSent,
    expected,
    received,
    delivered: expected ? received / expected : NaN,
    latencyMs: histogram.summary(),
    histogram: histogram.toData(),
    converged: verify.converged,
    clients: verify.total,
    notConvergedExample: verify.example,
    disconnects: after.reduce((a, s) => a + s.disconnects, 0) - before.reduce((a, s) => a + s.disconnects, 0),
    permissionDeniedWarnings: after.reduce((a, s) => a + s.permissionDeniedWarnings, 0),
    clientEventLoopDelayMs: { p99: Math.max(...after.map((s) => s.eventLoopDelayMs.p99)), max: Math.max(...after.map((s) => s.eventLoopDelayMs.max)) },
    clientCpuPercent: ((cpuAfter - cpuBefore) / ((now() - startAt) / 1000)) * 100,
    drainMs,
  };
}
