// Edit fan-out: E editors typing R updates/s each and V read-only viewers on
// one agenda item for S seconds, against Yishi and, in the same run, the two
// peers. Every server gets the same clients, the same document and the same load.
import { sleep } from "../lib/clock";
import { EDITOR_USERS, VIEWER_USERS, type Context } from "../lib/context";
import { Histogram, type LatencySummary } from "../lib/histogram";
import { prime, storedState } from "../lib/prime";
import { ProcSampler, type Window } from "../lib/proc";
import type { ClientSpec, OpenResult } from "../lib/protocol";
import { startTarget, TARGET_LABEL, type Target } from "../lib/servers";
import { WorkerPool } from "../lib/workers";
import { typingWindow, type TypingResult } from "./typing";

/** One timed run of one server at one rate. */
export type FanoutRound = {
  round: number;
  itemId: string;
  seconds: number;
  serverStartupMs: number;
  connect: OpenResult;
  typing: TypingResult;
  server: Window & { rssBeforeConnectMb: number; rssConnectedMb: number };
  /** The load generator could not keep up: not every update arrived within the drain time, or the clients' event loops lagged. */
  saturated: boolean;
  /** "light": the viewers were LightViewers (bench/worker.ts), which count and timestamp updates without applying them. */
  viewerClient: "stock" | "light";
};

/** A server at one rate, its rounds merged: every latency sample of every round in one histogram. */
export type FanoutResult = {
  target: Target;
  label: string;
  editors: number;
  viewers: number;
  seconds: number;
  ratePerEditor: number;
  viewerClient: "stock" | "light";
  rounds: FanoutRound[];
  connect: OpenResult;
  typing: Omit<TypingResult, "histogram" | "startAt" | "endAt" | "notConvergedExample"> & { notConvergedExample?: string };
  latencyMs: LatencySummary;
  server: { cpuPercent: number; cpuPeakPercent: number; rssPeakMb: number; rssBeforeConnectMb: number; rssConnectedMb: number };
  saturated: boolean;
};

/** Whether viewers at this rate are light clients: only for y-websocket servers (Hocuspocus speaks its own protocol). */
export function lightViewersAt(ctx: Context, rate: number): boolean {
  return ctx.sizes.fanout.lightRates.includes(rate);
}

export function fanoutClients(target: Target, wsBase: string, ctx: Context, room: string, editors: number, viewers: number, light = false): ClientSpec[] {
  const proto = target === "hocuspocus" ? "hocuspocus" : "y-websocket";
  if (light && target === "hocuspocus") throw new Error("the light viewer speaks y-websocket's protocol, not Hocuspocus's");
  const viewerProto = light ? "y-websocket-light" : proto;
  const specs: ClientSpec[] = [];
  for (let i = 0; i < editors; i++) {
    specs.push({ id: `e${i}`, proto, url: wsBase, room, token: ctx.tokens[EDITOR_USERS[i % EDITOR_USERS.length]!], role: "editor" });
  }
  for (let i = 0; i < viewers; i++) {
    specs.push({ id: `v${i}`, proto: viewerProto, url: wsBase, room, token: ctx.tokens[VIEWER_USERS[i % VIEWER_USERS.length]!], role: "viewer" });
  }
  // Editors spread evenly over the list, so each worker gets its share of both.
  return specs.sort((a, b) => (a.role === b.role ? 0 : a.role === "editor" ? -1 : 1));
}

export async function runFanoutRound(ctx: Context, target: Target, rate: number, round: number): Promise<FanoutRound> {
  const { editors, viewers, workers, rounds } = ctx.sizes.fanout;
  const seconds = ctx.sizes.fanout.seconds / rounds;
  const item = ctx.setup.fanout.items[round % ctx.setup.fanout.items.length]!;
  const room = `agenda-item:${item.itemId}`;
  const light = lightViewersAt(ctx, rate);
  ctx.log(
    `fan-out round ${round + 1}/${rounds} on ${TARGET_LABEL[target]}: ${editors} editors × ${rate}/s, ${viewers} ${light ? "light " : ""}viewers, ${seconds} s`,
  );
  const server = await startTarget(target, { tmpDir: ctx.tmpDir, databaseUrl: ctx.databaseUrl, label: "fanout" });
  const sampler = new ProcSampler(server.pid).start();
  const pool = await WorkerPool.start(workers, (seconds + 600) * 1000);
  try {
    // The document as Yishi has it now (earlier rounds typed into it), not only its first state: both start equal.
    if (target !== "yishi") await prime(server, room, (await storedState(ctx.databaseUrl, room)) ?? Buffer.from(item.initialUpdate, "base64"));
    await sleep(500);
    const rssBeforeConnect = sampler.sample()?.rssKb ?? NaN;
    const connect = await pool.open(fanoutClients(target, server.wsBase, ctx, room, editors, viewers, light), { concurrency: 10, timeoutMs: 30_000 });
    ctx.log(
      `  connected ${connect.opened}/${editors + viewers} clients in ${(connect.ms / 1000).toFixed(1)} s${connect.failed ? `; failures: ${connect.errors.join("; ")}` : ""}`,
    );
    if (connect.failed > 0) throw new Error(`${connect.failed} clients could not connect to ${target}: ${connect.errors.join("; ")}`);
    await sleep(2000); // let the join-time awareness exchange settle
    const rssConnected = sampler.sample()?.rssKb ?? NaN;
    const typing = await typingWindow(pool, { seconds, rate, receiversPerUpdate: connect.opened - 1, room });
    const window = sampler.window(typing.startAt, typing.endAt);
    ctx.log(
      `  p50 ${typing.latencyMs.p50.toFixed(2)} ms, p95 ${typing.latencyMs.p95.toFixed(2)} ms, p99 ${typing.latencyMs.p99.toFixed(2)} ms; ` +
        `delivered ${(typing.delivered * 100).toFixed(2)} %; server CPU ${window.cpuPercent.toFixed(0)} %, RSS ${window.rssPeakMb.toFixed(0)} MB`,
    );
    return {
      round,
      itemId: item.itemId,
      seconds,
      serverStartupMs: server.startupMs,
      connect,
      typing,
      server: { ...window, rssBeforeConnectMb: rssBeforeConnect / 1024, rssConnectedMb: rssConnected / 1024 },
      saturated: typing.received < typing.expected * 0.999 || typing.clientEventLoopDelayMs.p99 > 100,
      viewerClient: light ? "light" : "stock",
    };
  } finally {
    sampler.stop();
    await pool.exit().catch(() => {});
    await server.stop();
  }
}

export function mergeRounds(ctx: Context, target: Target, rate: number, rounds: FanoutRound[]): FanoutResult {
  const { editors, viewers } = ctx.sizes.fanout;
  const histogram = new Histogram();
  for (const r of rounds) histogram.merge(r.typing.histogram);
  const sum = (f: (r: FanoutRound) => number) => rounds.reduce((a, r) => a + f(r), 0);
  const max = (f: (r: FanoutRound) => number) => Math.max(...rounds.map(f));
  const mean = (f: (r: FanoutRound) => number) => sum(f) / rounds.length;
  const expected = sum((r) => r.typing.expected);
  const received = sum((r) => r.typing.received);
  return {
    target,
    label: TARGET_LABEL[target],
    editors,
    viewers,
    seconds: sum((r) => r.seconds),
    ratePerEditor: rate,
    viewerClient: rounds[0]!.viewerClient,
    rounds,
    connect: {
      opened: Math.min(...rounds.map((r) => r.connect.opened)),
      failed: sum((r) => r.connect.failed),
      errors: rounds.flatMap((r) => r.connect.errors).slice(0, 5),
      ms: max((r) => r.connect.ms),
      socketsJoined: 0,
    },
    typing: {
      editorsTyping: Math.min(...rounds.map((r) => r.typing.editorsTyping)),
      sent: sum((r) => r.typing.sent),
      expected,
      received,
      delivered: expected ? received / expected : NaN,
      latencyMs: histogram.summary(),
      converged: sum((r) => r.typing.converged),
      clients: sum((r) => r.typing.clients),
      notConvergedExample: rounds.find((r) => r.typing.notConvergedExample)?.typing.notConvergedExample,
      disconnects: sum((r) => r.typing.disconnects),
      permissionDeniedWarnings: sum((r) => r.typing.permissionDeniedWarnings),
      clientEventLoopDelayMs: { p99: max((r) => r.typing.clientEventLoopDelayMs.p99), max: max((r) => r.typing.clientEventLoopDelayMs.max) },
      clientCpuPercent: mean((r) => r.typing.clientCpuPercent),
      drainMs: max((r) => r.typing.drainMs),
    },
    latencyMs: histogram.summary(),
    server: {
      cpuPercent: mean((r) => r.server.cpuPercent),
      cpuPeakPercent: max((r) => r.server.cpuPeakPercent),
      rssPeakMb: max((r) => r.server.rssPeakMb),
      rssBeforeConnectMb: mean((r) => r.server.rssBeforeConnectMb),
      rssConnectedMb: mean((r) => r.server.rssConnectedMb),
    },
    saturated: rounds.some((r) => r.saturated),
  };
}
