// Vote burst: M seated, checked-in members each cast a ballot within about a
// second, B bursts in a row, with a share of connections dropped and
// reconnected mid-burst. Measured: acknowledgement latency, the time until
// every client has seen the final tally, votes per second — and, from the
// database, that nothing was lost or doubled.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import { addSeatedMembersTo } from "../../tests/fixtures/bulk";
import { queryRows } from "../../tests/fixtures/database";
import { now, sleep } from "../lib/clock";
import type { Context } from "../lib/context";
import { summarize, type LatencySummary } from "../lib/histogram";
import { ProcSampler, type Window } from "../lib/proc";
import { BENCH_DIR, startTarget } from "../lib/servers";

export type VoteBurstSizes = { members: number; bursts: number; workers: number; windowMs: number; dropFraction: number };
export const VOTE_FULL: VoteBurstSizes = { members: 1000, bursts: 10, workers: 4, windowMs: 1000, dropFraction: 0.05 };
export const VOTE_QUICK: VoteBurstSizes = { members: 60, bursts: 2, workers: 2, windowMs: 1000, dropFraction: 0.05 };

type BurstReply = {
  acks: number[];
  counts: Record<string, number>;
  dropped: number;
  refused: number;
  burstStart: number;
  lastAck: number;
  sawFinal: (number | null)[];
};
export type BurstResult = {
  votes: number;
  seconds: number;
  votesPerSecond: number;
  ackMs: LatencySummary;
  finalTallyMs: LatencySummary;
  dropped: number;
  refused: number;
  missedFinalTally: number;
  stored: Record<string, number>;
  expected: Record<string, number>;
  lostOrDoubled: number;
};
export type VoteBurstResult = {
  sizes: VoteBurstSizes;
  connectSeconds: number;
  bursts: BurstResult[];
  /** One more burst with no pacing and no dropped connections (every member at once): the most votes per second the server takes. */
  flatOut: BurstResult;
  ackMs: LatencySummary;
  finalTallyMs: LatencySummary;
  votesPerSecondMedian: number;
  lostOrDoubled: number;
  server: Window;
};

class VoteWorker {
  private rid = 1;
  private waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  constructor(private readonly child: ChildProcess) {
    child.on("message", (m: { rid: number; ok: boolean; result?: unknown; error?: string }) => {
      const w = this.waiting.get(m.rid);
      if (!w) return;
      this.waiting.delete(m.rid);
      if (m.ok) w.resolve(m.result);
      else w.reject(new Error(m.error));
    });
  }
  static async start(): Promise<VoteWorker> {
    const child = fork(path.join(BENCH_DIR, "vote-worker.ts"), [], { execArgv: ["--import", "tsx"], env: { ...process.env, BENCH_WORKER_MAX_MS: "1800000" } });
    await new Promise<void>((resolve, reject) => {
      child.once("message", () => resolve());
      child.once("exit", (code) => reject(new Error(`vote worker exited with ${code}`)));
    });
    return new VoteWorker(child);
  }
  request<T>(msg: Record<string, unknown>, timeoutMs: number): Promise<T> {
    const rid = this.rid++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`vote worker: no answer to ${String(msg.cmd)} in ${timeoutMs} ms`)), timeoutMs);
      this.waiting.set(rid, { resolve: (v) => (clearTimeout(timer), resolve(v as T)), reject: (e) => (clearTimeout(timer), reject(e)) });
      this.child.send({ ...msg, rid });
    });
  }
  kill() {
    this.child.kill("SIGKILL");
  }
}

function ask(s: Socket, event: string, payload: unknown): Promise<{ ok: boolean; id?: string; error?: string; [k: string]: unknown }> {
  return new Promise((resolve, reject) =>
    s.timeout(30_000).emit(event, payload, (err: Error | null, reply: { ok: boolean }) => (err ? reject(err) : resolve(reply))),
  );
}
async function must(s: Socket, event: string, payload: unknown) {
  const reply = await ask(s, event, payload);
  if (!reply.ok) throw new Error(`${event} refused: ${reply.error}`);
  return reply;
}
const socketFor = (url: string, token: string) =>
  new Promise<Socket>((resolve, reject) => {
    const s = io(url, { path: "/socket.io", transports: ["websocket"], auth: { token }, forceNew: true });
    s.once("connect", () => resolve(s));
    s.once("connect_error", reject);
  });

export async function runVoteBurst(ctx: Context, sizes: VoteBurstSizes): Promise<VoteBurstResult> {
  const members = await addSeatedMembersTo(ctx.databaseUrl.replace(/^file:/, ""), sizes.members, `burst${Date.now()}-`);
  ctx.log(`vote burst: ${sizes.members} members, ${sizes.bursts} bursts within ${sizes.windowMs} ms, ${sizes.dropFraction * 100} % dropped`);
  const server = await startTarget("yishi", { tmpDir: ctx.tmpDir, databaseUrl: ctx.databaseUrl, label: "votes" });
  const sampler = new ProcSampler(server.pid).start();
  const workers: VoteWorker[] = [];
  const sockets: Socket[] = [];
  try {
    const api = async (path: string, body?: unknown) => {
      const res = await fetch(`${server.httpBase}${path}`, {
        method: body ? "POST" : "GET",
        headers: { Authorization: `Bearer ${ctx.tokens.staff}`, "Content-Type": "application/json" },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    // A session of its own, so the burst shares nothing with the other scenarios.
    const session = await api("/api/v1/sessions", { councilId: ctx.setup.councilId, title: "表决压力测试", scheduledAt: "2030-06-01T19:00", mode: "hybrid" });
    const item = await api(`/api/v1/sessions/${session.id}/agenda`, { title: "压力测试议程", text: "逐项表决" });
    const chair = await socketFor(server.httpBase, ctx.tokens.staff!);
    const seconder = await socketFor(server.httpBase, ctx.tokens.grid1!);
    sockets.push(chair, seconder);
    await must(chair, "session:join", { sessionId: session.id });
    await must(chair, "session:open", { sessionId: session.id });
    const checkInToken = new URL((await api(`/api/v1/sessions/${session.id}/check-in-link`)).url as string).searchParams.get("t")!;
    await must(seconder, "session:checkIn", { sessionId: session.id, token: checkInToken });
    await must(chair, "session:openItem", { sessionId: session.id, itemId: item.agendaItemId });

    const connectStart = now();
    for (let i = 0; i < sizes.workers; i++) workers.push(await VoteWorker.start());
    await Promise.all(
      workers.map((w, i) =>
        w.request(
          { cmd: "connect", url: server.httpBase, sessionId: session.id, checkInToken, members: members.filter((_, j) => j % sizes.workers === i) },
          600_000,
        ),
      ),
    );
    const connectSeconds = (now() - connectStart) / 1000;
    ctx.log(`  ${sizes.members} members connected and checked in in ${connectSeconds.toFixed(1)} s`);

    const bursts: BurstResult[] = [];
    const allAcks: number[] = [];
    const allFinal: number[] = [];
    let flatOut!: BurstResult;
    {
      const burst = async (b: number, windowMs: number, dropFraction = sizes.dropFraction): Promise<BurstResult> => {
        const motion = await must(chair, "motion:propose", { sessionId: session.id, agendaItemId: item.agendaItemId, text: `第${b + 1}轮表决` });
        await must(seconder, "motion:second", { motionId: motion.id });
        await must(chair, "vote:open", { motionId: motion.id });
        const replies = await Promise.all(
          workers.map((w, i) =>
            w.request<BurstReply>(
              { cmd: "burst", motionId: motion.id, windowMs, dropFraction, expectedTotal: sizes.members, seed: 7919 * (b + 1) + i },
              120_000,
            ),
          ),
        );
        const start = Math.min(...replies.map((r) => r.burstStart));
        const lastAck = Math.max(...replies.map((r) => r.lastAck));
        const expected: Record<string, number> = { yes: 0, no: 0, abstain: 0 };
        for (const r of replies) for (const [k, v] of Object.entries(r.counts)) expected[k] = (expected[k] ?? 0) + v;
        const seen = replies.flatMap((r) => r.sawFinal);
        const finals = seen.filter((t): t is number => t !== null).map((t) => Math.max(0, t - lastAck));
        const acks = replies.flatMap((r) => r.acks);
        allAcks.push(...acks);
        allFinal.push(...finals);
        await must(chair, "vote:close", { motionId: motion.id });
        // Either database (PostgreSQL counts come back as text).
        const rows = await queryRows<{ choice: string; n: number | string }>(
          ctx.databaseUrl,
          `SELECT "choice", COUNT(*) AS n FROM "Ballot" WHERE "motionId" = $1 GROUP BY "choice"`,
          [motion.id],
        );
        const stored: Record<string, number> = { yes: 0, no: 0, abstain: 0 };
        for (const r of rows) stored[r.choice] = Number(r.n);
        const lostOrDoubled = Object.keys(expected).reduce((n, k) => n + Math.abs((stored[k] ?? 0) - (expected[k] ?? 0)), 0);
        const result: BurstResult = {
          votes: sizes.members,
          seconds: (lastAck - start) / 1000,
          votesPerSecond: sizes.members / ((lastAck - start) / 1000),
          ackMs: summarize(acks),
          finalTallyMs: summarize(finals),
          dropped: replies.reduce((n, r) => n + r.dropped, 0),
          refused: replies.reduce((n, r) => n + r.refused, 0),
          missedFinalTally: seen.filter((t) => t === null).length,
          stored,
          expected,
          lostOrDoubled,
        };
        ctx.log(
          `  burst ${b + 1}${windowMs === 0 ? " (flat out)" : ""}: ${result.votesPerSecond.toFixed(0)} votes/s, ack p50 ${result.ackMs.p50.toFixed(1)} ms p99 ${result.ackMs.p99.toFixed(1)} ms, ` +
            `final tally p99 ${result.finalTallyMs.p99.toFixed(0)} ms, ${result.dropped} dropped, lost or doubled ${lostOrDoubled}`,
        );
        await sleep(200);
        return result;
      };
      for (let b = 0; b < sizes.bursts; b++) bursts.push(await burst(b, sizes.windowMs));
      const flatAcks = allAcks.length;
      const flatFinal = allFinal.length;
      // Everyone at once, no dropped connections: what the server itself can take.
      flatOut = await burst(sizes.bursts, 0, 0);
      // The flat-out burst is reported on its own, not mixed into the paced bursts' latencies.
      allAcks.length = flatAcks;
      allFinal.length = flatFinal;
    }
    const rates = bursts.map((b) => b.votesPerSecond).sort((a, b) => a - b);
    return {
      sizes,
      connectSeconds,
      bursts,
      flatOut,
      ackMs: summarize(allAcks),
      finalTallyMs: summarize(allFinal),
      votesPerSecondMedian: rates[Math.floor(rates.length / 2)] ?? 0,
      lostOrDoubled: bursts.reduce((n, b) => n + b.lostOrDoubled, 0),
      server: sampler.window(0, Number.MAX_SAFE_INTEGER),
    };
  } finally {
    sampler.stop();
    for (const s of sockets) s.disconnect();
    await Promise.allSettled(workers.map((w) => w.request({ cmd: "close" }, 30_000)));
    for (const w of workers) w.kill();
    await server.stop();
  }
}
