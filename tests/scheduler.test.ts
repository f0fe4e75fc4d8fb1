// The scheduler: each due time of a job runs once even with two schedulers on their own
// connections to one database (two processes), a restart after downtime catches up once, a
// failed run is logged and not retried every minute, stop() waits for the run in hand.
import { beforeEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { Scheduler, dailyAtBeijing, every, type JobDefinition } from "~/models/scheduler.server";
import { prisma } from "~/utils/db.server";
import { raceJobs } from "./fixtures/scheduler-worker-jobs";

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const quiet = () => {};

/** A job that counts its runs in the database (so runs on either connection are seen) and can be slow. */
function countingJob(name: string, schedule = every(HOUR), delayMs = 0): JobDefinition {
  return {
    name,
    nextDue: schedule,
    async run({ db, now }) {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      await db.jobRun.count(); // touch the database from the job's own connection
      return `ran for ${now.toISOString()}`;
    },
  };
}
const runsOf = (job: string) => prisma.jobRun.findMany({ where: { job }, orderBy: { startedAt: "asc" } });

beforeEach(async () => {
  await prisma.jobRun.deleteMany();
  await prisma.scheduledJob.deleteMany();
});

describe("schedules", () => {
  it("every hour is on the hour; daily is at the Beijing hour", () => {
    expect(every(HOUR)(at("2026-12-01T10:00:00Z")).toISOString()).toBe("2026-12-01T11:00:00.000Z");
    expect(every(HOUR)(at("2026-12-01T10:59:59Z")).toISOString()).toBe("2026-12-01T11:00:00.000Z");
    // 02:00 Beijing is 18:00 UTC the day before.
    expect(dailyAtBeijing(2)(at("2026-12-01T17:59:00Z")).toISOString()).toBe("2026-12-01T18:00:00.000Z");
    expect(dailyAtBeijing(2)(at("2026-12-01T18:00:00Z")).toISOString()).toBe("2026-12-02T18:00:00.000Z");
  });
});

describe("exactly once", () => {
  it("a new job is not fired for the past: its first due time is the next slot", async () => {
    const s = new Scheduler({ db: prisma, jobs: [countingJob("a")], log: quiet });
    expect(await s.tick(at("2026-12-01T10:30:00Z"))).toEqual([]);
    expect((await prisma.scheduledJob.findUniqueOrThrow({ where: { name: "a" } })).dueAt.toISOString()).toBe("2026-12-01T11:00:00.000Z");
    expect((await s.tick(at("2026-12-01T11:00:00Z"))).map((r) => r.job)).toEqual(["a"]);
    expect(await s.tick(at("2026-12-01T11:30:00Z"))).toEqual([]);
    expect(await runsOf("a")).toHaveLength(1);
  });

  it("two processes racing for the same due times: each slot of each job runs once", async () => {
    const names = ["race", "race2", "race3"];
    const jobs = raceJobs(names);
    const here = new Scheduler({ db: prisma, jobs, id: "here", log: quiet });
    // Registered before either races, so the first due time is 10:00 for both.
    await here.tick(at("2026-12-01T09:10:00Z"));
    const worker = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/scheduler-worker.ts", "there", "10", "21"], {
      env: process.env,
      stdio: ["pipe", "pipe", "inherit"],
    });
    let out = "";
    const finished = new Promise<number | null>((resolve) => worker.once("exit", resolve));
    await new Promise<void>((resolve) =>
      worker.stdout!.on("data", (d) => {
        out += String(d);
        if (out.includes("ready")) resolve();
      }),
    );
    worker.stdin!.write("go\n");
    let mine = 0;
    for (let h = 10; h <= 21; h++) {
      const now = new Date(Date.UTC(2026, 11, 1, h));
      for (let i = 0; i < 3; i++) mine += (await here.tick(now)).length;
      // Give the other process a moment each hour, so the two really do race for the leases.
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await finished).toBe(0);
    const theirs = Number(/done (\d+)/.exec(out)![1]);
    expect(mine + theirs).toBe(names.length * 12);
    for (const name of names) {
      const runs = await runsOf(name);
      expect(runs.map((r) => r.startedAt.getUTCHours())).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]);
      expect(runs.every((r) => r.ok === true && r.finishedAt !== null)).toBe(true);
    }
  });

  it("a lease held by a live run keeps the other scheduler out; a crashed holder's lease runs out", async () => {
    const job = { ...countingJob("lease"), leaseMs: 5 * 60_000 };
    const one = new Scheduler({ db: prisma, jobs: [job], id: "one", log: quiet });
    const two = new Scheduler({ db: prisma, jobs: [job], id: "two", log: quiet });
    await one.tick(at("2026-12-01T09:30:00Z"));
    // A process took the job at 10:00 and died before finishing: the row still names it.
    await prisma.scheduledJob.update({ where: { name: "lease" }, data: { lockedBy: "dead", lockedUntil: at("2026-12-01T10:05:00Z") } });
    expect(await two.tick(at("2026-12-01T10:01:00Z"))).toEqual([]);
    expect(await one.tick(at("2026-12-01T10:04:59Z"))).toEqual([]);
    const taken = await two.tick(at("2026-12-01T10:05:00Z"));
    expect(taken.map((r) => r.job)).toEqual(["lease"]);
    const row = await prisma.scheduledJob.findUniqueOrThrow({ where: { name: "lease" } });
    expect(row.lockedBy).toBeNull();
    expect(row.dueAt.toISOString()).toBe("2026-12-01T11:00:00.000Z");
  });
});

describe("restarts and downtime", () => {
  it("after three days down, a restarted scheduler runs each job once, then keeps its rhythm", async () => {
    const jobs = [countingJob("hourly"), countingJob("daily", dailyAtBeijing(2))];
    const before = new Scheduler({ db: prisma, jobs, id: "before", log: quiet });
    await before.tick(at("2026-12-01T09:30:00Z"));
    await before.tick(at("2026-12-01T10:00:00Z"));
    await before.stop();
    // Down from 10:00 on the 1st until 12:20 on the 4th; a new process with a new id starts.
    let clock = at("2026-12-04T12:20:00Z");
    const after = new Scheduler({ db: prisma, jobs, id: "after", clock: () => clock, log: quiet });
    const caughtUp = await after.tick();
    expect(caughtUp.map((r) => r.job).sort()).toEqual(["daily", "hourly"]);
    expect(await after.tick()).toEqual([]);
    expect(await runsOf("hourly")).toHaveLength(2);
    expect(await runsOf("daily")).toHaveLength(1);
    expect((await prisma.scheduledJob.findUniqueOrThrow({ where: { name: "hourly" } })).dueAt.toISOString()).toBe("2026-12-04T13:00:00.000Z");
    expect((await prisma.scheduledJob.findUniqueOrThrow({ where: { name: "daily" } })).dueAt.toISOString()).toBe("2026-12-04T18:00:00.000Z");
    clock = at("2026-12-04T13:00:00Z");
    expect((await after.tick()).map((r) => r.job)).toEqual(["hourly"]);
  });

  it("a failing job is logged as failed with its reason, and waits for its next slot", async () => {
    const failing: JobDefinition = {
      name: "failing",
      nextDue: every(HOUR),
      run: async () => {
        throw new Error("the database was busy");
      },
    };
    const s = new Scheduler({ db: prisma, jobs: [failing], log: quiet });
    await s.tick(at("2026-12-01T09:30:00Z"));
    expect(await s.tick(at("2026-12-01T10:00:00Z"))).toEqual([{ job: "failing", ok: false, detail: "the database was busy" }]);
    expect(await s.tick(at("2026-12-01T10:01:00Z"))).toEqual([]);
    const [run] = await runsOf("failing");
    expect(run).toMatchObject({ ok: false, detail: "the database was busy" });
  });

  it("start() checks at once and stop() waits for the run in hand to be logged", async () => {
    let clock = at("2026-12-01T09:30:00Z");
    const slow = countingJob("slow", every(HOUR), 200);
    const first = new Scheduler({ db: prisma, jobs: [slow], clock: () => clock, log: quiet });
    await first.tick();
    clock = at("2026-12-01T10:00:00Z");
    const s = new Scheduler({ db: prisma, jobs: [slow], clock: () => clock, intervalMs: 3_600_000, log: quiet });
    s.start();
    await new Promise((r) => setTimeout(r, 50));
    await s.stop();
    const runs = await runsOf("slow");
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ ok: true });
    expect(runs[0]!.finishedAt).not.toBeNull();
    expect((await prisma.scheduledJob.findUniqueOrThrow({ where: { name: "slow" } })).lockedBy).toBeNull();
  });
});
