// Starting and stopping the servers under test: ours (the production build)
// and the two peers. Every one listens on 127.0.0.1 only.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { now, sleep, waitFor } from "./clock";

/** The bench reads the load figures of /api/v1/health with this (the server refuses one shorter than 16 characters). */
export const BENCH_METRICS_TOKEN = process.env.METRICS_TOKEN ?? "bench-metrics-token";

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = path.resolve(BENCH_DIR, "..");
export const HOST = "127.0.0.1";

export type Target = "yishi" | "y-websocket-server" | "hocuspocus";
export const TARGET_LABEL: Record<Target, string> = {
  yishi: "Yishi (ours)",
  "y-websocket-server": "@y/websocket-server 0.1.1 (stock, no auth, no persistence)",
  hocuspocus: "Hocuspocus 3.4.4 + SQLite (Database extension)",
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  target: Target;
  pid: number;
  port: number;
  /** Where clients connect: ws://127.0.0.1:port[/yjs] */
  wsBase: string;
  httpBase: string;
  startupMs: number;
  logFile: string;
  stop(): Promise<void>;
}

export type StartOptions = {
  tmpDir: string;
  databaseUrl: string;
  label: string;
  /** Extra Node flags for the server (BENCH_HEAP_SNAPSHOTS adds --heapsnapshot-signal for profiling). */
  nodeArgs?: string[];
};

/**
 * The production build the run measures: a copy of build/ taken at the start
 * (inside the repository, so its bare imports resolve to node_modules), so a
 * rebuild elsewhere during a long run cannot swap the files under a server.
 */
export const build = { dir: path.join(ROOT, "build") };

/**
 * CPU pinning: the server under test gets the last CPU to itself (its main
 * thread, libuv pool and GC helpers alike); the load generators and the
 * orchestrator share the others. The same for every server, so none competes
 * with its own clients. Off unless run.ts is given --pin: on a 2-CPU machine
 * it leaves the load generators one CPU, and they, not the server, run out first.
 */
export const pinning = { enabled: false, serverCpus: "", clientCpus: "" };

export function configurePinning(enabled: boolean, nproc: number): void {
  pinning.enabled = enabled && nproc >= 2 && hasTaskset();
  if (!pinning.enabled) return;
  pinning.serverCpus = String(nproc - 1);
  pinning.clientCpus = nproc === 2 ? "0" : `0-${nproc - 2}`;
  pinToClientCpus(process.pid);
}

function hasTaskset(): boolean {
  try {
    execFileSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Moves a running process (all its threads) onto the client CPUs. */
export function pinToClientCpus(pid: number): void {
  if (pinning.enabled) execFileSync("taskset", ["-a", "-c", "-p", pinning.clientCpus, String(pid)], { stdio: "ignore" });
}

// Servers this run started, by process: none may outlive the harness.
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

function launch(command: string, args: string[], env: Record<string, string | undefined>, logFile: string): { child: ChildProcess; tail: string[] } {
  // taskset execs the command, so the pid stays the server's own.
  const [cmd, argv] = pinning.enabled ? ["taskset", ["-c", pinning.serverCpus, command, ...args]] : [command, args];
  const child = spawn(cmd, argv, { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  child.once("exit", () => running.delete(child));
  const log = createWriteStream(logFile);
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    for (const line of chunk.toString().split("\n")) if (line.trim()) tail.push(line);
    if (tail.length > 40) tail.splice(0, tail.length - 40);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("exit", () => log.end());
  return { child, tail };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const deadline = now() + 15_000;
  while (child.exitCode === null && child.signalCode === null && now() < deadline) await Promise.race([exited, sleep(100)]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGKILL");
    await exited;
  }
}

async function started(
  target: Target,
  child: ChildProcess,
  tail: string[],
  port: number,
  ready: () => Promise<boolean>,
  logFile: string,
  wsPath = "",
): Promise<RunningServer> {
  const t0 = now();
  let died = false;
  child.once("exit", () => (died = true));
  try {
    await waitFor(
      `${target} to listen on port ${port}`,
      async () => {
        if (died) throw new Error(`exited early:\n${tail.join("\n")}`);
        return ready();
      },
      60_000,
      100,
    );
  } catch (error) {
    await stopChild(child);
    throw new Error(`${target} did not start: ${(error as Error).message}\n--- last lines of ${logFile} ---\n${tail.join("\n")}`);
  }
  return {
    target,
    pid: child.pid!,
    port,
    wsBase: `ws://${HOST}:${port}${wsPath}`,
    httpBase: `http://${HOST}:${port}`,
    startupMs: now() - t0,
    logFile,
    stop: () => stopChild(child),
  };
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status < 500;
  } catch {
    return false;
  }
}

/** The production build, exactly as `npm start` runs it, on the bench database. */
export async function startYishi(opts: StartOptions): Promise<RunningServer> {
  const port = await freePort();
  const logFile = path.join(opts.tmpDir, `yishi-${opts.label}.log`);
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile of our server, written when it stops (how BENCHMARKS.md's profiles were taken).
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const { child, tail } = launch(
    process.execPath,
    [...profile, ...(opts.nodeArgs ?? []), path.join(build.dir, "server.js")],
    {
      ...process.env,
      YISHI_BUILD_DIR: build.dir,
      NODE_ENV: "production",
      DATABASE_URL: opts.databaseUrl,
      PORT: String(port),
      HOST,
      YISHI_INSECURE_COOKIES: "1",
      SESSION_SECRET: "bench-only-session-secret",
      // The load figures of /api/v1/health are for monitoring only (docs/security.md).
      METRICS_TOKEN: BENCH_METRICS_TOKEN,
      // The bench mints tokens for hundreds of users from one address and measures load, not limits.
      YISHI_RATE_LIMITS: "off",
    },
    logFile,
  );
  return started("yishi", child, tail, port, () => httpOk(`http://${HOST}:${port}/login`), logFile, "/yjs");
}

/** The stock server through its own bin (node_modules/@y/websocket-server/src/server.js). */
export async function startStockYws(opts: StartOptions): Promise<RunningServer> {
  const port = await freePort();
  const logFile = path.join(opts.tmpDir, `y-websocket-server-${opts.label}.log`);
  const bin = path.join(ROOT, "node_modules/@y/websocket-server/src/server.js");
  const env: Record<string, string | undefined> = { ...process.env, HOST, PORT: String(port) };
  delete env.YPERSISTENCE; // stock default: no persistence
  const { child, tail } = launch(process.execPath, [...(opts.nodeArgs ?? []), bin], env, logFile);
  return started("y-websocket-server", child, tail, port, () => httpOk(`http://${HOST}:${port}/`), logFile, "/yjs");
}

/** Hocuspocus 3.4 with SQLite persistence: bench/peers/hocuspocus.mjs. */
export async function startHocuspocus(opts: StartOptions): Promise<RunningServer> {
  const port = await freePort();
  const logFile = path.join(opts.tmpDir, `hocuspocus-${opts.label}.log`);
  const { child, tail } = launch(
    process.execPath,
    [...(opts.nodeArgs ?? []), path.join(BENCH_DIR, "peers/hocuspocus.mjs")],
    { ...process.env, HOST, PORT: String(port), HOCUSPOCUS_DB: path.join(opts.tmpDir, `hocuspocus-${opts.label}.sqlite`) },
    logFile,
  );
  return started("hocuspocus", child, tail, port, () => httpOk(`http://${HOST}:${port}/health`), logFile);
}

/** A bare socket.io server (bench/peers/socketio.mjs): the floor under the capacity scenario's Socket.IO half. */
export async function startSocketIoFloor(opts: StartOptions): Promise<RunningServer> {
  const port = await freePort();
  const logFile = path.join(opts.tmpDir, `socketio-floor-${opts.label}.log`);
  const { child, tail } = launch(
    process.execPath,
    [...(opts.nodeArgs ?? []), path.join(BENCH_DIR, "peers/socketio.mjs")],
    { ...process.env, HOST, PORT: String(port) },
    logFile,
  );
  // Not one of the fan-out targets: labelled as the stock server only for started()'s messages.
  return started("y-websocket-server", child, tail, port, () => httpOk(`http://${HOST}:${port}/`), logFile);
}

export function startTarget(target: Target, opts: StartOptions): Promise<RunningServer> {
  switch (target) {
    case "yishi":
      return startYishi(opts);
    case "y-websocket-server":
      return startStockYws(opts);
    case "hocuspocus":
      return startHocuspocus(opts);
  }
}
