// Capacity: N sessions with P idle participants each (a participant is what a
// phone with an agenda item open holds: one Yjs connection to the item's
// document and one Socket.IO connection following the session), plus one busy
// session where editors type. Reports server memory per participant and shows
// that every document leaves memory once nobody has it open.
import { readdirSync, renameSync, statSync } from "node:fs";
import path from "node:path";
import { now, sleep, waitFor } from "../lib/clock";
import { EDITOR_USERS, MEMBER_USERS, VIEWER_USERS, type Context } from "../lib/context";
import { INSPECT_ARGS, liveMemory, type LiveMemory } from "../lib/live-heap";
import { ProcSampler, type Window } from "../lib/proc";
import type { ClientSpec, OpenResult } from "../lib/protocol";
import { BENCH_METRICS_TOKEN, startSocketIoFloor, startTarget, startYishi, TARGET_LABEL, type Target } from "../lib/servers";
import { WorkerPool } from "../lib/workers";
import { typingWindow, type TypingResult } from "./typing";

export type Health = { documentsLoaded: number; connections: number };

export type CapacityResult = {
  sessions: number;
  participantsPerSession: number;
  participants: number;
  healthEndpoint: boolean;
  connect: OpenResult;
  /** Wall time of each half, and the server's CPU seconds over both (user + system, all threads). */
  connectYjsMs: number;
  connectSocketIoMs: number;
  connectCpuSeconds: number;
  rssBaselineMb: number;
  /** After every participant's Yjs connection is open, before their Socket.IO connections. */
  rssYjsMb: number;
  rssIdleMb: number;
  kbPerParticipant: number;
  kbPerYjsConnection: number;
  kbPerSocketIoConnection: number;
  /** The same three points as live memory after a full GC (V8 heap in use + external), the steadier figure (bench/lib/live-heap.ts). */
  live: { baseline: LiveMemory; yjs: LiveMemory; idle: LiveMemory; kbPerParticipant: number; kbPerYjsConnection: number; kbPerSocketIoConnection: number };
  healthIdle: Health | null;
  busy: { editors: number; viewers: number; seconds: number; typing: TypingResult; server: Window; healthBusy: Health | null };
  unload: { documentsLoadedAfterClose: number | null; secondsToZero: number | null; connectionsAfterClose: number | null };
  rssAfterUnloadMb: number;
};

async function health(base: string): Promise<Health | null> {
  // 30 s: on a machine loaded 10× over its CPUs a server with 4 000 connections answers slowly, and the run is about memory.
  const res = await fetch(`${base}/api/v1/health`, { headers: { Authorization: `Bearer ${BENCH_METRICS_TOKEN}` }, signal: AbortSignal.timeout(30_000) });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`GET /api/v1/health answered ${res.status}`);
  const body = (await res.json()) as Partial<Health>;
  if (typeof body.documentsLoaded !== "number") throw new Error(`GET /api/v1/health has no documentsLoaded: ${JSON.stringify(body)}`);
  return { documentsLoaded: body.documentsLoaded, connections: body.connections ?? NaN };
}

/**
 * Median RSS over the next `ms` milliseconds, sampled every 250 ms. Each point's is taken right after liveMemory's
 * full GC: otherwise the first GC would shrink the RSS under the next point (a negative delta in a quick run).
 */
async function settledRss(sampler: ProcSampler, ms: number): Promise<number> {
  const from = now();
  await sleep(ms);
  return sampler.window(from, now()).rssMedianMb;
}

export async function runCapacity(ctx: Context): Promise<CapacityResult> {
  const { sessions, participants, busyEditors, busyViewers, busySeconds, rate, workers } = ctx.sizes.capacity;
  const chosen = ctx.setup.capacity.slice(0, sessions);
  if (chosen.length < sessions) throw new Error(`the bench database has ${chosen.length} capacity sessions, ${sessions} wanted`);
  const total = sessions * participants;
  ctx.log(`capacity on Yishi: ${sessions} sessions × ${participants} idle participants (Yjs + Socket.IO each), plus a busy session`);
  // BENCH_HEAP_SNAPSHOTS=<dir>: the server writes a heap snapshot (after a GC) at the baseline, with the
  // Yjs connections open and with both open; compare them with bench/tools/heap-diff.mjs.
  const snapshots = process.env.BENCH_HEAP_SNAPSHOTS;
  const server = await startYishi({
    tmpDir: ctx.tmpDir,
    databaseUrl: ctx.databaseUrl,
    label: "capacity",
    nodeArgs: [...INSPECT_ARGS, ...(snapshots ? ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${snapshots}`] : [])],
  });
  const heapSnapshot = async (name: string) => {
    if (!snapshots) return;
    const before = new Set(readdirSync(snapshots));
    process.kill(server.pid, "SIGUSR2");
    await waitFor(`heap snapshot ${name}`, async () => readdirSync(snapshots).some((f) => !before.has(f) && f.endsWith(".heapsnapshot")), 120_000, 500);
    const file = readdirSync(snapshots).find((f) => !before.has(f) && f.endsWith(".heapsnapshot"))!;
    // The server writes the snapshot synchronously: it answers again once the file is complete.
    await waitFor(
      `the server to answer after heap snapshot ${name}`,
      async () =>
        (await health(server.httpBase).then(
          () => true,
          () => false,
        )) && statSync(path.join(snapshots, file)).size > 0,
      300_000,
      1000,
    );
    renameSync(path.join(snapshots, file), path.join(snapshots, `${name}.heapsnapshot`));
    ctx.log(`  heap snapshot ${name} in ${snapshots}`);
  };
  const sampler = new ProcSampler(server.pid).start();
  const pool = await WorkerPool.start(workers, 30 * 60_000);
  const socketUrl = server.httpBase;
  const idle = (i: number, s: { sessionId: string; itemId: string }): ClientSpec => {
    const token = ctx.tokens[MEMBER_USERS[i % MEMBER_USERS.length]!]!;
    return {
      id: `p${i}`,
      proto: "y-websocket",
      url: server.wsBase,
      room: `agenda-item:${s.itemId}`,
      token,
      role: "idle",
      socketio: { url: socketUrl, token, sessionId: s.sessionId },
    };
  };
  try {
    const initial = await health(server.httpBase);
    const healthEndpoint = initial !== null;
    if (!healthEndpoint) ctx.log("  GET /api/v1/health is missing: the count of loaded documents cannot be observed");

    // Warm-up: one participant comes and goes, so code paths are loaded before the baseline.
    await pool.open([idle(0, chosen[0]!)], { concurrency: 1, timeoutMs: 30_000 });
    await pool.close();
    if (healthEndpoint) await waitFor("the warm-up document to unload", async () => (await health(server.httpBase))?.documentsLoaded === 0, 30_000, 200);
    const liveBaseline = await liveMemory(server.logFile);
    const rssBaselineMb = await settledRss(sampler, 3000);
    await heapSnapshot("0-baseline");

    // Each participant's Yjs connection first, then its Socket.IO connection, so the two costs show apart.
    const order: { i: number; s: { sessionId: string; itemId: string } }[] = [];
    for (let p = 0; p < participants; p++) chosen.forEach((s, i) => order.push({ i: i * participants + p, s }));
    const connectFrom = now();
    const yjsConnect = await pool.open(
      order.map(({ i, s }) => ({ ...idle(i, s), socketio: undefined })),
      { concurrency: 8, timeoutMs: 60_000 },
    );
    if (yjsConnect.failed > 0) throw new Error(`${yjsConnect.failed} participants could not open their document: ${yjsConnect.errors.join("; ")}`);
    await sleep(3000);
    const liveYjs = await liveMemory(server.logFile);
    const rssYjsMb = await settledRss(sampler, 5000);
    await heapSnapshot("1-yjs");
    const healthIdle = await health(server.httpBase);
    const socketConnect = await pool.open(
      order.map(({ i, s }) => ({ ...idle(i, s), id: `s${i}`, proto: "none" as const })),
      { concurrency: 8, timeoutMs: 60_000 },
    );
    if (socketConnect.failed > 0) throw new Error(`${socketConnect.failed} participants could not follow their session: ${socketConnect.errors.join("; ")}`);
    const connectWindow = sampler.window(connectFrom, now());
    // CPU seconds the server spent connecting everyone: steadier than the wall time on a shared machine.
    const connectCpuSeconds = (connectWindow.cpuPercent / 100) * ((now() - connectFrom) / 1000);
    const connect: OpenResult = {
      opened: Math.min(yjsConnect.opened, socketConnect.opened),
      failed: yjsConnect.failed + socketConnect.failed,
      errors: [...yjsConnect.errors, ...socketConnect.errors],
      ms: yjsConnect.ms + socketConnect.ms,
      socketsJoined: socketConnect.socketsJoined,
    };
    ctx.log(
      `  connected ${connect.opened}/${total} participants (${yjsConnect.opened} Yjs, ${connect.socketsJoined} Socket.IO joins) in ${(connect.ms / 1000).toFixed(1)} s ` +
        `(Yjs ${(yjsConnect.ms / 1000).toFixed(1)} s, Socket.IO ${(socketConnect.ms / 1000).toFixed(1)} s); server CPU ${connectCpuSeconds.toFixed(1)} s`,
    );
    await sleep(3000);
    const liveIdle = await liveMemory(server.logFile);
    const rssIdleMb = await settledRss(sampler, 5000);
    await heapSnapshot("2-socketio");
    const kbPerParticipant = ((rssIdleMb - rssBaselineMb) * 1024) / total;
    const kbPerYjsConnection = ((rssYjsMb - rssBaselineMb) * 1024) / total;
    const kbPerSocketIoConnection = ((rssIdleMb - rssYjsMb) * 1024) / total;
    ctx.log(
      `  RSS ${rssBaselineMb.toFixed(1)} → ${rssYjsMb.toFixed(1)} (Yjs) → ${rssIdleMb.toFixed(1)} MB (+ Socket.IO): ${kbPerParticipant.toFixed(1)} KB per participant ` +
        `(${kbPerYjsConnection.toFixed(1)} KB Yjs + ${kbPerSocketIoConnection.toFixed(1)} KB Socket.IO); health ${JSON.stringify(healthIdle)}`,
    );
    const perTotal = (from: LiveMemory, to: LiveMemory) => ((to.totalMb - from.totalMb) * 1024) / total;
    const live = {
      baseline: liveBaseline,
      yjs: liveYjs,
      idle: liveIdle,
      kbPerParticipant: perTotal(liveBaseline, liveIdle),
      kbPerYjsConnection: perTotal(liveBaseline, liveYjs),
      kbPerSocketIoConnection: perTotal(liveYjs, liveIdle),
    };
    ctx.log(
      `  live memory after GC (heap + external) ${liveBaseline.totalMb.toFixed(1)} → ${liveYjs.totalMb.toFixed(1)} → ${liveIdle.totalMb.toFixed(1)} MB: ` +
        `${live.kbPerParticipant.toFixed(1)} KB per participant (${live.kbPerYjsConnection.toFixed(1)} KB Yjs + ${live.kbPerSocketIoConnection.toFixed(1)} KB Socket.IO)`,
    );

    // The busy session, while the idle ones stay connected.
    const busyRoom = `agenda-item:${ctx.setup.busy.itemId}`;
    const busySpecs: ClientSpec[] = [];
    for (let i = 0; i < busyEditors; i++)
      busySpecs.push({
        id: `be${i}`,
        proto: "y-websocket",
        url: server.wsBase,
        room: busyRoom,
        token: ctx.tokens[EDITOR_USERS[i % EDITOR_USERS.length]!],
        role: "editor",
        socketio: { url: socketUrl, token: ctx.tokens[EDITOR_USERS[i % EDITOR_USERS.length]!]!, sessionId: ctx.setup.busy.sessionId },
      });
    for (let i = 0; i < busyViewers; i++)
      busySpecs.push({
        id: `bv${i}`,
        proto: "y-websocket",
        url: server.wsBase,
        room: busyRoom,
        token: ctx.tokens[VIEWER_USERS[i % VIEWER_USERS.length]!],
        role: "viewer",
        socketio: { url: socketUrl, token: ctx.tokens[VIEWER_USERS[i % VIEWER_USERS.length]!]!, sessionId: ctx.setup.busy.sessionId },
      });
    const busyConnect = await pool.open(busySpecs, { concurrency: 4, timeoutMs: 30_000 });
    if (busyConnect.failed > 0) throw new Error(`${busyConnect.failed} busy-session clients could not connect: ${busyConnect.errors.join("; ")}`);
    await sleep(1000);
    const typing = await typingWindow(pool, { seconds: busySeconds, rate, receiversPerUpdate: busySpecs.length - 1, room: busyRoom });
    const busyWindow = sampler.window(typing.startAt, typing.endAt);
    const healthBusy = await health(server.httpBase);
    ctx.log(
      `  busy session: p99 ${typing.latencyMs.p99.toFixed(2)} ms with ${total} idle participants connected; server CPU ${busyWindow.cpuPercent.toFixed(0)} %`,
    );

    // Everyone leaves: the loaded documents must go back to zero.
    await pool.close();
    let unload: CapacityResult["unload"] = { documentsLoadedAfterClose: null, secondsToZero: null, connectionsAfterClose: null };
    if (healthEndpoint) {
      const closedAt = now();
      let last = await health(server.httpBase);
      while (last && last.documentsLoaded > 0 && now() - closedAt < 60_000) {
        await sleep(200);
        last = await health(server.httpBase);
      }
      unload = {
        documentsLoadedAfterClose: last?.documentsLoaded ?? null,
        secondsToZero: last?.documentsLoaded === 0 ? (now() - closedAt) / 1000 : null,
        connectionsAfterClose: last?.connections ?? null,
      };
      ctx.log(
        `  after everyone left: ${unload.documentsLoadedAfterClose} documents loaded${unload.secondsToZero !== null ? ` (zero after ${unload.secondsToZero.toFixed(1)} s)` : ""}`,
      );
    }
    const rssAfterUnloadMb = await settledRss(sampler, 3000);
    return {
      sessions,
      participantsPerSession: participants,
      participants: total,
      healthEndpoint,
      connect,
      connectYjsMs: yjsConnect.ms,
      connectSocketIoMs: socketConnect.ms,
      connectCpuSeconds,
      rssBaselineMb,
      rssYjsMb,
      rssIdleMb,
      kbPerParticipant,
      kbPerYjsConnection,
      kbPerSocketIoConnection,
      live,
      healthIdle,
      busy: { editors: busyEditors, viewers: busyViewers, seconds: busySeconds, typing, server: busyWindow, healthBusy },
      unload,
      rssAfterUnloadMb,
    };
  } finally {
    sampler.stop();
    await pool.exit().catch(() => {});
    await server.stop();
  }
}

/** Idle connections to a bare peer, measured alike (connectIdle). */
type IdleConnections = {
  connections: number;
  connect: OpenResult;
  rssBaselineMb: number;
  rssIdleMb: number;
  kbPerConnection: number;
  /** Live memory after a full GC, per connection (bench/lib/live-heap.ts). */
  liveKbPerConnection: number;
};

export type PeerCapacityResult = IdleConnections & {
  target: Target;
  label: string;
  documents: number;
  documentsLoadedIdle: number | null;
  documentsLoadedAfterClose: number | null;
};

/**
 * The same idle Yjs connections (no Socket.IO: the peers have none) against a
 * peer, for scale: what a Yjs connection costs in a server that does nothing else.
 */
export async function runPeerCapacity(ctx: Context, target: Exclude<Target, "yishi">): Promise<PeerCapacityResult> {
  const { sessions, participants, workers } = ctx.sizes.capacity;
  const chosen = ctx.setup.capacity.slice(0, sessions);
  const total = sessions * participants;
  ctx.log(`capacity on ${TARGET_LABEL[target]}: ${sessions} documents × ${participants} idle Yjs connections`);
  const server = await startTarget(target, { tmpDir: ctx.tmpDir, databaseUrl: ctx.databaseUrl, label: "capacity", nodeArgs: INSPECT_ARGS });
  const sampler = new ProcSampler(server.pid).start();
  const pool = await WorkerPool.start(workers, 30 * 60_000);
  const proto = target === "hocuspocus" ? "hocuspocus" : "y-websocket";
  const spec = (i: number, s: { itemId: string }): ClientSpec => ({ id: `p${i}`, proto, url: server.wsBase, room: `agenda-item:${s.itemId}`, role: "idle" });
  const docs = async (): Promise<number | null> => {
    if (target !== "hocuspocus") return null;
    const res = await fetch(`${server.httpBase}/health`, { signal: AbortSignal.timeout(5000) });
    return ((await res.json()) as { documentsLoaded: number }).documentsLoaded;
  };
  try {
    const { connect, rssBaselineMb, rssIdleMb, liveKbPerConnection } = await connectIdle(pool, sampler, server, participants, chosen, spec);
    const documentsLoadedIdle = await docs();
    await pool.close();
    await sleep(2000);
    const documentsLoadedAfterClose = await docs();
    const kbPerConnection = ((rssIdleMb - rssBaselineMb) * 1024) / total;
    ctx.log(
      `  connected ${connect.opened} in ${(connect.ms / 1000).toFixed(1)} s; RSS ${rssBaselineMb.toFixed(1)} → ${rssIdleMb.toFixed(1)} MB: ${kbPerConnection.toFixed(1)} KB per Yjs connection; live after GC ${liveKbPerConnection.toFixed(1)} KB`,
    );
    return {
      target,
      label: TARGET_LABEL[target],
      documents: sessions,
      connections: total,
      connect,
      rssBaselineMb,
      rssIdleMb,
      kbPerConnection,
      liveKbPerConnection,
      documentsLoadedIdle,
      documentsLoadedAfterClose,
    };
  } finally {
    sampler.stop();
    await pool.exit().catch(() => {});
    await server.stop();
  }
}

export type SocketIoFloorResult = IdleConnections;

/**
 * The Socket.IO half of the capacity scenario against bare socket.io (bench/peers/socketio.mjs): the same
 * clients, workers and concurrency, each connecting and joining its session's room. Its connect time is the
 * floor of that half on this machine, with these clients; its memory is what Socket.IO itself keeps.
 */
export async function runSocketIoFloor(ctx: Context): Promise<SocketIoFloorResult> {
  const { sessions, participants, workers } = ctx.sizes.capacity;
  const chosen = ctx.setup.capacity.slice(0, sessions);
  const total = sessions * participants;
  ctx.log(`capacity on bare socket.io 4.8 (no sign-in, no live state): ${sessions} session rooms × ${participants} joins`);
  const server = await startSocketIoFloor({ tmpDir: ctx.tmpDir, databaseUrl: ctx.databaseUrl, label: "capacity", nodeArgs: INSPECT_ARGS });
  const sampler = new ProcSampler(server.pid).start();
  const pool = await WorkerPool.start(workers, 30 * 60_000);
  const spec = (i: number, s: { sessionId: string }): ClientSpec => ({
    id: `f${i}`,
    proto: "none",
    url: server.wsBase,
    room: "",
    role: "idle",
    socketio: { url: server.httpBase, token: "none", sessionId: s.sessionId },
  });
  try {
    const { connect, rssBaselineMb, rssIdleMb, liveKbPerConnection } = await connectIdle(pool, sampler, server, participants, chosen, spec);
    const kbPerConnection = ((rssIdleMb - rssBaselineMb) * 1024) / total;
    ctx.log(
      `  connected and joined ${connect.opened} in ${(connect.ms / 1000).toFixed(1)} s; RSS ${kbPerConnection.toFixed(1)} KB, live after GC ${liveKbPerConnection.toFixed(1)} KB per connection`,
    );
    await pool.close();
    return { connections: total, connect, rssBaselineMb, rssIdleMb, kbPerConnection, liveKbPerConnection };
  } finally {
    sampler.stop();
    await pool.exit().catch(() => {});
    await server.stop();
  }
}

/**
 * A peer's idle connections, measured alike for every peer: one comes and goes (code paths loaded), then the
 * baseline, then every participant's connection (8 at a time per worker), then the idle figures.
 */
async function connectIdle<S>(
  pool: WorkerPool,
  sampler: ProcSampler,
  server: { logFile: string },
  participants: number,
  chosen: S[],
  spec: (i: number, s: S) => ClientSpec,
): Promise<{ connect: OpenResult; rssBaselineMb: number; rssIdleMb: number; liveKbPerConnection: number }> {
  await pool.open([spec(0, chosen[0]!)], { concurrency: 1, timeoutMs: 30_000 });
  await pool.close();
  await sleep(1000);
  const liveBaseline = await liveMemory(server.logFile);
  const rssBaselineMb = await settledRss(sampler, 3000);
  const specs: ClientSpec[] = [];
  for (let p = 0; p < participants; p++) chosen.forEach((s, i) => specs.push(spec(i * participants + p, s)));
  const connect = await pool.open(specs, { concurrency: 8, timeoutMs: 60_000 });
  if (connect.failed > 0) throw new Error(`${connect.failed} connections failed: ${connect.errors.join("; ")}`);
  await sleep(3000);
  const liveIdle = await liveMemory(server.logFile);
  const rssIdleMb = await settledRss(sampler, 5000);
  return { connect, rssBaselineMb, rssIdleMb, liveKbPerConnection: ((liveIdle.totalMb - liveBaseline.totalMb) * 1024) / specs.length };
}
