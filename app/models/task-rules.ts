// Pure rules of joint-handling tasks, table-tested in tests/tasks.test.ts: the weighted
// roll-up of sub-tasks, the community's verification rule, what counts as satisfied.
import { z } from "zod";

import { RATINGS, SILENCE_COUNTS, VERDICTS, VERIFICATION_RULES, type SilenceCounts, type Verdict, type VerificationRule } from "~/utils/task-domain";

export { RATINGS, SILENCE_COUNTS, VERDICTS, VERIFICATION_RULES, type SilenceCounts, type Verdict, type VerificationRule };
export const RATING_KEYS = { 5: "verySatisfied", 4: "satisfied", 3: "neutral", 2: "dissatisfied", 1: "veryDissatisfied" } as const;
export const ratingSchema = z.coerce.number().int("errors.ratingInvalid").min(1, "errors.ratingInvalid").max(5, "errors.ratingInvalid");

export type TaskSettings = {
  rule: VerificationRule;
  days: number;
  silence: SilenceCounts;
  responseDeadlineHours: number;
  satisfiedRatings: number[];
};

export const DEFAULT_TASK_SETTINGS: TaskSettings = { rule: "firstVerifier", days: 7, silence: "accepted", responseDeadlineHours: 48, satisfiedRatings: [4, 5] };

/** The community's columns (Community.task*) as settings; anything unreadable falls back to the default. */
export function taskSettingsOf(c: {
  taskVerificationRule: string;
  taskVerificationDays: number;
  taskSilenceCounts: string;
  taskResponseDeadlineHours: number;
  taskSatisfiedRatings: string;
}): TaskSettings {
  let satisfied: number[] = DEFAULT_TASK_SETTINGS.satisfiedRatings;
  try {
    const parsed = z.array(z.number().int().min(1).max(5)).safeParse(JSON.parse(c.taskSatisfiedRatings));
    if (parsed.success) satisfied = parsed.data;
  } catch {
    // keep the default
  }
  return {
    rule: (VERIFICATION_RULES as readonly string[]).includes(c.taskVerificationRule) ? (c.taskVerificationRule as VerificationRule) : "firstVerifier",
    days: c.taskVerificationDays > 0 ? c.taskVerificationDays : DEFAULT_TASK_SETTINGS.days,
    silence: c.taskSilenceCounts === "notAccepted" ? "notAccepted" : "accepted",
    responseDeadlineHours: c.taskResponseDeadlineHours > 0 ? c.taskResponseDeadlineHours : DEFAULT_TASK_SETTINGS.responseDeadlineHours,
    satisfiedRatings: satisfied,
  };
}

export function isSatisfied(settings: Pick<TaskSettings, "satisfiedRatings">, rating: number | null | undefined): boolean {
  return rating != null && settings.satisfiedRatings.includes(rating);
}

/**
 * A parent's progress: its children's progress weighted by their weights (a closed child counts
 * as 100). Without children (or with zero total weight) it is the task's own figure.
 */
export function rollUp(own: number, children: readonly { weight: number; progress: number; status: string }[]): number {
  const total = children.reduce((s, c) => s + Math.max(0, c.weight), 0);
  if (children.length === 0 || total === 0) return own;
  const sum = children.reduce((s, c) => s + Math.max(0, c.weight) * (c.status === "closed" ? 100 : clampPercent(c.progress)), 0);
  return Math.round(sum / total);
}

function clampPercent(p: number): number {
  return Math.min(100, Math.max(0, p));
}

export type VerificationDecision =
  { outcome: "pending" } | { outcome: "closed"; via: "verified" | "silence" } | { outcome: "sentBack"; via: "verified" | "silence" };

/**
 * Whether a round of verification is decided, by the community's rule.
 * - firstVerifier: the first response decides.
 * - majorityWithinDays: a majority (more than half) of those who respond within `days` decides;
 *   decided early once the outcome can no longer change (more than half of everyone entitled agree
 *   to confirm, or at least half send back), or when everyone entitled has responded.
 * Under both rules, if nobody has responded once `days` have passed, silence decides as configured.
 * Responses after the window are not counted (the caller refuses them anyway once it is decided).
 */
export function decideVerification(input: {
  rule: VerificationRule;
  days: number;
  silence: SilenceCounts;
  requestedAt: Date | number;
  now: Date | number;
  entitled: number;
  responses: readonly { verdict: Verdict; at: Date | number }[];
}): VerificationDecision {
  const start = new Date(input.requestedAt).getTime();
  const end = start + input.days * 86_400_000;
  const now = new Date(input.now).getTime();
  const inWindow = input.responses.filter((r) => new Date(r.at).getTime() <= end).sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  const windowOver = now >= end;
  if (inWindow.length === 0) {
    if (!windowOver) return { outcome: "pending" };
    return input.silence === "accepted" ? { outcome: "closed", via: "silence" } : { outcome: "sentBack", via: "silence" };
  }
  if (input.rule === "firstVerifier")
    return inWindow[0]!.verdict === "confirm" ? { outcome: "closed", via: "verified" } : { outcome: "sentBack", via: "verified" };
  const confirms = inWindow.filter((r) => r.verdict === "confirm").length;
  const sendBacks = inWindow.length - confirms;
  const everyone = Math.max(input.entitled, inWindow.length);
  if (2 * confirms > everyone) return { outcome: "closed", via: "verified" };
  if (2 * sendBacks >= everyone) return { outcome: "sentBack", via: "verified" };
  if (!windowOver && inWindow.length < everyone) return { outcome: "pending" };
  return 2 * confirms > inWindow.length ? { outcome: "closed", via: "verified" } : { outcome: "sentBack", via: "verified" };
}

/** When the owner's first response is due (taskResponseDeadlineHours after creation). */
export function responseDueAt(createdAt: Date | number, settings: Pick<TaskSettings, "responseDeadlineHours">): Date {
  return new Date(new Date(createdAt).getTime() + settings.responseDeadlineHours * 3_600_000);
}

/** Days before the deadline at which the owner is reminded (the dashboard's scheduler sends it). */
export const DEADLINE_NOTICE_DAYS = 3;
