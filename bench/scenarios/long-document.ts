// A 100 000-update document (issue 16): how fast it loads, and whether compaction, which folds
// its ~300 KB snapshot again and again as it grows, holds up relaying.
//
// Two agenda items get the same 100 000 single-character keystrokes (bench/setup/long-document.ts):
// one stored as the server stores them (group commits, a compaction every COMPACT_EVERY updates),
// one appended with no compaction at all (the worst case a load can meet: a server that never got
// to compact). Then:
// - server side: PrismaDocumentStore.load plus the Room's apply, timed in a process of its own
//   (the same code Rooms.open runs), wall and CPU time, median of 5;
// - a client's sync: a stock y-websocket client's connect-to-synced against the production build,
//   the document not loaded before (cold), median of 3; the uncompacted one twice: its first load,
//   and the load after the room compacted it in the background;
// - relaying while compaction runs: an editor types into the long document at `rate`/s (a
//   compaction every COMPACT_EVERY updates, each folding the whole long document) and a viewer
//   receives; the same pair on a short document for comparison. Latency is editor to viewer.
import { execFileSync } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import { now, sleep, waitFor } from "../lib/clock";
import { EDITOR_USERS, VIEWER_USERS, type Context } from "../lib/context";
import type { LatencySummary } from "../lib/histogram";
import { ProcSampler } from "../lib/proc";
import type { ClientSpec } from "../lib/protocol";
import { BENCH_DIR, BENCH_METRICS_TOKEN, ROOT, startYishi } from "../lib/servers";
import { WorkerPool } from "../lib/workers";
import { typingWindow } from "./typing";

type ServerLoad = { wallMs: number[]; cpuMs: number[]; rows: number; bytes: number; length: number };
type Relay = { sent: number; received: number; latencyMs: LatencySummary; compactions: number; serverCpuPercent: number };

export type LongDocumentResult = {
  updates: number;
  writeSeconds: number;
  serverLoad: { compacted: ServerLoad; raw: ServerLoad };
  /** connect-to-synced of one stock client, cold (nobody had the document open). */
  clientSyncMs: { compacted: number[]; rawFirst: number; rawAfterCompaction: number };
  relay: { longDocument: Relay; shortDocument: Relay; rate: number; seconds: number };
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function setupScript(args: string[], databaseUrl: string): string {
  return execFileSync(process.execPath, ["--import", "tsx", path.join(BENCH_DIR, "setup/long-document.ts"), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
}

export async function runLongDocument(ctx: Context): Promise<LongDocumentResult> {
  const { updates, rate, seconds } = ctx.sizes.longDocument;
  const { compactedItemId, rawItemId } = ctx.setup.longDocument;
  const compactedName = `agenda-item:${compactedItemId}`;
  const rawName = `agenda-item:${rawItemId}`;
  ctx.log(`long document: ${updates} keystrokes into two documents (one compacted as stored, one never)`);
  const w0 = now();
  setupScript(["write", compactedItemId, rawItemId, String(updates)], ctx.databaseUrl);
  const writeSeconds = (now() - w0) / 1000;
  const timeLoad = (name: string): ServerLoad => JSON.parse(setupScript(["time", name, "5"], ctx.databaseUrl).trim().split("\n").pop()!) as ServerLoad;
  const serverLoad = { compacted: timeLoad(compactedName), raw: timeLoad(rawName) };
  for (const [which, l] of Object.entries(serverLoad))
    ctx.log(
      `  server-side load, ${which}: ${l.rows} rows, ${(l.bytes / 1024).toFixed(0)} KB; wall median ${median(l.wallMs).toFixed(1)} ms, CPU median ${median(l.cpuMs).toFixed(1)} ms`,
    );

  const server = await startYishi({ tmpDir: ctx.tmpDir, databaseUrl: ctx.databaseUrl, label: "long-document" });
  const sampler = new ProcSampler(server.pid).start();
  const pool = await WorkerPool.start(2, 10 * 60_000);
  const db = new Database(ctx.databaseUrl.replace(/^file:/, ""), { readonly: true });
  const compactedTo = (name: string) =>
    (db.prepare(`SELECT "compactedTo" FROM "YDocument" WHERE "name" = ?`).get(name) as { compactedTo: number } | undefined)?.compactedTo;
  const loaded = async () => {
    const res = await fetch(`${server.httpBase}/api/v1/health`, {
      headers: { Authorization: `Bearer ${BENCH_METRICS_TOKEN}` },
      signal: AbortSignal.timeout(10_000),
    });
    return ((await res.json()) as { documentsLoaded: number }).documentsLoaded;
  };
  const spec = (id: string, room: string, role: ClientSpec["role"]): ClientSpec => ({
    id,
    proto: "y-websocket",
    url: server.wsBase,
    room,
    token: ctx.tokens[role === "editor" ? EDITOR_USERS[0] : VIEWER_USERS[0]]!,
    role,
  });
  const coldSync = async (room: string, id: string): Promise<number> => {
    await waitFor("every document to unload", async () => (await loaded()) === 0, 60_000, 100);
    const opened = await pool.open([spec(id, room, "viewer")], { concurrency: 1, timeoutMs: 60_000 });
    if (opened.failed > 0) throw new Error(`could not sync ${room}: ${opened.errors.join("; ")}`);
    await pool.close();
    return opened.ms;
  };
  try {
    // Warm-up on a short document: code paths loaded before anything is timed.
    await coldSync(`agenda-item:${ctx.setup.busy.itemId}`, "warm");
    const compacted: number[] = [];
    for (let i = 0; i < 3; i++) compacted.push(await coldSync(compactedName, `c${i}`));
    const before = compactedTo(rawName);
    const rawFirst = await coldSync(rawName, "r0");
    // The room folded the long tail in the background after loading it.
    await waitFor("the uncompacted document to be compacted", async () => compactedTo(rawName) !== before, 120_000, 200);
    const rawAfterCompaction = await coldSync(rawName, "r1");
    const clientSyncMs = { compacted, rawFirst, rawAfterCompaction };
    ctx.log(
      `  client sync (cold): compacted median ${median(compacted).toFixed(0)} ms; never compacted: first ${rawFirst.toFixed(0)} ms, after the room compacted it ${rawAfterCompaction.toFixed(0)} ms`,
    );

    const relayOn = async (room: string, label: string): Promise<Relay> => {
      const name = room;
      const opened = await pool.open([spec(`${label}-e`, room, "editor"), spec(`${label}-v`, room, "viewer")], { concurrency: 2, timeoutMs: 60_000 });
      if (opened.failed > 0) throw new Error(`relay clients on ${room}: ${opened.errors.join("; ")}`);
      await sleep(500);
      const c0 = compactedTo(name);
      let compactions = 0;
      let last = c0;
      const watch = setInterval(() => {
        const c = compactedTo(name);
        if (c !== last) compactions++;
        last = c;
      }, 100);
      const typing = await typingWindow(pool, { seconds, rate, receiversPerUpdate: 1, room });
      clearInterval(watch);
      await pool.close();
      const window = sampler.window(typing.startAt, typing.endAt);
      return { sent: typing.sent, received: typing.received, latencyMs: typing.latencyMs, compactions, serverCpuPercent: window.cpuPercent };
    };
    const longDocument = await relayOn(compactedName, "long");
    const shortDocument = await relayOn(`agenda-item:${ctx.setup.busy.itemId}`, "short");
    for (const [which, r] of Object.entries({ longDocument, shortDocument }))
      ctx.log(
        `  relaying at ${rate}/s on the ${which === "longDocument" ? "long" : "short"} document: p50 ${r.latencyMs.p50.toFixed(1)} ms, p99 ${r.latencyMs.p99.toFixed(1)} ms, max ${r.latencyMs.max.toFixed(1)} ms; ${r.received}/${r.sent} received; ${r.compactions} compactions seen`,
      );
    return { updates, writeSeconds, serverLoad, clientSyncMs, relay: { longDocument, shortDocument, rate, seconds } };
  } finally {
    db.close();
    sampler.stop();
    await pool.exit().catch(() => {});
    await server.stop();
  }
}
