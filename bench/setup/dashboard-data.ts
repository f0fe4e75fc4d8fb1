// The dashboard benchmark, in one process on its own database (run under tsx with
// DATABASE_URL=file:<tmp>/dashboard.db): migrations, then a community of `topics` topics
// and `tasks` tasks over one year (steps, submissions, send-backs, verdicts with ratings)
// written straight with better-sqlite3, then the dashboard's query-and-count and the
// SVG render of its charts, `reps` times each after a warm-up.
//
//   tsx bench/setup/dashboard-data.ts <out.json> <topics> <tasks> <reps>
import { writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { renderChart } from "~/models/charts.server";
import { communityDashboard } from "~/models/dashboard.server";
import { figuresOf, yearPeriod } from "~/models/metrics";
import { figuresFor, loadMetricInput, rollUpMonths } from "~/models/metrics.server";
import { sqlitePath } from "~/utils/database-url.server";
import { prisma } from "~/utils/db.server";
import { loadActor } from "~/utils/permissions.server";
import { migrate } from "../../server/migrate";
import { prng } from "../../tests/fixtures/prng";

const [out, topicsArg, tasksArg, repsArg] = process.argv.slice(2);
if (!out) throw new Error("usage: dashboard-data.ts <out.json> <topics> <tasks> <reps>");
const TOPICS = Number(topicsArg ?? 10_000);
const TASKS = Number(tasksArg ?? 5_000);
const REPS = Number(repsArg ?? 20);

migrate();
const random = prng(2026).next;
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const YEAR = yearPeriod(2026);
const SPAN = YEAR.to.getTime() - YEAR.from.getTime();
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const CATEGORIES = ["parking", "greenery", "sanitation", "facilities", "safety", "dispute", "other"];
/** The bench's "now": the last day of the year (nothing is written after it: a row from the future would make every roll-up stale). */
const NOW = YEAR.to.getTime() - DAY;
/** A moment, or null when it would come after now (the same random draws either way, so the data set stays the same). */
const past = (ms: number) => (ms < NOW ? ms : null);

const generatedAt = Date.now();
const db = new Database(sqlitePath(), { timeout: 10_000 });
db.pragma("journal_mode = WAL");
db.transaction(() => {
  const now = iso(Date.now());
  db.prepare(`INSERT INTO "Community" (id, slug, name, createdAt) VALUES ('bc', 'bench', '基准社区', ?)`).run(now);
  for (const [i, c] of CATEGORIES.entries())
    db.prepare(`INSERT INTO "TopicCategory" (id, communityId, key, nameZh, nameEn, position) VALUES (?, 'bc', ?, ?, ?, ?)`).run(`cat${i}`, c, c, c, i);
  for (let g = 0; g < 27; g++) db.prepare(`INSERT INTO "Grid" (id, communityId, name, code) VALUES (?, 'bc', ?, ?)`).run(`g${g}`, `第${g + 1}网格`, String(g));
  for (let o = 0; o < 4; o++)
    db.prepare(`INSERT INTO "Organization" (id, communityId, kind, name) VALUES (?, 'bc', 'propertyCompany', ?)`).run(`o${o}`, `物业${o + 1}`);
  for (let u = 0; u < 50; u++)
    db.prepare(`INSERT INTO "User" (id, username, displayName, passwordHash, locale, createdAt) VALUES (?, ?, ?, 'x', 'zh-CN', ?)`).run(
      `u${u}`,
      `bench${u}`,
      `居民${u}`,
      now,
    );
  db.prepare(`INSERT INTO "Membership" (id, userId, communityId, role, createdAt) VALUES ('m0', 'u0', 'bc', 'communityStaff', ?)`).run(now);

  const topic = db.prepare(
    `INSERT INTO "Topic" (id, communityId, title, category, status, raisedById, gridId, createdAt, updatedAt) VALUES (?, 'bc', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const step = db.prepare(`INSERT INTO "TopicEvent" (id, topicId, type, createdAt) VALUES (?, ?, ?, ?)`);
  for (let i = 0; i < TOPICS; i++) {
    const at = Math.min(YEAR.from.getTime() + random() * SPAN, NOW - 1);
    const id = `t${i}`;
    topic.run(id, `议题${i}`, pick(CATEGORIES), "raised", `u${Math.floor(random() * 50)}`, `g${Math.floor(random() * 27)}`, iso(at), iso(at));
    step.run(`te${i}a`, id, "raised", iso(at));
    if (random() < 0.7) {
      const type = pick(["answered", "accepted", "referred", "scheduled"]);
      const stepAt = past(at + random() * 5 * DAY);
      if (stepAt !== null) step.run(`te${i}b`, id, type, iso(stepAt));
    }
  }
  const task = db.prepare(
    `INSERT INTO "Task" (id, communityId, title, status, organizationId, gridId, deadline, createdAt, updatedAt, firstResponseAt, closedAt, topicId, createdById) VALUES (?, 'bc', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'u0')`,
  );
  const event = db.prepare(`INSERT INTO "TaskEvent" (id, taskId, kind, createdAt) VALUES (?, ?, ?, ?)`);
  const verdict = db.prepare(
    `INSERT INTO "TaskVerification" (id, taskId, userId, round, verdict, rating, basis, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, 'raiser', ?, ?)`,
  );
  for (let i = 0; i < TASKS; i++) {
    const created = YEAR.from.getTime() + random() * SPAN * 0.95;
    const deadline = created + (7 + random() * 30) * DAY;
    const closed = random() < 0.7 ? past(created + random() * 45 * DAY) : null;
    const id = `k${i}`;
    task.run(
      id,
      `任务${i}`,
      closed ? "closed" : pick(["pending", "inProgress", "awaitingVerification", "sentBack"]),
      `o${i % 4}`,
      `g${Math.floor(random() * 27)}`,
      iso(deadline),
      iso(created),
      iso(created),
      random() < 0.8 ? iso(Math.min(created + random() * 72 * 3_600_000, NOW - 1)) : null,
      closed ? iso(closed) : null,
      `t${Math.floor(random() * TOPICS)}`,
    );
    let round = 1;
    if (random() < 0.1) {
      event.run(`ke${i}s0`, id, "submitted", iso(created + 2 * DAY));
      event.run(`ke${i}b0`, id, "sentBack", iso(created + 3 * DAY));
      verdict.run(`kv${i}b`, id, "u1", 1, "sendBack", 2, iso(created + 3 * DAY), iso(created + 3 * DAY));
      round = 2;
    }
    if (closed) {
      event.run(`ke${i}s1`, id, "submitted", iso(closed - DAY));
      event.run(`ke${i}c`, id, "closed", iso(closed));
      for (let v = 0; v < 1 + Math.floor(random() * 3); v++)
        verdict.run(`kv${i}-${v}`, id, `u${2 + v}`, round, "confirm", 1 + Math.floor(random() * 5), iso(closed - DAY / 2), iso(closed - DAY / 2));
    }
  }
})();
db.close();
const generationSeconds = (Date.now() - generatedAt) / 1000;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
/** On a shared machine wall time is mostly waiting for a CPU: the process's own CPU time is kept beside it. */
const cpuMs: number[] = [];
const time = async (fn: () => unknown, cpu?: number[]) => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  cpu?.push((c.user + c.system) / 1000);
  return performance.now() - t0;
};

const actor = (await loadActor("u0"))!;
const now = new Date(NOW);
const community = { id: "bc", slug: "bench" };
// The scheduler's daily roll-up job, as it would have run: January to November come from
// MetricRollup, December (open) from its month-to-date rows and its last two days counted fresh.
const rollupStart = Date.now();
await rollUpMonths(now);
const rollupSeconds = (Date.now() - rollupStart) / 1000;
const dashboardMs: number[] = [];
const svgMs: number[] = [];
let svgBytes = 0;
let view = await communityDashboard(actor, community, "2026", "zh-CN", now);
for (let r = 0; r < REPS; r++) dashboardMs.push(await time(async () => (view = await communityDashboard(actor, community, "2026", "zh-CN", now)), cpuMs));
for (const t of view.tables) renderChart(t); // warm-up
for (let r = 0; r < REPS; r++)
  svgMs.push(
    await time(() => {
      svgBytes = 0;
      for (const t of view.tables) svgBytes += renderChart(t).length;
    }),
  );
// A correctness check beside the timing: every headline figure equals a fresh count of the year
// (sums of day counts are added in another order: equal to 1e-9).
const fresh = figuresOf(await loadMetricInput({ communityIds: ["bc"] }, YEAR), YEAR, now);
const shown = await figuresFor({ communityIds: ["bc"] }, YEAR, now);
const close = (a: number | null, b: number | null) => a === b || (a !== null && b !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)));
const consistent = JSON.stringify(fresh) === JSON.stringify(shown) && view.figures.every((f) => close(f.value, fresh[f.key]));

const summary = (xs: number[]) => ({ p50: percentile(xs, 50), p95: percentile(xs, 95), max: Math.max(...xs) });
writeFileSync(
  out,
  JSON.stringify({
    topics: TOPICS,
    tasks: TASKS,
    reps: REPS,
    generationSeconds,
    rollupSeconds,
    dashboardMs: summary(dashboardMs),
    dashboardCpuMs: summary(cpuMs),
    svgMs: summary(svgMs),
    charts: view.tables.length,
    svgBytes,
    topicsRaised: fresh.topicsRaised,
    tasksClosed: fresh.tasksClosed,
    consistent,
  }),
);
await prisma.$disconnect();
