// The city-sized dashboard benchmark (issue 14): one street office with 300 communities, 6 000
// grids, 200 000 topics, 150 000 top-level tasks and 1 000 000 timeline events (triage steps and
// task steps) over three years, plus the verifiers' verdicts. Written straight with better-sqlite3
// multi-row inserts into a database file that is kept between runs under .cache/bench/ and
// reused while the migrations, this generator and the sizes are unchanged (their hash names the
// file). The monthly roll-up job (rollUpMonths) runs once after generation, as the scheduler
// would; then the community dashboard and the street office's dashboard are timed.
//
//   tsx bench/setup/dashboard-city.ts <out.json> <scale> <reps>
// scale 1 is the issue's city; --quick uses a small fraction.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [out, scaleArg, repsArg] = process.argv.slice(2);
if (!out) throw new Error("usage: dashboard-city.ts <out.json> <scale> <reps>");
const SCALE = Number(scaleArg ?? 1);
const REPS = Number(repsArg ?? 10);
const SIZES = {
  communities: Math.max(2, Math.round(300 * SCALE)),
  gridsPerCommunity: 20,
  topics: Math.round(200_000 * SCALE),
  tasks: Math.round(150_000 * SCALE),
  events: Math.round(1_000_000 * SCALE),
};

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const migrationsDir = path.join(root, "prisma/migrations");
const hash = createHash("sha256");
for (const name of readdirSync(migrationsDir).sort())
  if (existsSync(path.join(migrationsDir, name, "migration.sql"))) hash.update(name).update(readFileSync(path.join(migrationsDir, name, "migration.sql")));
hash.update(readFileSync(fileURLToPath(import.meta.url))).update(JSON.stringify(SIZES));
const cacheDir = path.join(root, ".cache/bench");
mkdirSync(cacheDir, { recursive: true });
// Named by scale too, so that --quick's small city never evicts the full one.
const prefix = `dashboard-city-s${SCALE}-`;
const dbFile = path.join(cacheDir, `${prefix}${hash.digest("hex").slice(0, 16)}.db`);
process.env.DATABASE_URL = `file:${dbFile}`;
const cached = existsSync(dbFile);

// Modules that open the database read DATABASE_URL when first imported.
const Database = (await import("better-sqlite3")).default;
const { migrate } = await import("../../server/migrate");
const { prng } = await import("../../tests/fixtures/prng");
const { yearPeriod } = await import("~/models/metrics");

/** The bench's "now": late in the third year, so December is the open month. */
const NOW = new Date("2026-12-20T04:00:00Z");
const START = yearPeriod(2024).from.getTime();
const SPAN = NOW.getTime() - START;
const DAY = 86_400_000;
const CATEGORIES = ["parking", "greenery", "sanitation", "facilities", "safety", "dispute", "other"];

let generationSeconds = 0;
if (!cached) {
  const t0 = Date.now();
  // Generate into a side file and rename it at the end: an interrupted run leaves no half cache.
  for (const old of readdirSync(cacheDir)) if (old.startsWith(prefix)) rmSync(path.join(cacheDir, old), { force: true });
  const tmp = `${dbFile}.partial`;
  rmSync(tmp, { force: true });
  migrate(tmp);
  const db = new Database(tmp);
  db.pragma("journal_mode = OFF");
  db.pragma("synchronous = OFF");
  // Rows go out in batches per table, steps before their topic's batch at times: the generator
  // keeps the references right by construction.
  db.pragma("foreign_keys = OFF");
  const random = prng(2024).next;
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const iso = (ms: number) => new Date(ms).toISOString();

  /** Multi-row INSERTs of up to `per` rows (SQLite allows 32 766 bound values). */
  const inserter = (table: string, columns: string[]) => {
    const per = Math.floor(30_000 / columns.length);
    const sql = (n: number) =>
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${Array(n)
        .fill(`(${columns.map(() => "?").join(", ")})`)
        .join(", ")}`;
    const full = db.prepare(sql(per));
    let buffer: unknown[] = [];
    let rows = 0;
    const flush = () => {
      if (rows === 0) return;
      (rows === per ? full : db.prepare(sql(rows))).run(buffer);
      buffer = [];
      rows = 0;
    };
    return {
      add(...values: unknown[]) {
        buffer.push(...values);
        if (++rows === per) flush();
      },
      flush,
    };
  };

  db.transaction(() => {
    const created = iso(START - 30 * DAY);
    db.prepare(`INSERT INTO "District" (id, name, city, createdAt) VALUES ('d1', '基准街道', '基准市', ?)`).run(created);
    const users = inserter("User", ["id", "username", "displayName", "passwordHash", "locale", "createdAt", "districtId"]);
    users.add("sup", "bench-sup", "街道管理员", "x", "zh-CN", created, "d1");
    for (let u = 0; u < 2_000; u++) users.add(`u${u}`, `bench${u}`, `居民${u}`, "x", "zh-CN", created, null);
    users.flush();
    const communities = inserter("Community", ["id", "slug", "name", "createdAt", "districtId"]);
    const categories = inserter("TopicCategory", ["id", "communityId", "key", "nameZh", "nameEn", "position"]);
    const grids = inserter("Grid", ["id", "communityId", "name", "code"]);
    const orgs = inserter("Organization", ["id", "communityId", "kind", "name"]);
    const members = inserter("Membership", ["id", "userId", "communityId", "role", "createdAt"]);
    for (let c = 0; c < SIZES.communities; c++) {
      communities.add(`c${c}`, `city-${c}`, `基准社区${String(c).padStart(3, "0")}`, created, "d1");
      for (const [i, key] of CATEGORIES.entries()) categories.add(`c${c}k${i}`, `c${c}`, key, key, key, i);
      for (let g = 0; g < SIZES.gridsPerCommunity; g++) grids.add(`c${c}g${g}`, `c${c}`, `第${g + 1}网格`, String(g));
      for (let o = 0; o < 4; o++) orgs.add(`c${c}o${o}`, `c${c}`, o < 3 ? "propertyCompany" : "governmentDept", `物业${c}-${o + 1}`);
      members.add(`c${c}m0`, `u${c % 2_000}`, `c${c}`, "communityStaff", created);
    }
    for (const i of [communities, categories, grids, orgs, members]) i.flush();

    const topics = inserter("Topic", ["id", "communityId", "title", "category", "status", "raisedById", "gridId", "referredOrgId", "createdAt", "updatedAt"]);
    const topicEvents = inserter("TopicEvent", ["id", "topicId", "type", "createdAt"]);
    let events = 0;
    const communityOfTopic: number[] = [];
    const topicAt: number[] = [];
    for (let i = 0; i < SIZES.topics; i++) {
      const c = int(SIZES.communities);
      const at = START + random() * (SPAN - DAY);
      communityOfTopic.push(c);
      topicAt.push(at);
      const step = random() < 0.7 ? pick(["answered", "accepted", "referred", "scheduled"]) : null;
      const stepAt = Math.min(NOW.getTime() - 1, at + random() * 5 * DAY);
      topics.add(
        `t${i}`,
        `c${c}`,
        `议题${i}`,
        pick(CATEGORIES),
        step ?? "raised",
        `u${int(2_000)}`,
        `c${c}g${int(SIZES.gridsPerCommunity)}`,
        step === "referred" ? `c${c}o${int(4)}` : null,
        iso(at),
        iso(step ? stepAt : at),
      );
      topicEvents.add(`te${i}a`, `t${i}`, "raised", iso(at));
      events++;
      if (step) {
        topicEvents.add(`te${i}b`, `t${i}`, step, iso(stepAt));
        events++;
      }
    }
    topics.flush();

    const tasks = inserter("Task", [
      "id",
      "communityId",
      "title",
      "status",
      "organizationId",
      "gridId",
      "deadline",
      "createdAt",
      "updatedAt",
      "firstResponseAt",
      "closedAt",
      "topicId",
      "createdById",
    ]);
    const taskEvents = inserter("TaskEvent", ["id", "taskId", "kind", "createdAt"]);
    const verdicts = inserter("TaskVerification", ["id", "taskId", "userId", "round", "verdict", "rating", "basis", "createdAt", "updatedAt"]);
    let verdictCount = 0;
    // Progress updates fill the timeline up to the issue's million events.
    const stepsPerTask = 2.88;
    const progressPerTask = Math.max(0, (SIZES.events - events) / SIZES.tasks - stepsPerTask);
    for (let i = 0; i < SIZES.tasks; i++) {
      const topic = int(SIZES.topics);
      const c = communityOfTopic[topic]!;
      const createdAt = Math.min(NOW.getTime() - DAY, topicAt[topic]! + random() * 3 * DAY);
      const deadline = createdAt + (7 + random() * 30) * DAY;
      const closeAt = createdAt + (1 + random() * 45) * DAY;
      const closed = random() < 0.85 && closeAt < NOW.getTime() ? closeAt : null;
      const id = `k${i}`;
      const last = closed ?? Math.min(NOW.getTime() - 1, createdAt + 5 * DAY);
      tasks.add(
        id,
        `c${c}`,
        `任务${i}`,
        closed ? "closed" : pick(["pending", "inProgress", "awaitingVerification", "sentBack"]),
        `c${c}o${int(4)}`,
        `c${c}g${int(SIZES.gridsPerCommunity)}`,
        iso(deadline),
        iso(createdAt),
        iso(last),
        random() < 0.85 ? iso(createdAt + random() * 72 * 3_600_000) : null,
        closed ? iso(closed) : null,
        `t${topic}`,
        `u${c % 2_000}`,
      );
      const step = (kind: string, at: number, n: number | string) => {
        taskEvents.add(`ke${i}${kind}${n}`, id, kind, iso(Math.min(at, NOW.getTime() - 1)));
        events++;
      };
      step("created", createdAt, 0);
      const progress = Math.floor(progressPerTask) + (random() < progressPerTask % 1 ? 1 : 0);
      for (let p = 0; p < progress; p++) step("progress", createdAt + (p + 1) * 0.5 * DAY, p);
      let round = 1;
      if (closed && random() < 0.12) {
        const sentAt = createdAt + (closed - createdAt) / 3;
        step("submitted", sentAt, 0);
        step("sentBack", sentAt + DAY / 4, 0);
        verdicts.add(`kv${i}b`, id, `u${int(2_000)}`, 1, "sendBack", 1 + int(3), "raiser", iso(sentAt + DAY / 4), iso(sentAt + DAY / 4));
        verdictCount++;
        round = 2;
      }
      if (closed) {
        step("submitted", closed - DAY, round);
        step("closed", closed, 0);
        const n = 1 + int(2);
        for (let v = 0; v < n; v++) {
          verdicts.add(
            `kv${i}-${v}`,
            id,
            `u${(i + v) % 2_000}`,
            round,
            random() < 0.93 ? "confirm" : "sendBack",
            1 + int(5),
            "raiser",
            iso(closed - DAY / 2),
            iso(closed - DAY / 2),
          );
          verdictCount++;
        }
      }
    }
    for (const i of [topicEvents, tasks, taskEvents, verdicts]) i.flush();
    db.prepare(`CREATE TABLE IF NOT EXISTS "_bench" (k TEXT PRIMARY KEY, v TEXT)`).run();
    db.prepare(`INSERT INTO "_bench" (k, v) VALUES ('counts', ?)`).run(JSON.stringify({ events, verdicts: verdictCount }));
  })();
  db.pragma("journal_mode = WAL");
  db.exec("ANALYZE");
  db.close();
  renameSync(tmp, dbFile);
  generationSeconds = (Date.now() - t0) / 1000;
}

const { districtDashboard, communityDashboard } = await import("~/models/dashboard.server");
const { figuresFor, rollUpMonths } = await import("~/models/metrics.server");
const { loadActor } = await import("~/utils/permissions.server");
const { prisma } = await import("~/utils/db.server");

// The scheduler's roll-up job: all the months at the first run, nothing afterwards (cached).
const rollupStart = Date.now();
const rolledUp = await rollUpMonths(NOW);
const rollupSeconds = (Date.now() - rollupStart) / 1000;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const summary = (xs: number[]) => ({ p50: percentile(xs, 50), p95: percentile(xs, 95), max: Math.max(...xs) });
async function timed(fn: () => Promise<unknown>, reps: number) {
  await fn(); // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    wall.push(performance.now() - t0);
  }
  return { wall: summary(wall), cpu: summary(cpu) };
}

// The busiest community, as its staff member sees it.
const busiest = await prisma.topic.groupBy({ by: ["communityId"], _count: { _all: true }, orderBy: { _count: { communityId: "desc" } }, take: 1 });
const communityId = busiest[0]!.communityId;
const staffOf = await prisma.membership.findFirstOrThrow({ where: { communityId, role: "communityStaff" }, select: { userId: true } });
const community = await prisma.community.findUniqueOrThrow({ where: { id: communityId }, select: { id: true, slug: true } });
const staff = (await loadActor(staffOf.userId))!;
const sup = (await loadActor("sup"))!;

const communityRun = await timed(() => communityDashboard(staff, community, "2026", "zh-CN", NOW), REPS);
const cityRun = await timed(() => districtDashboard(sup, "d1", "2026", "zh-CN", NOW), REPS);

// Beside the timing, the check that makes it worth anything: the roll-ups' sums equal a fresh count.
const year = yearPeriod(2026);
const city = await districtDashboard(sup, "d1", "2026", "zh-CN", NOW);
const freshCity = await figuresFor({ communityIds: (await prisma.community.findMany({ select: { id: true } })).map((c) => c.id) }, year, NOW);
const shownCommunity = await communityDashboard(staff, community, "2026", "zh-CN", NOW);
const freshCommunity = await figuresFor({ communityIds: [communityId] }, year, NOW);
// Sums of day counts are added in another order than the fresh count's: equal to 1e-9.
const same = (shown: { key: string; value: number | null }[], fresh: Record<string, number | null>) =>
  shown.every((f) => {
    const want = fresh[f.key] ?? null;
    return f.value === want || (f.value !== null && want !== null && Math.abs(f.value - want) <= 1e-9 * Math.max(1, Math.abs(want)));
  });

const counts = new Database(dbFile, { readonly: true });
const stored = {
  communities: (counts.prepare(`SELECT count(*) AS n FROM "Community"`).get() as { n: number }).n,
  grids: (counts.prepare(`SELECT count(*) AS n FROM "Grid"`).get() as { n: number }).n,
  topics: (counts.prepare(`SELECT count(*) AS n FROM "Topic"`).get() as { n: number }).n,
  tasks: (counts.prepare(`SELECT count(*) AS n FROM "Task"`).get() as { n: number }).n,
  events:
    (counts.prepare(`SELECT count(*) AS n FROM "TopicEvent"`).get() as { n: number }).n +
    (counts.prepare(`SELECT count(*) AS n FROM "TaskEvent"`).get() as { n: number }).n,
  verdicts: (counts.prepare(`SELECT count(*) AS n FROM "TaskVerification"`).get() as { n: number }).n,
  rollupRows: (counts.prepare(`SELECT count(*) AS n FROM "MetricRollup"`).get() as { n: number }).n,
};
counts.close();

writeFileSync(
  out,
  JSON.stringify({
    scale: SCALE,
    reps: REPS,
    cached,
    database: path.relative(root, dbFile),
    generationSeconds,
    rollupSeconds,
    rolledUpMonths: rolledUp,
    stored,
    communityTopics: busiest[0]!._count._all,
    communityMs: communityRun.wall,
    communityCpuMs: communityRun.cpu,
    cityMs: cityRun.wall,
    cityCpuMs: cityRun.cpu,
    consistent: same(city.figures, freshCity) && same(shownCommunity.figures, freshCommunity),
  }),
);
await prisma.$disconnect();
