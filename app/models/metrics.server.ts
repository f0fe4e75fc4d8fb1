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
  quarterPeriod,
  quartersUpTo,
  ratesOf,
  splitInput,
  starsOf,
  type CommunityRules,
  type Counts,
  type MetricInput,
  type Period,
  type ScorecardWeights,
} from "./metrics";

/** What the figures are about: the whole deployment, a district, one community, optionally narrowed to a grid, organisation or category. */
export type Scope = { communityIds?: string[]; gridId?: string; organizationId?: string; category?: string };

const TOPIC_STEPS = ["answered", "referred", "accepted", "scheduled"];
const TASK_STEPS = ["submitted", "sentBack"];

function topicWhere(scope: Scope): Prisma.TopicWhereInput {
  return {
    ...(scope.communityIds ? { communityId: { in: scope.communityIds } } : {}),
    ...(scope.gridId ? { gridId: scope.gridId } : {}),
    ...(scope.category ? { category: scope.category } : {}),
    ...(scope.organizationId ? { referredOrgId: scope.organizationId } : {}),
  };
}

/** Top-level tasks only: a sub-task is part of its parent's work, counted once with it. */
function taskWhere(scope: Scope): Prisma.TaskWhereInput {
  return {
    parentId: null,
    ...(scope.communityIds ? { communityId: { in: scope.communityIds } } : {}),
    ...(scope.gridId ? { gridId: scope.gridId } : {}),
    ...(scope.category ? { topic: { category: scope.category } } : {}),
    ...(scope.organizationId ? { organizationId: scope.organizationId } : {}),
  };
}

async function rulesOf(communityIds: string[] | undefined): Promise<Map<string, CommunityRules>> {
  const rows = await prisma.community.findMany({
    where: communityIds ? { id: { in: communityIds } } : {},
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
  const [topics, topicSteps, tasks, taskSteps, verifications, rules] = await Promise.all([
    prisma.topic.findMany({ where: { ...topicWhere(scope), createdAt: range }, select: topicSelect }),
    prisma.topicEvent.findMany({
      where: { type: { in: TOPIC_STEPS }, createdAt: range, topic: topicWhere(scope) },
      select: { topicId: true, type: true, createdAt: true },
    }),
    // A task counts if it was opened, closed or due in the window, or is still open from before.
    prisma.task.findMany({
      where: { ...tw, createdAt: { lt: window.to }, OR: [{ closedAt: null }, { closedAt: { gte: window.from } }, { deadline: range }, { createdAt: range }] },
      select: {
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
      },
    }),
    prisma.taskEvent.findMany({
      where: { kind: { in: TASK_STEPS }, createdAt: { lt: window.to }, task: tw },
      select: { taskId: true, kind: true, createdAt: true },
    }),
    prisma.taskVerification.findMany({ where: { updatedAt: range, task: tw }, select: { taskId: true, verdict: true, rating: true, updatedAt: true } }),
    rulesOf(scope.communityIds),
  ]);
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
  const communityOfTask = new Map(tasks.map((t) => [t.id, t.communityId]));
  const stepped = new Set(topicSteps.map((s) => s.topicId));
  // A verdict given in the window on a task closed before it (a verifier changing their rating).
  const unloaded = [...new Set(verifications.map((v) => v.taskId).filter((id) => !communityOfTask.has(id)))];
  for (let i = 0; i < unloaded.length; i += 5_000)
    for (const t of await prisma.task.findMany({ where: { id: { in: unloaded.slice(i, i + 5_000) } }, select: { id: true, communityId: true } }))
      communityOfTask.set(t.id, t.communityId);
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

export async function figuresFor(scope: Scope, period: Period, now = new Date()) {
  return figuresOf(await loadMetricInput(scope, period), period, now);
}

export type Breakdown = { key: string; counts: Counts };

/** The whole dashboard of a scope in one load: the period's figures, the months' trend, and the period by category, grid and organisation. */
export async function dashboardData(scope: Scope, period: Period, months: string[], now = new Date()) {
  const first = monthPeriod(months[0]!);
  const window: Period = {
    from: new Date(Math.min(first.from.getTime(), period.from.getTime())),
    to: new Date(Math.max(monthPeriod(months.at(-1)!).to.getTime(), period.to.getTime())),
  };
  const input = await loadMetricInput(scope, window);
  const counts = countPeriod(input, period, now);
  const trend = months.map((month) => ({ key: month, counts: countPeriod(input, monthPeriod(month), now) }));
  const by = (parts: Map<string, MetricInput>): Breakdown[] =>
    [...parts.entries()].map(([key, part]) => ({ key, counts: countPeriod(part, period, now) })).filter((b) => COUNT_KEYS.some((k) => b.counts[k] !== 0));
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
  };
}

// ——— Monthly roll-ups (written by the scheduler's job) ———

/** How many months back the roll-up recomputes every day: later events (a late close) still change them. */
export const ROLLUP_REFRESH_MONTHS = 3;

/**
 * Writes a MetricSnapshot for every community and month from its first topic or task until now
 * that has none, and recomputes the last ROLLUP_REFRESH_MONTHS months. Returns how many were written.
 */
export async function rollUpMonths(now = new Date()): Promise<number> {
  const communities = await prisma.community.findMany({ select: { id: true, createdAt: true } });
  let written = 0;
  for (const c of communities) {
    const have = new Set((await prisma.metricSnapshot.findMany({ where: { communityId: c.id }, select: { month: true } })).map((s) => s.month));
    const earliest = await prisma.topic.findFirst({ where: { communityId: c.id }, orderBy: { createdAt: "asc" }, select: { createdAt: true } });
    const start = earliest && earliest.createdAt < c.createdAt ? earliest.createdAt : c.createdAt;
    const months: string[] = [];
    for (let m = monthOf(start); m <= monthOf(now); m = nextMonth(m)) months.push(m);
    const recent = new Set(months.slice(-ROLLUP_REFRESH_MONTHS));
    const todo = months.filter((m) => !have.has(m) || recent.has(m));
    if (todo.length === 0) continue;
    const window: Period = { from: monthPeriod(todo[0]!).from, to: monthPeriod(todo.at(-1)!).to };
    const input = await loadMetricInput({ communityIds: [c.id] }, window);
    for (const month of todo) {
      const figures = JSON.stringify(countPeriod(input, monthPeriod(month), now));
      await prisma.metricSnapshot.upsert({
        where: { communityId_month: { communityId: c.id, month } },
        create: { communityId: c.id, month, figures, computedAt: now },
        update: { figures, computedAt: now },
      });
      written++;
    }
  }
  return written;
}

function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

/** The deployment's (or a district's) months from the snapshots: fast at city scale, as fresh as the last roll-up. */
export async function snapshotTrend(communityIds: string[] | undefined, months: string[]) {
  const rows = await prisma.metricSnapshot.findMany({
    where: { month: { in: months }, ...(communityIds ? { communityId: { in: communityIds } } : {}) },
    select: { month: true, figures: true },
  });
  const byMonth = new Map(months.map((m) => [m, emptyCounts()]));
  for (const r of rows) byMonth.set(r.month, addCounts(byMonth.get(r.month)!, { ...emptyCounts(), ...(JSON.parse(r.figures) as Partial<Counts>) }));
  return months.map((key) => ({ key, counts: byMonth.get(key)! }));
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
  const window: Period = { from: quarterPeriod(quarters[0]!).from, to: quarterPeriod(quarters.at(-1)!).to };
  const input = await loadMetricInput({ communityIds }, window);
  const parts = splitInput(
    input,
    () => null,
    (t) => t.organizationId,
  );
  const rows: ScorecardRow[] = [];
  for (const company of companies) {
    const w = weights ?? (await weightsFor(company.community.districtId));
    const part = parts.get(company.id);
    for (const quarter of quarters) {
      const counts = part ? countPeriod(part, quarterPeriod(quarter), now) : emptyCounts();
      const r = ratesOf(counts);
      const parts4 = { onTimeRate: r.onTimeRate, reopenRate: r.reopenRate, averageRating: r.averageRating, responseRate: r.responseRate };
      rows.push({ organizationId: company.id, name: company.name, quarter, tasksHandled: counts.tasksClosed, ...parts4, stars: starsOf(parts4, w) });
    }
  }
  return rows;
}
