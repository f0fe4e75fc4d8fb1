// The resource test of issue 10: the attacks of items 1 (huge Yjs edits, edits
// that depend on missing history), 3 (oversized and many-field bodies before
// sign-in) and 9 (a vote:cast flood, a pixel-bomb PNG) run at once against the
// real production server, while another signed-in person loads the home page
// again and again. Asserted:
//
// - that person's latency, as a ratio to their own idle latency measured in the
//   same run: median at most LATENCY_RATIO × the idle median, and no request over
//   MAX_LATENCY_MS. Generous on purpose: the machine is shared (two CPUs, other
//   test runs beside this one) and this process builds the attacks' 8 MB
//   documents itself; before the limits the same attacks gave medians of
//   seconds and a maximum of 30 s (issue 10), so the bound still separates a
//   server that holds from one that stalls.
// - the server's memory (VmRSS of its process) returns to within RSS_MARGIN_MB of
//   its warmed-up baseline afterwards: what an attack made it hold is let go.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AttackName } from "../bench/lib/yjs-attacks";
import { EVENT_LIMITS } from "../server/realtime/event-limits";
import { connectSocket, openDemoVote, startDemoServer } from "./fixtures/live";
import { png } from "./fixtures/png";
import type { RunningServer } from "./fixtures/server";

const LATENCY_RATIO = 10;
/** A floor under the idle median, so a 2 ms idle page does not make 20 ms a failure: timer and scheduler noise alone is that large here. */
const IDLE_FLOOR_MS = 10;
const MAX_LATENCY_MS = 2000;
const RSS_MARGIN_MB = 100;
const MIN_PROBES = 30;

let server: RunningServer;
let tokens: Record<string, string>;
let ids: Record<string, string>;
let sessionId: string;
let itemIds: string[];
const opened: Socket[] = [];
const probeFailures: number[] = [];

const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.proc.pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

beforeAll(async () => {
  ({ server, tokens, ids, sessionId, itemIds } = await startDemoServer("resource", ["staff", "grid1", "wuye", "yeweihui", "resident1", "resident2"]));
}, 60_000);
afterAll(async () => {
  for (const s of opened) s.disconnect();
  await server?.stop();
});

/** Runs a script in a child process (tsx) and resolves the one message it sends back. */
function inChild<T>(script: string, args: string[]): Promise<T> {
  const child = fork(script, args, { execArgv: ["--import", "tsx"], stdio: "ignore" });
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve(m as T));
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code} before reporting`)));
  });
}

/** One attack of bench/yjs-abuse.ts, in its attacker process; resolves the close codes (or refused upgrades' statuses) it met. */
const yjsAttack = (name: AttackName, url: string, count: number) =>
  inChild<Record<number, number>>("bench/yjs-abuse.ts", ["--attack", name, url, String(count)]);

/** The bystander: resident1 loads the home page (signed in), one request after another. */
async function probe(): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/`, { headers: { Authorization: `Bearer ${tokens.resident1}` }, signal: AbortSignal.timeout(60_000) });
  await res.arrayBuffer();
  // Recorded, not thrown, so that a failing run still reports what it measured (before the limits: 500s during the flood).
  if (res.status !== 200) probeFailures.push(res.status);
  return performance.now() - t0;
}

/** A body of `bytes` sent in 64 KiB chunks as it is asked for (chunked: no Content-Length to refuse it by). */
function streamedBody(bytes: number, chunk: string): ReadableStream<Uint8Array> {
  const piece = new TextEncoder().encode(chunk.repeat(Math.ceil(65_536 / chunk.length)));
  let sentBytes = 0;
  return new ReadableStream({
    pull(controller) {
      if (sentBytes >= bytes) return controller.close();
      sentBytes += piece.length;
      controller.enqueue(piece);
    },
  });
}

/** A request the server is expected to refuse before reading it whole; a reset counts as refused. */
async function refusedBody(path: string, type: string, body: ReadableStream<Uint8Array>): Promise<number> {
  try {
    const res = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { "Content-Type": type },
      body,
      duplex: "half",
      signal: AbortSignal.timeout(30_000),
    } as RequestInit);
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0; // the connection was closed after the refusal
  }
}

describe("resource use under attack", () => {
  it("keeps another person's page fast during the attacks of issue 10 items 1, 3 and 9, and lets the memory go afterwards", { timeout: 90_000 }, async () => {
    // Set up a vote for the flood before measuring anything.
    const chair = await connectSocket(server, tokens.staff!, opened);
    const seconder = await connectSocket(server, tokens.wuye!, opened);
    const motionId = await openDemoVote(chair, seconder, sessionId, itemIds[0]!, [ids.staff!, ids.grid1!, ids.wuye!, ids.yeweihui!, ids.resident1!]);

    // Made before anything is measured: deflating 64 MB of pixels takes this process a while.
    const bomb = png(1, 64_000_000);
    // Warm up (JIT, caches, the database's pages), then the idle latency and memory.
    for (let i = 0; i < 15; i++) await probe();
    const idle: number[] = [];
    for (let i = 0; i < MIN_PROBES; i++) {
      idle.push(await probe());
      await sleep(20);
    }
    const rssBaseline = rssMb();
    const idleMedian = median(idle);

    const docUrl = `${server.url.replace("http", "ws")}/yjs/agenda-item:${itemIds[1]}?token=${tokens.grid1}`;
    const started = performance.now();
    const outcomes: Record<string, unknown> = {};
    const attacks = Promise.all([
      // Item 1: three edits of 7.9 MB each, then twenty 1 MB edits that depend on history the server never got. In a
      // child process (bench/yjs-abuse.ts's attacker), so building 8 MB documents does not stall this process's probe.
      (async () => {
        outcomes.oversize = await yjsAttack("oversize", docUrl, 3);
        outcomes.oversizeDoneAt = Math.round(performance.now() - started);
        outcomes.missingHistory = await yjsAttack("missing-history", docUrl, 20);
        outcomes.yjsDoneAt = Math.round(performance.now() - started);
      })(),
      // Item 3: three 50 MB JSON bodies and two million-field forms, before sign-in.
      (async () => {
        outcomes.bodies = await Promise.all([
          ...Array.from({ length: 3 }, () =>
            refusedBody("/api/v1/auth/token", "application/json", streamedBody(50 * 1024 * 1024, '{"identifier":"x","password":"' + "x".repeat(100))),
          ),
          ...Array.from({ length: 2 }, () => refusedBody("/login", "application/x-www-form-urlencoded", streamedBody(4_000_000, "a=1&"))),
        ]);
        outcomes.bodiesDoneAt = Math.round(performance.now() - started);
      })(),
      // Item 9: 20 000 ballots from one seated member as fast as a client can send them (from a process of its own)…
      (async () => {
        outcomes.flood = await inChild("tests/fixtures/flood-worker.ts", [server.url, tokens.yeweihui!, motionId, "20000"]);
        outcomes.floodDoneAt = Math.round(performance.now() - started);
      })(),
      // …and three pixel bombs (1 × 64 000 000 PNG) as topic photos.
      (async () => {
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) {
          const form = new FormData();
          form.set("title", `像素炸弹 ${i}`);
          form.set("category", "other");
          form.append("photos", bomb);
          const res = await fetch(`${server.url}/api/v1/communities/xingfuli/topics`, {
            method: "POST",
            headers: { Authorization: `Bearer ${tokens.resident2}` },
            body: form,
            signal: AbortSignal.timeout(60_000),
          });
          await res.arrayBuffer();
          statuses.push(res.status);
        }
        outcomes.pixelBombs = statuses;
        outcomes.bombsDoneAt = Math.round(performance.now() - started);
      })(),
    ]);
    let finished = false;
    void attacks.finally(() => (finished = true));
    const during: number[] = [];
    let rssPeak = rssBaseline;
    const slow: string[] = [];
    while (!finished || during.length < MIN_PROBES) {
      const at = performance.now() - started;
      during.push(await probe());
      if (during[during.length - 1]! > 500) slow.push(`${during[during.length - 1]!.toFixed(0)} ms at +${at.toFixed(0)} ms`);
      rssPeak = Math.max(rssPeak, rssMb());
      await sleep(20);
    }
    await attacks;
    const attackMs = performance.now() - started;

    // Memory: given time, the server lets go of what the attacks made it hold.
    let rssAfter = rssMb();
    for (let waited = 0; rssAfter > rssBaseline + RSS_MARGIN_MB && waited < 20_000; waited += 500) {
      await sleep(500);
      await probe(); // a little work lets V8 run its collector
      rssAfter = rssMb();
    }

    const duringMedian = median(during);
    const duringMax = Math.max(...during);
    console.log(
      `[resource] idle: median ${idleMedian.toFixed(1)} ms, max ${Math.max(...idle).toFixed(1)} ms; during ${attackMs.toFixed(0)} ms of attacks: ${during.length} probes, median ${duringMedian.toFixed(1)} ms, max ${duringMax.toFixed(1)} ms; ` +
        `slow: ${slow.join(", ") || "none"}; failed probes: ${JSON.stringify(probeFailures)}; RSS baseline ${rssBaseline.toFixed(0)} MB, peak ${rssPeak.toFixed(0)} MB, after ${rssAfter.toFixed(0)} MB; ${JSON.stringify(outcomes)}`,
    );

    // The bystander got their page every time.
    expect(probeFailures).toEqual([]);
    // The attacks were refused, not served.
    expect((outcomes.pixelBombs as number[]).every((s) => s >= 400 && s < 500)).toBe(true);
    expect((outcomes.bodies as number[]).every((s) => s === 0 || s === 413)).toBe(true);
    // The flood was refused (429) or cut off; acknowledgements in flight when the server ends the
    // connection may never reach the flooder, so either shows, and at most a burst was served.
    const flood = outcomes.flood as { accepted: number; refused429: number; unanswered: number };
    expect(flood.refused429 + flood.unanswered).toBeGreaterThan(0);
    expect(flood.accepted).toBeLessThanOrEqual(EVENT_LIMITS.perConnectionBurst + EVENT_LIMITS.perConnectionPerSecond * 20);
    // The bystander was served within the bounds.
    expect(duringMedian).toBeLessThanOrEqual(LATENCY_RATIO * Math.max(idleMedian, IDLE_FLOOR_MS));
    expect(duringMax).toBeLessThanOrEqual(MAX_LATENCY_MS);
    expect(rssAfter).toBeLessThanOrEqual(rssBaseline + RSS_MARGIN_MB);
    expect(server.proc.exitCode).toBeNull();
  });
});
