// The dashboard's figures (看板), as pure functions of stored rows: never typed in, always counted
// from what happened (topics, their timeline steps, tasks, their timeline, the verifiers'
// verdicts and ratings). Table-tested in tests/metrics.test.ts; the definitions page
// (/dashboard/definitions) says the same in words, and each figure links to what it counts.
//
// Periods are Beijing-time calendar ranges [from, to): a month, a quarter, a year.

export type TopicRow = { id: string; communityId: string; createdAt: Date; category: string; gridId: string | null; referredOrgId: string | null };
/** A topic's timeline step (TopicEvent.type): only the triage steps matter here. */
export type TopicStepRow = { topicId: string; type: string; at: Date };
export type TaskRow = {
  id: string;
  communityId: string;
  organizationId: string;
  gridId: string | null;
  category: string | null;
  status: string;
  createdAt: Date;
  /** The deadline in force (an approved extension moves it: the task is judged against the extended date). */
  deadline: Date;
  firstResponseAt: Date | null;
  closedAt: Date | null;
};
/** A task's timeline step (TaskEvent.kind): "submitted" (handed over for verification) and "sentBack" (退回). */
export type TaskStepRow = { taskId: string; kind: string; at: Date };
/** One verifier's verdict of one round (the latest they gave: a repeat changes it, never adds one). */
export type VerificationRow = { taskId: string; communityId: string; verdict: string; rating: number | null; at: Date };
/** What each community counts as satisfied (满意) and how long owners have to respond. */
export type CommunityRules = { satisfiedRatings: number[]; responseDeadlineHours: number };

export type MetricInput = {
  topics: TopicRow[];
  topicSteps: TopicStepRow[];
  tasks: TaskRow[];
  taskSteps: TaskStepRow[];
  verifications: VerificationRow[];
  rules: Map<string, CommunityRules>;
};

export type Period = { from: Date; to: Date };

/** Counts: what the rates are made of. Every count is of distinct topics or tasks (verdicts: of verifier rows). */
export type Counts = {
  topicsRaised: number;
  topicsAccepted: number;
  topicsAnsweredAtOnce: number;
  topicsDeliberated: number;
  tasksOpened: number;
  tasksResponseJudged: number;
  tasksRespondedInTime: number;
  tasksClosed: number;
  tasksClosedOnTime: number;
  tasksDue: number;
  tasksDueClosed: number;
  tasksOverdue: number;
  tasksReopened: number;
  tasksHandedOver: number;
  verdicts: number;
  verdictsSolved: number;
  ratings: number;
  ratingsSatisfied: number;
  ratingSum: number;
  closeDaysSum: number;
};

export const COUNT_KEYS = [
  "topicsRaised",
  "topicsAccepted",
  "topicsAnsweredAtOnce",
  "topicsDeliberated",
  "tasksOpened",
  "tasksResponseJudged",
  "tasksRespondedInTime",
  "tasksClosed",
  "tasksClosedOnTime",
  "tasksDue",
  "tasksDueClosed",
  "tasksOverdue",
  "tasksReopened",
  "tasksHandedOver",
  "verdicts",
  "verdictsSolved",
  "ratings",
  "ratingsSatisfied",
  "ratingSum",
  "closeDaysSum",
] as const satisfies readonly (keyof Counts)[];

/** Rates are null when there is nothing to divide by (no rated task is "no figure", not 0 %). */
export type Rates = {
  responseRate: number | null;
  closeRate: number | null;
  onTimeRate: number | null;
  solveRate: number | null;
  satisfactionRate: number | null;
  reopenRate: number | null;
  averageRating: number | null;
  averageDaysToClose: number | null;
};
export type Figures = Counts & Rates;

/** Steps by which the community takes a topic on (社区领题). */
export const TAKING_ON_STEPS = ["answered", "referred", "accepted", "scheduled"] as const;
/** 前店: staff answered it at once. */
export const AT_ONCE_STEPS = ["answered"] as const;
/** 后厂: it went to joint deliberation (accepted for the council, or put on an agenda). */
export const DELIBERATION_STEPS = ["accepted", "scheduled"] as const;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const inPeriod = (at: Date, p: Period) => at.getTime() >= p.from.getTime() && at.getTime() < p.to.getTime();

export const emptyCounts = (): Counts => Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as Counts;

/**
 * When the owner's side handed the task over for the last time before it closed (the latest
 * "submitted" step at or before closedAt); a task closed without a submission (a sub-task closed
 * as done) was handed over when it closed. On time means handed over by the deadline: the
 * residents' verification window is theirs, not the owner's.
 */
export function handedOverAt(task: Pick<TaskRow, "closedAt" | "status">, submitted: readonly Date[]): Date | null {
  const limit = task.closedAt?.getTime() ?? Infinity;
  let best: number | null = null;
  for (const at of submitted) if (at.getTime() <= limit && (best === null || at.getTime() > best)) best = at.getTime();
  if (task.closedAt && best === null) return task.closedAt;
  // An open task counts as handed over only while it awaits verification.
  if (!task.closedAt && task.status !== "awaitingVerification") return null;
  return best === null ? null : new Date(best);
}

/**
 * What does not depend on the period, worked out once per input (the dashboard counts the same
 * rows for the period, twelve months and every breakdown): whether each task was handed over by
 * its deadline, which tasks the input holds, and when each topic and task first took each step.
 *
 * A topic taken on, answered at once or deliberated, and a task handed over or sent back, counts
 * in the period of its FIRST such step (a topic answered in March and put on an agenda in May is
 * taken on in March): each is counted once in any span of time, and the counts of months add up
 * to the counts of their quarter and year, which is what lets finished months be served from
 * their roll-ups (MetricRollup).
 */
type Prepared = {
  onTime: Map<string, boolean>;
  known: Set<string>;
  firstTakenOn: Map<string, number>;
  firstAtOnce: Map<string, number>;
  firstDeliberated: Map<string, number>;
  firstSubmitted: Map<string, number>;
  firstSentBack: Map<string, number>;
};
const preparedInputs = new WeakMap<MetricInput, Prepared>();
const keepFirst = (map: Map<string, number>, id: string, at: Date) => {
  const before = map.get(id);
  if (before === undefined || at.getTime() < before) map.set(id, at.getTime());
};
function prepare(input: MetricInput): Prepared {
  let p = preparedInputs.get(input);
  if (p) return p;
  const submittedBy = new Map<string, Date[]>();
  const firstSubmitted = new Map<string, number>();
  const firstSentBack = new Map<string, number>();
  for (const s of input.taskSteps) {
    if (s.kind === "sentBack") keepFirst(firstSentBack, s.taskId, s.at);
    if (s.kind !== "submitted") continue;
    keepFirst(firstSubmitted, s.taskId, s.at);
    const list = submittedBy.get(s.taskId) ?? [];
    list.push(s.at);
    submittedBy.set(s.taskId, list);
  }
  const onTime = new Map<string, boolean>();
  for (const t of input.tasks) {
    const handed = handedOverAt(t, submittedBy.get(t.id) ?? []);
    onTime.set(t.id, handed !== null && handed.getTime() <= t.deadline.getTime());
  }
  const firstTakenOn = new Map<string, number>();
  const firstAtOnce = new Map<string, number>();
  const firstDeliberated = new Map<string, number>();
  for (const s of input.topicSteps) {
    if ((TAKING_ON_STEPS as readonly string[]).includes(s.type)) keepFirst(firstTakenOn, s.topicId, s.at);
    if ((AT_ONCE_STEPS as readonly string[]).includes(s.type)) keepFirst(firstAtOnce, s.topicId, s.at);
    if ((DELIBERATION_STEPS as readonly string[]).includes(s.type)) keepFirst(firstDeliberated, s.topicId, s.at);
  }
  p = { onTime, known: new Set(input.tasks.map((t) => t.id)), firstTakenOn, firstAtOnce, firstDeliberated, firstSubmitted, firstSentBack };
  preparedInputs.set(input, p);
  return p;
}

/** The counts of one period, as of `now` (a period still running is counted up to now). */
export function countPeriod(input: MetricInput, period: Period, now: Date): Counts {
  const c = emptyCounts();
  const end = Math.min(period.to.getTime(), now.getTime());

  for (const t of input.topics) if (inPeriod(t.createdAt, period)) c.topicsRaised++;
  const prepared = prepare(input);
  const firstIn = (map: Map<string, number>, known?: Set<string>) => {
    let n = 0;
    for (const [id, at] of map) if (at >= period.from.getTime() && at < period.to.getTime() && (!known || known.has(id))) n++;
    return n;
  };
  c.topicsAccepted = firstIn(prepared.firstTakenOn);
  c.topicsAnsweredAtOnce = firstIn(prepared.firstAtOnce);
  c.topicsDeliberated = firstIn(prepared.firstDeliberated);
  c.tasksReopened = firstIn(prepared.firstSentBack, prepared.known);
  c.tasksHandedOver = firstIn(prepared.firstSubmitted, prepared.known);

  for (const t of input.tasks) {
    const rules = input.rules.get(t.communityId);
    const onTime = prepared.onTime.get(t.id) === true;
    if (inPeriod(t.createdAt, period)) {
      c.tasksOpened++;
      const responseDue = t.createdAt.getTime() + (rules?.responseDeadlineHours ?? 48) * HOUR_MS;
      const responded = t.firstResponseAt !== null && t.firstResponseAt.getTime() <= responseDue;
      // A task whose response time has not run out yet (and that has no response) cannot be judged.
      if (t.firstResponseAt !== null || responseDue <= now.getTime()) {
        c.tasksResponseJudged++;
        if (responded) c.tasksRespondedInTime++;
      }
    }
    if (t.closedAt && inPeriod(t.closedAt, period)) {
      c.tasksClosed++;
      if (onTime) c.tasksClosedOnTime++;
      c.closeDaysSum += (t.closedAt.getTime() - t.createdAt.getTime()) / DAY_MS;
    }
    // Due in the period (and the deadline already passed): the cohort of 办结率 and of 逾期.
    if (t.deadline.getTime() >= period.from.getTime() && t.deadline.getTime() < end) {
      c.tasksDue++;
      if (t.closedAt) c.tasksDueClosed++;
      if (!onTime) c.tasksOverdue++;
    }
  }

  for (const v of input.verifications) {
    if (!inPeriod(v.at, period)) continue;
    c.verdicts++;
    if (v.verdict === "confirm") c.verdictsSolved++;
    if (v.rating != null) {
      c.ratings++;
      c.ratingSum += v.rating;
      if ((input.rules.get(v.communityId)?.satisfiedRatings ?? [4, 5]).includes(v.rating)) c.ratingsSatisfied++;
    }
  }
  return c;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** The rates of a set of counts (also of counts added up from monthly snapshots). */
export function ratesOf(c: Counts): Rates {
  return {
    responseRate: ratio(c.tasksRespondedInTime, c.tasksResponseJudged),
    closeRate: ratio(c.tasksDueClosed, c.tasksDue),
    onTimeRate: ratio(c.tasksClosedOnTime, c.tasksClosed),
    solveRate: ratio(c.verdictsSolved, c.verdicts),
    satisfactionRate: ratio(c.ratingsSatisfied, c.ratings),
    reopenRate: ratio(c.tasksReopened, c.tasksHandedOver),
    averageRating: ratio(c.ratingSum, c.ratings),
    averageDaysToClose: ratio(c.closeDaysSum, c.tasksClosed),
  };
}

export function figuresOf(input: MetricInput, period: Period, now: Date): Figures {
  const counts = countPeriod(input, period, now);
  return { ...counts, ...ratesOf(counts) };
}

export function addCounts(a: Counts, b: Counts): Counts {
  const out = emptyCounts();
  for (const k of COUNT_KEYS) out[k] = a[k] + b[k];
  return out;
}

/** The part of the input that belongs to one key (a category, a grid, an organisation). */
export function splitInput(input: MetricInput, keyOfTopic: (t: TopicRow) => string | null, keyOfTask: (t: TaskRow) => string | null): Map<string, MetricInput> {
  const parts = new Map<string, MetricInput>();
  const part = (key: string) => {
    let p = parts.get(key);
    if (!p) parts.set(key, (p = { topics: [], topicSteps: [], tasks: [], taskSteps: [], verifications: [], rules: input.rules }));
    return p;
  };
  const topicKey = new Map<string, string>();
  for (const t of input.topics) {
    const k = keyOfTopic(t);
    if (k === null) continue;
    topicKey.set(t.id, k);
    part(k).topics.push(t);
  }
  for (const s of input.topicSteps) {
    const k = topicKey.get(s.topicId);
    if (k !== undefined) part(k).topicSteps.push(s);
  }
  const taskKey = new Map<string, string>();
  for (const t of input.tasks) {
    const k = keyOfTask(t);
    if (k === null) continue;
    taskKey.set(t.id, k);
    part(k).tasks.push(t);
  }
  for (const s of input.taskSteps) {
    const k = taskKey.get(s.taskId);
    if (k !== undefined) part(k).taskSteps.push(s);
  }
  for (const v of input.verifications) {
    const k = taskKey.get(v.taskId);
    if (k !== undefined) part(k).verifications.push(v);
  }
  return parts;
}

// ——— Periods (Beijing time: UTC+8, no daylight saving) ———

const BEIJING_MS = 8 * HOUR_MS;
/** "2026-11" → [2026-11-01 00:00 Beijing, 2026-12-01 00:00 Beijing). */
export function monthPeriod(month: string): Period {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return { from: new Date(Date.UTC(y, m - 1, 1) - BEIJING_MS), to: new Date(Date.UTC(y, m, 1) - BEIJING_MS) };
}
/** "2026-Q4" → the three months. */
export function quarterPeriod(quarter: string): Period {
  const [y, q] = [Number(quarter.slice(0, 4)), Number(quarter.slice(6))];
  return { from: new Date(Date.UTC(y, (q - 1) * 3, 1) - BEIJING_MS), to: new Date(Date.UTC(y, q * 3, 1) - BEIJING_MS) };
}
export function yearPeriod(year: number): Period {
  return { from: new Date(Date.UTC(year, 0, 1) - BEIJING_MS), to: new Date(Date.UTC(year + 1, 0, 1) - BEIJING_MS) };
}
/** The Beijing month a moment falls in. */
export function monthOf(at: Date): string {
  const d = new Date(at.getTime() + BEIJING_MS);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}
export function quarterOf(at: Date): string {
  const d = new Date(at.getTime() + BEIJING_MS);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}
/** The `count` months ending with the one `at` falls in, oldest first. */
export function monthsUpTo(at: Date, count: number): string[] {
  const [y, m] = monthOf(at).split("-").map(Number) as [number, number];
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`);
  }
  return out;
}
export function quartersUpTo(at: Date, count: number): string[] {
  const [y, q] = [Number(quarterOf(at).slice(0, 4)), Number(quarterOf(at).slice(6))];
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const n = y * 4 + (q - 1) - i;
    out.push(`${Math.floor(n / 4)}-Q${(n % 4) + 1}`);
  }
  return out;
}
/** The Beijing calendar day of a moment, "2026-12-01" (for list links that filter by day). */
export function beijingDay(at: Date): string {
  return new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 10);
}
/** When a Beijing calendar day starts: "2026-12-18" → 2026-12-17T16:00Z. */
export function dayStart(day: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) - BEIJING_MS);
}

/**
 * A roll-up row's period. "2026-11" is a whole month. "2026-12-18" is a month still open, from
 * its first day up to (not including) the 18th: the part of it that has settled, so that only
 * the last days are counted fresh.
 */
export function rollupPeriod(key: string): Period {
  const month = monthPeriod(key.slice(0, 7));
  return key.length === 7 ? month : { from: month.from, to: dayStart(key) };
}

/**
 * The month-to-date key of a month that has not settled, as of now: up to the latest day boundary
 * whose response time (settleMs) has run out, and never the whole month (that is the month's own
 * row, once it settles). Null while not even its first day has settled.
 */
export function monthToDateKey(month: string, now: Date, settleMs: number): string | null {
  const p = monthPeriod(month);
  const latest = dayStart(beijingDay(new Date(now.getTime() - settleMs))).getTime();
  const cut = Math.min(latest, p.to.getTime() - DAY_MS);
  return cut > p.from.getTime() ? beijingDay(new Date(cut)) : null;
}

// ——— 物业考评: the star rating ———

/**
 * The published, district-configurable formula. Each part is a score from 0 to 1; the stars are
 * 1 + 4 × the weighted mean of the parts, rounded to the nearest half star. A part without data
 * (no rated task) is left out and the other weights are used in proportion; without any data
 * there are no stars.
 */
export type ScorecardWeights = { onTime: number; reopen: number; rating: number; response: number };
export const DEFAULT_WEIGHTS: ScorecardWeights = { onTime: 0.35, reopen: 0.15, rating: 0.35, response: 0.15 };

export type ScorecardParts = { onTimeRate: number | null; reopenRate: number | null; averageRating: number | null; responseRate: number | null };

export function starsOf(parts: ScorecardParts, weights: ScorecardWeights = DEFAULT_WEIGHTS): number | null {
  const scored: [number, number][] = [];
  if (parts.onTimeRate !== null) scored.push([weights.onTime, parts.onTimeRate]);
  if (parts.reopenRate !== null) scored.push([weights.reopen, 1 - parts.reopenRate]);
  if (parts.averageRating !== null) scored.push([weights.rating, (parts.averageRating - 1) / 4]);
  if (parts.responseRate !== null) scored.push([weights.response, parts.responseRate]);
  const total = scored.reduce((s, [w]) => s + w, 0);
  if (scored.length === 0 || total <= 0) return null;
  const score = scored.reduce((s, [w, v]) => s + w * Math.min(1, Math.max(0, v)), 0) / total;
  return Math.round((1 + 4 * score) * 2) / 2;
}
