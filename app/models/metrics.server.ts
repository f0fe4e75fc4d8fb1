// The dashboard's queries: load the rows of a scope and a window with narrow selects, then count
// them with the pure formulas of metrics.ts. Nothing here is typed in: every figure is a count of
// stored topics, tasks, timeline steps and verdicts.
import type { Prisma } from "~/generated/prisma/client";
import { prisma } from "~/utils/db.server";
import {
  COUNT_KEYS,
  DEFAULT_WEIGHTS,
  addCounts,
  countPeriod,
  emptyCounts,
  figuresOf,
  monthOf,
  monthPeriod,
  monthToDateKey,
  quarterPeriod,
  quartersUpTo,
  ratesOf,
  rollupPeriod,
  splitInput,
  starsOf,
  type CommunityRules,
  type Counts,
  type MetricInput,
  type TaskRow,
  type TopicRow,
  type Figures,
  type Period,
  type ScorecardWeights,
} from "./metrics";

/** What the figures are about: the whole deployment, a district, one community, optionally narrowed to a grid, organisation or category. */
export type Scope = {
  communityIds?: string[];
  /** The whole street office: its communities (communityIds, when also given, are the same ones). */
  districtId?: string;
  gridId?: string;
  organizationId?: string;
  category?: string;
};

/**
 * Rows of the scope's communities (topics and tasks). A whole district is named by its street
 * office: one joined parameter reads several times faster through Prisma than an IN list of
 * hundreds of community ids.
 */
function ofCommunities(scope: Pick<Scope, "communityIds" | "districtId">) {
  if (scope.districtId) return { community: { districtId: scope.districtId } };
  return scope.communityIds ? { communityId: { in: scope.communityIds } } : {};
}

const TOPIC_STEPS = ["answered", "referred", "accepted", "scheduled"];
const TASK_STEPS = ["submitted", "sentBack"];

function topicWhere(scope: Scope): Prisma.TopicWhereInput {
  return {
    ...ofCommunities(scope),
    ...(scope.gridId ? { gridId: scope.gridId } : {}),
    ...(scope.category ? { category: scope.category } : {}),
    ...(scope.organizationId ? { referredOrgId: scope.organizationId } : {}),
  };
}

/** Top-level tasks only: a sub-task is part of its parent's work, counted once with it. */
function taskWhere(scope: Scope): Prisma.TaskWhereInput {
  return {
    parentId: null,
    ...ofCommunities(scope),
    ...(scope.gridId ? { gridId: scope.gridId } : {}),
    ...(scope.category ? { topic: { category: scope.category } } : {}),
    ...(scope.organizationId ? { organizationId: scope.organizationId } : {}),
  };
}

async function rulesOf(communityIds: string[] | undefined, districtId?: string): Promise<Map<string, CommunityRules>> {
  const rows = await prisma.community.findMany({
    where: districtId ? { districtId } : communityIds ? { id: { in: communityIds } } : {},
    select: { id: true, taskSatisfiedRatings: true, taskResponseDeadlineHours: true },
  });
  return new Map(
    rows.map((c) => {
      let satisfiedRatings = [4, 5];
      try {
        const parsed: unknown = JSON.parse(c.taskSatisfiedRatings);
        if (Array.isArray(parsed) && parsed.every((n) => Number.isInteger(n))) satisfiedRatings = parsed as number[];
      } catch {
        // the default
      }
      return [c.id, { satisfiedRatings, responseDeadlineHours: c.taskResponseDeadlineHours > 0 ? c.taskResponseDeadlineHours : 48 }];
    }),
  );
}

/**
 * Every row that can count in [window.from, window.to): narrow selects and no nested relation
 * selects (each would be a second query and a second decoding of thousands of rows); what the
 * rows need of each other (a step's topic, a task's category, a verdict's community) is joined
 * here from the rows already loaded.
 */
export async function loadMetricInput(scope: Scope, window: Period): Promise<MetricInput> {
  const range = { gte: window.from, lt: window.to };
  const tw = taskWhere(scope);
  const topicSelect = { id: true, communityId: true, createdAt: true, category: true, gridId: true, referredOrgId: true } as const;
  const taskSelect = {
    id: true,
    communityId: true,
    organizationId: true,
    gridId: true,
    status: true,
    createdAt: true,
    deadline: true,
    firstResponseAt: true,
    closedAt: true,
    topicId: true,
  } as const;
  const [topics, topicSteps, tasks, verifications, rules] = await Promise.all([
    prisma.topic.findMany({ where: { ...topicWhere(scope), createdAt: range }, select: topicSelect }),
    prisma.topicEvent.findMany({
      where: { type: { in: TOPIC_STEPS }, createdAt: range, topic: topicWhere(scope) },
      select: { topicId: true, type: true, createdAt: true },
    }),
    // A task counts if it was opened, closed or due in the window, or took a step in it (a
    // task's verdicts are fetched below when the task is not among these). One query per
    // reason, each on its own index: an OR with the steps' EXISTS would read every task.
    Promise.all([
      prisma.task.findMany({ where: { ...tw, createdAt: range }, select: taskSelect }),
      prisma.task.findMany({ where: { ...tw, closedAt: range }, select: taskSelect }),
      prisma.task.findMany({ where: { ...tw, deadline: range }, select: taskSelect }),
      prisma.taskEvent.findMany({ where: { kind: { in: TASK_STEPS }, createdAt: range, task: tw }, select: { taskId: true } }),
    ]).then(async ([opened, closed, due, stepped]) => {
      const byId = new Map([...opened, ...closed, ...due].map((t) => [t.id, t]));
      const more = [...new Set(stepped.map((s) => s.taskId))].filter((id) => !byId.has(id));
      for (let i = 0; i < more.length; i += 5_000)
        for (const t of await prisma.task.findMany({ where: { id: { in: more.slice(i, i + 5_000) } }, select: taskSelect })) byId.set(t.id, t);
      return [...byId.values()];
    }),
    prisma.taskVerification.findMany({ where: { updatedAt: range, task: tw }, select: { taskId: true, verdict: true, rating: true, updatedAt: true } }),
    rulesOf(scope.communityIds, scope.districtId),
  ]);
  // A verdict given in the window on a task that took no other part in it (a verifier changing
  // their rating late): the task is loaded too, so that the verdict follows it into breakdowns.
  const loaded = new Set(tasks.map((t) => t.id));
  const unloaded = [...new Set(verifications.map((v) => v.taskId).filter((id) => !loaded.has(id)))];
  for (let i = 0; i < unloaded.length; i += 5_000)
    tasks.push(...(await prisma.task.findMany({ where: { id: { in: unloaded.slice(i, i + 5_000) } }, select: taskSelect })));
  const topicRows = new Map<
    string,
    { id: string; communityId: string; createdAt: Date; category: string; gridId: string | null; referredOrgId: string | null }
  >(topics.map((t) => [t.id, t]));
  // Topics raised before the window that were taken on in it, and topics of tasks: usually few.
  const missing = [...new Set([...topicSteps.map((s) => s.topicId), ...tasks.map((t) => t.topicId).filter((id): id is string => id !== null)])].filter(
    (id) => !topicRows.has(id),
  );
  const outside = new Set<string>();
  for (let i = 0; i < missing.length; i += 5_000)
    for (const t of await prisma.topic.findMany({ where: { id: { in: missing.slice(i, i + 5_000) } }, select: topicSelect })) {
      topicRows.set(t.id, t);
      outside.add(t.id);
    }
  // Every hand-over and send-back of the loaded tasks, before the window too (which step was
  // the first) and after it (a task due in the window is judged on its last hand-over, as of now).
  const taskSteps: { taskId: string; kind: string; createdAt: Date }[] = [];
  const taskIds = tasks.map((t) => t.id);
  for (let i = 0; i < taskIds.length; i += 5_000)
    taskSteps.push(
      ...(await prisma.taskEvent.findMany({
        where: { taskId: { in: taskIds.slice(i, i + 5_000) }, kind: { in: TASK_STEPS } },
        select: { taskId: true, kind: true, createdAt: true },
      })),
    );
  // Earlier triage steps of topics raised before the window and stepped in it: a topic counts
  // as taken on in the period of its first such step.
  const steppedBefore = [...new Set(topicSteps.map((s) => s.topicId))].filter((id) => outside.has(id));
  for (let i = 0; i < steppedBefore.length; i += 5_000)
    topicSteps.push(
      ...(await prisma.topicEvent.findMany({
        where: { topicId: { in: steppedBefore.slice(i, i + 5_000) }, type: { in: TOPIC_STEPS }, createdAt: { lt: window.from } },
        select: { topicId: true, type: true, createdAt: true },
      })),
    );
  const communityOfTask = new Map(tasks.map((t) => [t.id, t.communityId]));
  const stepped = new Set(topicSteps.map((s) => s.topicId));
  return {
    // A topic raised outside the window is there for its steps and tasks, never counted as raised in it.
    topics: [...topicRows.values()]
      .filter((t) => !outside.has(t.id) || stepped.has(t.id))
      .map((t) => (outside.has(t.id) ? { ...t, createdAt: new Date(0) } : t)),
    topicSteps: topicSteps.map((s) => ({ topicId: s.topicId, type: s.type, at: s.createdAt })),
    tasks: tasks.map(({ topicId, ...t }) => ({ ...t, category: topicId ? (topicRows.get(topicId)?.category ?? null) : null })),
    taskSteps: taskSteps.map((s) => ({ taskId: s.taskId, kind: s.kind, at: s.createdAt })),
    verifications: verifications.map((v) => ({
      taskId: v.taskId,
      communityId: communityOfTask.get(v.taskId)!,
      verdict: v.verdict,
      rating: v.rating,
      at: v.updatedAt,
    })),
    rules,
  };
}

/** A fresh count of one scope and period from the stored rows (what the roll-ups are checked against). */
export async function figuresFor(scope: Scope, period: Period, now = new Date()) {
  return figuresOf(await loadMetricInput(scope, period), period, now);
}

export type Breakdown = { key: string; counts: Counts };
export type DashboardData = {
  figures: Figures;
  trend: Breakdown[];
  byCategory: Breakdown[];
  byGrid: Breakdown[];
  byOrganization: Breakdown[];
  byCommunity: Breakdown[];
};

const nonZero = (b: Breakdown) => COUNT_KEYS.some((k) => b.counts[k] !== 0);
const byKey = (a: Breakdown, b: Breakdown) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The months a period spans (the pages' periods are whole years, quarters and months). */
export function monthsOf(period: Period): string[] {
  const out: string[] = [];
  for (let m = monthOf(period.from); monthPeriod(m).from.getTime() < period.to.getTime(); m = nextMonth(m)) out.push(m);
  return out;
}

/** Counted from the rows for every month: the narrowed scopes (a grid, an organisation, a category), which have no roll-ups. */
async function freshDashboardData(scope: Scope, period: Period, months: string[], now: Date): Promise<DashboardData> {
  const first = monthPeriod(months[0]!);
  const window: Period = {
    from: new Date(Math.min(first.from.getTime(), period.from.getTime())),
    to: new Date(Math.max(monthPeriod(months.at(-1)!).to.getTime(), period.to.getTime())),
  };
  const input = await loadMetricInput(scope, window);
  const counts = countPeriod(input, period, now);
  const trend = months.map((month) => ({ key: month, counts: countPeriod(input, monthPeriod(month), now) }));
  const by = (parts: Map<string, MetricInput>): Breakdown[] =>
    [...parts.entries()]
      .map(([key, part]) => ({ key, counts: countPeriod(part, period, now) }))
      .filter(nonZero)
      .sort(byKey);
  return {
    figures: { ...counts, ...ratesOf(counts) },
    trend,
    byCategory: by(
      splitInput(
        input,
        (t) => t.category,
        (t) => t.category,
      ),
    ),
    byGrid: by(
      splitInput(
        input,
        (t) => t.gridId,
        (t) => t.gridId,
      ),
    ),
    byOrganization: by(
      splitInput(
        input,
        (t) => t.referredOrgId,
        (t) => t.organizationId,
      ),
    ),
    byCommunity: by(
      splitInput(
        input,
        (t) => t.communityId,
        (t) => t.communityId,
      ),
    ),
  };
}

/**
 * The whole dashboard of a scope in one go: the period's figures, the months' trend, and the
 * period by category, grid (unless `byGrid: false`), organisation and community. Finished months
 * come from their roll-ups (MetricRollup, summed in SQL), a month still open from its
 * month-to-date rows and a fresh count of its last days; periods add up
 * (metrics.ts counts each topic and task once in any span), so the sum is the period's count.
 */
export async function dashboardData(
  scope: Scope,
  period: Period,
  months: string[],
  now = new Date(),
  { byGrid: withGrids = true } = {},
): Promise<DashboardData> {
  if (scope.gridId || scope.organizationId || scope.category) return freshDashboardData(scope, period, months, now);
  const periodMonths = monthsOf(period);
  const all = [...new Set([...periodMonths, ...months])].sort();
  const sums = await rolledUp(scope, all, now, withGrids ? DIMENSIONS : ["category", "organization"]);
  const trendOf = await sums.by("", ["month"], all);
  const monthCounts = new Map(trendOf.map((r) => [r.group, r.counts]));
  const counts = periodMonths.reduce((sum, m) => addCounts(sum, monthCounts.get(m) ?? emptyCounts()), emptyCounts());
  const breakdown = async (dimension: Dimension, grouping: Grouping) =>
    (await sums.by(dimension, [grouping], periodMonths))
      .map((r) => ({ key: r.group, counts: r.counts }))
      .filter(nonZero)
      .sort(byKey);
  const [byCategory, byGrid, byOrganization, byCommunity] = await Promise.all([
    breakdown("category", "key"),
    withGrids ? breakdown("grid", "key") : [],
    breakdown("organization", "key"),
    breakdown("", "communityId"),
  ]);
  return {
    figures: { ...counts, ...ratesOf(counts) },
    trend: months.map((key) => ({ key, counts: monthCounts.get(key) ?? emptyCounts() })),
    byCategory,
    byGrid,
    byOrganization,
    byCommunity,
  };
}

// ——— Monthly roll-ups (MetricRollup) ———

export const DIMENSIONS = ["category", "grid", "organization"] as const;
export type Dimension = "" | (typeof DIMENSIONS)[number];
type Grouping = "month" | "key" | "communityId";
/** `month` is a roll-up period key (metrics.ts rollupPeriod): a whole month, or a month to date. */
export type RollupRow = { communityId: string; month: string; dimension: Dimension; key: string; counts: Counts };
/** The periods to count for one community, each under the key its rows are stored or grouped by. */
type PeriodsOf = (communityId: string) => { key: string; period: Period }[];

const HOUR_MS = 3_600_000;
/** Goes up whenever metrics.ts counts differently: every stored roll-up is then counted again. */
const COUNTING_VERSION = 2;
/** The counting rules a roll-up was made with: when a community changes them (or the counting changes), its roll-ups are stale. */
const rulesBasis = (r: CommunityRules) => `v${COUNTING_VERSION}|${r.responseDeadlineHours}h|${[...r.satisfiedRatings].sort((a, b) => a - b).join(",")}`;

/**
 * The roll-up rows of some periods, counted from an input: per community, the whole community
 * (always, zeros too: the row says the period was counted) and each category, grid and
 * organisation with anything to count (only the dimensions asked for).
 */
export function rollupRowsOf(
  input: MetricInput,
  periods: PeriodsOf,
  now: Date,
  communityIds: string[] = [],
  dimensions: readonly (typeof DIMENSIONS)[number][] = DIMENSIONS,
): RollupRow[] {
  const rows: RollupRow[] = [];
  const parts = splitInput(
    input,
    (t) => t.communityId,
    (t) => t.communityId,
  );
  for (const id of communityIds)
    if (!parts.has(id)) parts.set(id, { topics: [], topicSteps: [], tasks: [], taskSteps: [], verifications: [], rules: input.rules });
  for (const [communityId, part] of parts) {
    const splits = dimensions.map((dimension) => {
      const [ofTopic, ofTask] =
        dimension === "category"
          ? [(t: TopicRow) => t.category, (t: TaskRow) => t.category]
          : dimension === "grid"
            ? [(t: TopicRow) => t.gridId, (t: TaskRow) => t.gridId]
            : [(t: TopicRow) => t.referredOrgId, (t: TaskRow) => t.organizationId];
      return [dimension, splitInput(part, ofTopic, ofTask)] as const;
    });
    for (const { key: month, period } of periods(communityId)) {
      rows.push({ communityId, month, dimension: "", key: "", counts: countPeriod(part, period, now) });
      for (const [dimension, split] of splits)
        for (const [key, sub] of split) {
          const counts = countPeriod(sub, period, now);
          if (COUNT_KEYS.some((k) => counts[k] !== 0)) rows.push({ communityId, month, dimension, key, counts });
        }
    }
  }
  return rows;
}

const wholePeriods =
  (keys: string[]): PeriodsOf =>
  () =>
    keys.map((key) => ({ key, period: rollupPeriod(key) }));

/**
 * Counts one community's periods afresh (whole months, or a month to date) and replaces their
 * roll-ups in one transaction, with any month-to-date rows of the same months they supersede.
 */
async function writeRollups(communityId: string, keys: string[], rules: CommunityRules, now: Date): Promise<number> {
  const periods = keys.map(rollupPeriod);
  const window: Period = {
    from: new Date(Math.min(...periods.map((p) => p.from.getTime()))),
    to: new Date(Math.max(...periods.map((p) => p.to.getTime()))),
  };
  const input = await loadMetricInput({ communityIds: [communityId] }, window);
  const rows = rollupRowsOf(input, wholePeriods(keys), now, [communityId]).filter((r) => r.communityId === communityId);
  const basis = rulesBasis(rules);
  const months = [...new Set(keys.map((k) => k.slice(0, 7)))];
  try {
    await prisma.$transaction([
      prisma.metricRollup.deleteMany({ where: { communityId, OR: [{ month: { in: months } }, ...months.map((m) => ({ month: { startsWith: `${m}-` } }))] } }),
      prisma.metricRollup.createMany({
        data: rows.map((r) => ({ communityId, month: r.month, dimension: r.dimension, key: r.key, rules: basis, computedAt: now, ...r.counts })),
      }),
    ]);
  } catch (error) {
    // Another process wrote the same months at the same time: its rows are as good as ours.
    if ((error as { code?: string }).code === "P2002") return 0;
    throw error;
  }
  return keys.length;
}

/**
 * Makes sure the roll-ups a scope's months need are fresh, and says which they are. A month is
 * settled once it ended and the response deadline of tasks opened on its last day has run out
 * (until then its 响应率 still changes with the clock): it is served from its own rows. A month
 * not settled is served from its month-to-date rows (its settled days, by the same rule per day)
 * plus a fresh count of the days after them. A row is rewritten when missing, counted with other
 * rules, counted before its period settled, or when late events touch it: a task, a verdict or a
 * topic of the community that was created before the period's end and changed after the row was
 * counted (a task reopened or closed late, a deadline extended, a verdict changed, a topic moved
 * to another grid) — changes are seen by their updatedAt, and every such change moves it. A
 * month-to-date row that is still fresh is kept even when a later day has settled since, unless
 * `advance` (the daily job moves it on). Returns the settled months, the month-to-date key of each
 * community's open months (`${communityId} ${month}` → "2026-12-18"), and how many roll-ups were written.
 */
export async function ensureRollups(
  communityIds: string[] | undefined,
  months: string[],
  now = new Date(),
  { advance = false, districtId }: { advance?: boolean; districtId?: string } = {},
) {
  const rules = await rulesOf(communityIds, districtId);
  const ids = [...rules.keys()];
  const settleMs = (id: string) => (rules.get(id)?.responseDeadlineHours ?? 48) * HOUR_MS;
  const longest = Math.max(48 * HOUR_MS, ...ids.map(settleMs));
  const settled = months.filter((m) => monthPeriod(m).to.getTime() + longest <= now.getTime());
  const open = months.filter((m) => !settled.includes(m) && monthPeriod(m).from.getTime() < now.getTime());
  const toDate = new Map<string, string>();
  if ((settled.length === 0 && open.length === 0) || ids.length === 0) return { settled, toDate, communities: ids, written: 0 };
  const inScope = communityIds ? { communityId: { in: ids } } : {};
  const rowsInScope = ofCommunities({ communityIds: communityIds && ids, districtId });
  const have = await prisma.metricRollup.findMany({
    where: { ...inScope, dimension: "", OR: [{ month: { in: settled } }, ...open.map((m) => ({ month: { startsWith: `${m}-` } }))] },
    select: { communityId: true, month: true, rules: true, computedAt: true },
  });
  const rows = new Map(have.map((r) => [`${r.communityId} ${r.month}`, r]));
  const kept = new Map<string, (typeof have)[number]>();
  for (const r of have) if (r.month.length > 7) kept.set(`${r.communityId} ${r.month.slice(0, 7)}`, r);
  // What changed since the oldest of these rows was counted: few rows, normally.
  const changes = new Map<string, { createdAt: number; updatedAt: number }[]>();
  if (have.length > 0) {
    const since = new Date(Math.min(...have.map((r) => r.computedAt.getTime())));
    const [tasks, topics, verdicts] = await Promise.all([
      prisma.task.findMany({ where: { ...rowsInScope, updatedAt: { gt: since } }, select: { communityId: true, createdAt: true, updatedAt: true } }),
      prisma.topic.findMany({ where: { ...rowsInScope, updatedAt: { gt: since } }, select: { communityId: true, createdAt: true, updatedAt: true } }),
      prisma.taskVerification.findMany({
        where: { updatedAt: { gt: since }, ...(communityIds || districtId ? { task: rowsInScope } : {}) },
        select: { updatedAt: true, task: { select: { communityId: true, createdAt: true } } },
      }),
    ]);
    const note = (communityId: string, createdAt: Date, updatedAt: Date) => {
      const list = changes.get(communityId) ?? [];
      list.push({ createdAt: createdAt.getTime(), updatedAt: updatedAt.getTime() });
      changes.set(communityId, list);
    };
    for (const r of [...tasks, ...topics]) note(r.communityId, r.createdAt, r.updatedAt);
    for (const v of verdicts) note(v.task.communityId, v.task.createdAt, v.updatedAt);
  }
  const fresh = (id: string, key: string, row: { rules: string; computedAt: Date } | undefined) => {
    const end = rollupPeriod(key).to.getTime();
    if (!row || row.rules !== rulesBasis(rules.get(id)!) || row.computedAt.getTime() < end + settleMs(id)) return false;
    const counted = row.computedAt.getTime();
    return !(changes.get(id) ?? []).some((c) => c.updatedAt > counted && c.createdAt < end);
  };
  let written = 0;
  for (const id of ids) {
    const stale = settled.filter((month) => !fresh(id, month, rows.get(`${id} ${month}`)));
    for (const month of open) {
      const latest = monthToDateKey(month, now, settleMs(id));
      const row = kept.get(`${id} ${month}`);
      if (row && fresh(id, row.month, row) && (!advance || row.month === latest)) toDate.set(`${id} ${month}`, row.month);
      else if (latest) {
        stale.push(latest);
        toDate.set(`${id} ${month}`, latest);
      }
    }
    if (stale.length > 0) written += await writeRollups(id, stale, rules.get(id)!, now);
  }
  return { settled, toDate, communities: ids, written };
}

const SUMMED = Object.fromEntries(COUNT_KEYS.map((k) => [k, true])) as Record<keyof Counts, true>;

/**
 * Sums of a scope's months: settled months from their roll-ups (ensured fresh first, summed by
 * the database); the others from their month-to-date rows and the days after them counted from
 * the rows once, grouped the same way.
 */
async function rolledUp(scope: Scope, months: string[], now: Date, dimensions: readonly (typeof DIMENSIONS)[number][] = DIMENSIONS) {
  const { communityIds, districtId } = scope;
  const { settled, toDate, communities } = await ensureRollups(communityIds, months, now, { districtId });
  const settledSet = new Set(settled);
  const open = months.filter((m) => !settledSet.has(m));
  // The days of each open month after each community's month-to-date rows.
  const after = (id: string, month: string): Period => {
    const key = toDate.get(`${id} ${month}`);
    return { from: key ? rollupPeriod(key).to : monthPeriod(month).from, to: monthPeriod(month).to };
  };
  let fresh: RollupRow[] = [];
  let toDateRows: RollupRow[] = [];
  if (open.length > 0) {
    const earliest = (month: string) => Math.min(monthPeriod(month).to.getTime(), ...communities.map((id) => after(id, month).from.getTime()));
    // Up to now: nothing later can count yet (a deadline after now is not due), and a month's
    // deadlines still to come would be most of what is read.
    const window: Period = {
      from: new Date(Math.min(...open.map(earliest))),
      to: new Date(Math.min(monthPeriod(open.at(-1)!).to.getTime(), now.getTime() + 1)),
    };
    const input = await loadMetricInput({ communityIds, districtId }, window);
    fresh = rollupRowsOf(input, (id) => open.map((month) => ({ key: month, period: after(id, month) })), now, [], dimensions);
    const keys = [...new Set(toDate.values())];
    if (keys.length > 0) {
      const stored = await prisma.metricRollup.findMany({
        where: { ...(communityIds ? { communityId: { in: communityIds } } : {}), month: { in: keys }, dimension: { in: ["", ...dimensions] } },
        select: { communityId: true, month: true, dimension: true, key: true, ...SUMMED },
      });
      toDateRows = stored
        .filter((r) => toDate.get(`${r.communityId} ${r.month.slice(0, 7)}`) === r.month)
        .map((r) => ({
          communityId: r.communityId,
          month: r.month.slice(0, 7),
          dimension: r.dimension as Dimension,
          key: r.key,
          counts: Object.fromEntries(COUNT_KEYS.map((k) => [k, r[k]])) as Counts,
        }));
    }
  }
  const inScope = communityIds ? { communityId: { in: communityIds } } : {};
  return {
    async by(dimension: Dimension, grouping: Grouping[], of: string[]): Promise<{ group: string; counts: Counts }[]> {
      const out = new Map<string, Counts>();
      const add = (group: string, counts: Counts) => out.set(group, addCounts(out.get(group) ?? emptyCounts(), counts));
      const wanted = of.filter((m) => settledSet.has(m));
      if (wanted.length > 0) {
        // Prisma's groupBy types want a literal `by`; the grouping is one of three columns.
        const groups = (await prisma.metricRollup.groupBy({
          by: grouping,
          where: { ...inScope, dimension, month: { in: wanted } },
          _sum: SUMMED,
        } as never)) as unknown as ({ _sum: Record<keyof Counts, number | null> } & Record<Grouping, string>)[];
        for (const g of groups) {
          const counts = emptyCounts();
          for (const k of COUNT_KEYS) counts[k] = g._sum[k] ?? 0;
          add(grouping.map((x) => g[x]).join(" "), counts);
        }
      }
      const wantedOpen = new Set(of.filter((m) => !settledSet.has(m)));
      for (const r of [...toDateRows, ...fresh]) if (r.dimension === dimension && wantedOpen.has(r.month)) add(grouping.map((x) => r[x]).join(" "), r.counts);
      return [...out.entries()].map(([group, counts]) => ({ group, counts }));
    },
  };
}

/**
 * The roll-up job (daily): every community's settled months since its first topic (or its
 * creation), and the month-to-date rows of the months still open, moved on to the latest settled
 * day. Returns the roll-ups written.
 */
export async function rollUpMonths(now = new Date()): Promise<number> {
  const communities = await prisma.community.findMany({ select: { id: true, createdAt: true } });
  let written = 0;
  for (const c of communities) {
    const earliest = await prisma.topic.findFirst({ where: { communityId: c.id }, orderBy: { createdAt: "asc" }, select: { createdAt: true } });
    const start = earliest && earliest.createdAt < c.createdAt ? earliest.createdAt : c.createdAt;
    const months: string[] = [];
    for (let m = monthOf(start); m <= monthOf(now); m = nextMonth(m)) months.push(m);
    written += (await ensureRollups([c.id], months, now, { advance: true })).written;
  }
  return written;
}

function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

// ——— 物业考评: scorecards of property companies ———

export async function weightsFor(districtId: string | null): Promise<ScorecardWeights> {
  const rows = await prisma.scorecardWeights.findMany({ where: { district: { in: [districtId ?? "", ""] } } });
  const row = rows.find((r) => r.district === (districtId ?? "")) ?? rows.find((r) => r.district === "");
  if (!row) return DEFAULT_WEIGHTS;
  try {
    return { ...DEFAULT_WEIGHTS, ...(JSON.parse(row.weights) as Partial<ScorecardWeights>) };
  } catch {
    return DEFAULT_WEIGHTS;
  }
}

export type ScorecardRow = {
  organizationId: string;
  name: string;
  quarter: string;
  tasksHandled: number;
  onTimeRate: number | null;
  reopenRate: number | null;
  averageRating: number | null;
  responseRate: number | null;
  stars: number | null;
};

/** Each property company of the communities, per quarter (the last `count` quarters): the figures and the stars. */
export async function scorecards(communityIds: string[], now = new Date(), count = 4, weights?: ScorecardWeights): Promise<ScorecardRow[]> {
  const companies = await prisma.organization.findMany({
    where: { communityId: { in: communityIds }, kind: "propertyCompany" },
    select: { id: true, name: true, community: { select: { districtId: true } } },
    orderBy: { name: "asc" },
  });
  if (companies.length === 0) return [];
  const quarters = quartersUpTo(now, count);
  const months = quarters.flatMap((q) => monthsOf(quarterPeriod(q)));
  const sums = await rolledUp({ communityIds }, months, now, ["organization"]);
  const byOrgMonth = new Map((await sums.by("organization", ["key", "month"], months)).map((r) => [r.group, r.counts]));
  const rows: ScorecardRow[] = [];
  for (const company of companies) {
    const w = weights ?? (await weightsFor(company.community.districtId));
    for (const quarter of quarters) {
      const counts = monthsOf(quarterPeriod(quarter)).reduce((sum, m) => addCounts(sum, byOrgMonth.get(`${company.id} ${m}`) ?? emptyCounts()), emptyCounts());
      const r = ratesOf(counts);
      const parts4 = { onTimeRate: r.onTimeRate, reopenRate: r.reopenRate, averageRating: r.averageRating, responseRate: r.responseRate };
      rows.push({ organizationId: company.id, name: company.name, quarter, tasksHandled: counts.tasksClosed, ...parts4, stars: starsOf(parts4, w) });
    }
  }
  return rows;
}
