// The one scheduler: named jobs that run on a schedule, each due time ONCE across every process
// of a site, surviving restarts. The lease is a row per job (ScheduledJob) taken with a
// conditional update — "due, and nobody holds it, or their lease ran out" — which every SQL
// database serialises the same way, so two processes (or two schedulers in one test) racing for
// a job see exactly one update succeed. Every run is logged (JobRun) for staff to read.
//
// Catch-up: a job's next due time is computed from the time it actually ran, not from the slot
// it missed, so a site that was down for a week runs each job once when it comes back, never once
// per missed slot. Each job is written so that one late run does all the missed work (reminders
// look at every task still lacking its sent-marker; the roll-up fills every month without a
// snapshot): see JOB_POLICIES in jobs.server.ts.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { TFunction } from "i18next";
import type { PrismaClient } from "~/generated/prisma/client";

export type Clock = () => Date;

export type JobContext = { now: Date; db: PrismaClient };

/**
 * What a run did, in no language: a key under `dashboard.jobs.details` and its figures. Stored
 * as JSON in JobRun.detail and put into words when read (jobOverview), in the reader's language.
 */
export type JobDetail = { key: string; values: Record<string, number> };

export type JobDefinition = {
  name: string;
  /** The first due time strictly after `after`. */
  nextDue(after: Date): Date;
  /** Does the job's work and says what it did (the run's log line). Throwing marks the run failed. */
  run(context: JobContext): Promise<string | JobDetail>;
  /** How long a run may hold the job before another process may take it over (a crash). */
  leaseMs?: number;
};

export type SchedulerOptions = {
  db: PrismaClient;
  jobs: JobDefinition[];
  clock?: Clock;
  /** How often to look for due jobs. */
  intervalMs?: number;
  /** Names this scheduler in the lease and the log (defaults to host, pid and a random suffix). */
  id?: string;
  log?: (line: string) => void;
};

const DEFAULT_LEASE_MS = 10 * 60_000;

/** Every `ms`, on the boundaries of `ms` counted from the epoch (hourly jobs run on the hour). */
export function every(ms: number): (after: Date) => Date {
  return (after) => new Date((Math.floor(after.getTime() / ms) + 1) * ms);
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;
/** Once a day at `hour`:00 Beijing time (China has one time zone and no daylight saving). */
export function dailyAtBeijing(hour: number): (after: Date) => Date {
  return (after) => {
    const local = after.getTime() + BEIJING_OFFSET_MS;
    const dayStart = Math.floor(local / 86_400_000) * 86_400_000;
    let next = dayStart + hour * 3_600_000;
    if (next <= local) next += 86_400_000;
    return new Date(next - BEIJING_OFFSET_MS);
  };
}

export type TickResult = { job: string; ok: boolean; detail: string }[];

export class Scheduler {
  readonly id: string;
  private readonly db: PrismaClient;
  private readonly jobs: JobDefinition[];
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly log: (line: string) => void;
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<TickResult> | null = null;
  private registered = false;
  private stopped = false;

  constructor(options: SchedulerOptions) {
    this.db = options.db;
    this.jobs = options.jobs;
    this.clock = options.clock ?? (() => new Date());
    this.intervalMs = options.intervalMs ?? 60_000;
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.log = options.log ?? ((line) => console.log(line));
  }

  /** Checks at once (the catch-up after a restart), then every interval, until stop(). */
  start(): void {
    if (this.timer || this.stopped) return;
    const check = () => {
      if (this.running || this.stopped) return;
      this.running = this.tick()
        .catch((error) => {
          this.log(`[scheduler] check failed: ${error instanceof Error ? error.message : String(error)}`);
          return [];
        })
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(check, this.intervalMs);
    this.timer.unref?.();
    check();
  }

  /** No new runs; waits for a run in progress to finish and log (so shutdown never leaves a half-logged run). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /**
   * A new job's first due time is the next slot after the scheduler first sees it, so adding a
   * job never fires it for the past. Two processes registering at once: the loser of the insert
   * finds the row there, which is what it wanted.
   */
  private async register(now: Date): Promise<void> {
    if (this.registered) return;
    const known = new Set((await this.db.scheduledJob.findMany({ select: { name: true } })).map((j) => j.name));
    for (const job of this.jobs) {
      if (known.has(job.name)) continue;
      try {
        await this.db.scheduledJob.create({ data: { name: job.name, dueAt: job.nextDue(now) } });
      } catch (error) {
        if ((error as { code?: string }).code !== "P2002") throw error;
      }
    }
    this.registered = true;
  }

  /** Runs every job that is due at `now` (the clock's time unless given) and that this scheduler wins. */
  async tick(now: Date = this.clock()): Promise<TickResult> {
    await this.register(now);
    const results: TickResult = [];
    for (const job of this.jobs) {
      // Stopping: finish the job in hand, start no other.
      if (this.stopped) break;
      const result = await this.runIfDue(job, now);
      if (result) results.push(result);
    }
    return results;
  }

  private async runIfDue(job: JobDefinition, now: Date) {
    const leaseMs = job.leaseMs ?? DEFAULT_LEASE_MS;
    // The lease: one conditional update. Whoever changes the row runs the job; everyone else
    // sees count 0 and moves on.
    const { count } = await this.db.scheduledJob.updateMany({
      where: { name: job.name, dueAt: { lte: now }, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
      data: { lockedBy: this.id, lockedUntil: new Date(now.getTime() + leaseMs) },
    });
    if (count !== 1) return null;

    const run = await this.db.jobRun.create({ data: { job: job.name, runner: this.id, startedAt: now }, select: { id: true } });
    let ok = true;
    let detail: string;
    try {
      const outcome = await job.run({ now, db: this.db });
      detail = typeof outcome === "string" ? outcome : JSON.stringify(outcome);
    } catch (error) {
      ok = false;
      detail = error instanceof Error ? error.message : String(error);
    }
    // A failed run is not retried until its next slot: a broken job must not run every minute.
    const finishedAt = new Date(Math.max(this.clock().getTime(), now.getTime()));
    await this.db.jobRun.update({ where: { id: run.id }, data: { finishedAt, ok, detail: detail.slice(0, 2000) } });
    await this.db.scheduledJob.updateMany({
      where: { name: job.name, lockedBy: this.id },
      data: { lastRunAt: now, dueAt: job.nextDue(now), lockedBy: null, lockedUntil: null },
    });
    this.log(`[scheduler] ${job.name} ${ok ? "ran" : "FAILED"}: ${detail}`);
    return { job: job.name, ok, detail };
  }
}

/**
 * A run's stored detail in words: a JobDetail through `dashboard.jobs.details.<key>`; anything
 * else (a failed run's error message, a detail from before details were keyed) as stored.
 */
export function describeJobDetail(detail: string, t: TFunction): string {
  if (!detail.startsWith("{")) return detail;
  try {
    const parsed = JSON.parse(detail) as Partial<JobDetail>;
    if (typeof parsed.key !== "string" || typeof parsed.values !== "object" || parsed.values === null) return detail;
    return t(`dashboard.jobs.details.${parsed.key}`, { ...parsed.values, defaultValue: detail });
  } catch {
    return detail;
  }
}

/** The log for staff: the latest runs, newest first, and each job's next due time; details in the reader's language. */
export async function jobOverview(db: PrismaClient, { limit = 50, t }: { limit?: number; t: TFunction }) {
  const [jobs, runs] = await Promise.all([
    db.scheduledJob.findMany({ orderBy: { name: "asc" } }),
    db.jobRun.findMany({ orderBy: { startedAt: "desc" }, take: limit }),
  ]);
  return {
    jobs: jobs.map((j) => ({ name: j.name, dueAt: j.dueAt.toISOString(), lastRunAt: j.lastRunAt?.toISOString() ?? null, running: j.lockedUntil !== null })),
    runs: runs.map((r) => ({
      id: r.id,
      job: r.job,
      runner: r.runner,
      startedAt: r.startedAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
      ok: r.ok,
      detail: describeJobDetail(r.detail, t),
    })),
  };
}
