// The orchestrator's side of the client workers: separate Node processes
// (child_process.fork), so clients never share an event loop with each other's
// timing or with the orchestrator.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { BENCH_DIR, pinToClientCpus } from "./servers";
import type { ClientSpec, Command, OpenResult, Reply, SentResult, StatsResult, VerifyResult } from "./protocol";

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

export class Worker {
  private rid = 1;
  private readonly pending = new Map<number, Pending>();
  readonly ready: Promise<void>;

  constructor(
    readonly index: number,
    private readonly child: ChildProcess,
  ) {
    this.ready = new Promise((resolve, reject) => {
      const onReady = (m: Reply) => {
        if (m.rid === 0) {
          child.off("message", onReady);
          resolve();
        }
      };
      child.on("message", onReady);
      child.once("exit", (code) => reject(new Error(`worker ${index} exited with ${code} before it was ready`)));
    });
    child.on("message", (m: Reply) => {
      const p = this.pending.get(m.rid);
      if (!p) return;
      this.pending.delete(m.rid);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`worker ${index}: ${m.error}`));
    });
    child.on("exit", (code, signal) => {
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`worker ${index} exited (${code ?? signal})`));
      }
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  request<T>(command: Command, timeoutMs: number): Promise<T> {
    const rid = this.rid++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rid);
        reject(new Error(`worker ${this.index}: no answer to ${command.cmd} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(rid, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.send({ ...command, rid });
    });
  }

  async exit(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    await this.request({ cmd: "exit" }, 10_000).catch(() => this.child.kill("SIGKILL"));
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

export class WorkerPool {
  private constructor(readonly workers: Worker[]) {}

  static async start(count: number, maxLifetimeMs: number): Promise<WorkerPool> {
    const workers = Array.from({ length: count }, (_, i) => {
      const child = fork(path.join(BENCH_DIR, "worker.ts"), [], {
        execArgv: ["--import", "tsx"],
        env: { ...process.env, BENCH_WORKER_MAX_MS: String(maxLifetimeMs) },
        serialization: "advanced",
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      pinToClientCpus(child.pid!);
      return new Worker(i, child);
    });
    await Promise.all(workers.map((w) => w.ready));
    return new WorkerPool(workers);
  }

  /** Deals clients out round-robin, so every worker holds a mix of editors and viewers. */
  deal(specs: ClientSpec[]): ClientSpec[][] {
    const hands: ClientSpec[][] = this.workers.map(() => []);
    specs.forEach((s, i) => hands[i % hands.length]!.push(s));
    return hands;
  }

  async open(specs: ClientSpec[], { concurrency, timeoutMs }: { concurrency: number; timeoutMs: number }): Promise<OpenResult> {
    const hands = this.deal(specs);
    const results = await Promise.all(
      this.workers.map((w, i) =>
        w.request<OpenResult>({ cmd: "open", clients: hands[i]!, concurrency, timeoutMs }, timeoutMs * Math.max(1, hands[i]!.length) + 60_000),
      ),
    );
    return {
      opened: results.reduce((a, r) => a + r.opened, 0),
      failed: results.reduce((a, r) => a + r.failed, 0),
      errors: results.flatMap((r) => r.errors).slice(0, 5),
      ms: Math.max(...results.map((r) => r.ms)),
      socketsJoined: results.reduce((a, r) => a + r.socketsJoined, 0),
    };
  }

  async start(startAt: number, durationMs: number, ratePerSec: number): Promise<SentResult> {
    const results = await Promise.all(this.workers.map((w) => w.request<SentResult>({ cmd: "start", startAt, durationMs, ratePerSec }, durationMs + 60_000)));
    return { sent: Object.assign({}, ...results.map((r) => r.sent)) as Record<string, number> };
  }

  stats(): Promise<StatsResult[]> {
    // A saturated worker answers only after the messages queued before this request: allow for it.
    return Promise.all(this.workers.map((w) => w.request<StatsResult>({ cmd: "stats" }, 180_000)));
  }

  async verify(last: Record<string, number>, room: string): Promise<VerifyResult> {
    const results = await Promise.all(this.workers.map((w) => w.request<VerifyResult>({ cmd: "verify", last, room }, 180_000)));
    return {
      converged: results.reduce((a, r) => a + r.converged, 0),
      total: results.reduce((a, r) => a + r.total, 0),
      example: results.find((r) => r.example)?.example,
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.request({ cmd: "close" }, 60_000)));
  }

  async exit(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.exit()));
  }
}
