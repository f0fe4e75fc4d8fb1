// The words of joint-handling tasks (联办任务) as the one list of values the database, the
// schemas, the API and the screens use (models re-export them: task-states.ts, task-rules.ts).

/** 待处理 · 处理中 · 待验收 · 已办结 · 退回 */
export const TASK_STATUSES = ["pending", "inProgress", "awaitingVerification", "closed", "sentBack"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** What closes a task awaiting verification (Community.taskVerificationRule). */
export const VERIFICATION_RULES = ["firstVerifier", "majorityWithinDays"] as const;
export type VerificationRule = (typeof VERIFICATION_RULES)[number];
/** What silence means once the verification window has passed (Community.taskSilenceCounts). */
export const SILENCE_COUNTS = ["accepted", "notAccepted"] as const;
export type SilenceCounts = (typeof SILENCE_COUNTS)[number];
export const VERDICTS = ["confirm", "sendBack"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** 满意度: 5 非常满意 · 4 满意 · 3 一般 · 2 不满意 · 1 非常不满意 (stored as the number; the dashboard averages it). */
export const RATINGS = [5, 4, 3, 2, 1] as const;
