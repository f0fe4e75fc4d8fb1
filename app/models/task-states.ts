// The task (联办任务) state machine: the only way a task's status changes. Shared by
// the server (which enforces it) and the pages (which offer only legal moves).
//   待处理 pending → 处理中 inProgress → 待验收 awaitingVerification → 已办结 closed
//   待验收 → 退回 sentBack (with a reason) → 处理中 again.
import { z } from "zod";
import { Refusal } from "~/utils/errors";

import { TASK_STATUSES, type TaskStatus } from "~/utils/task-domain";

export { TASK_STATUSES, type TaskStatus };
export const taskStatusSchema = z.enum(TASK_STATUSES);

export const TASK_MOVES = {
  /** The owner's side takes it up (also implied by its first progress update). */
  start: { from: ["pending", "sentBack"], to: "inProgress" },
  /** The owner says the work is done: residents are asked to verify. */
  submit: { from: ["pending", "inProgress", "sentBack"], to: "awaitingVerification" },
  /** A sub-task is finished by its owner: residents verify the parent, not each part. */
  finish: { from: ["pending", "inProgress", "sentBack"], to: "closed" },
  /** The community's verification rule accepted it (app/models/task-rules.ts). */
  close: { from: ["awaitingVerification"], to: "closed" },
  /** The verification rule did not accept it: back to the owner with the reason. */
  sendBack: { from: ["awaitingVerification"], to: "sentBack" },
} as const satisfies Record<string, { from: readonly TaskStatus[]; to: TaskStatus }>;
export type TaskMove = keyof typeof TASK_MOVES;
export const TASK_MOVE_NAMES = Object.keys(TASK_MOVES) as TaskMove[];

export function canMoveTask(status: string, move: TaskMove): boolean {
  return (TASK_MOVES[move].from as readonly string[]).includes(status);
}

export class IllegalTaskMove extends Refusal {
  constructor(
    readonly move: TaskMove,
    readonly from: string,
  ) {
    super(409, "errors.taskMoveIllegal", { status: from }, undefined, `a task that is "${from}" cannot be moved by "${move}"`);
  }
}

export function assertTaskMove(status: string, move: TaskMove): TaskStatus {
  if (!canMoveTask(status, move)) throw new IllegalTaskMove(move, status);
  return TASK_MOVES[move].to;
}

/** Statuses in which the owner's side still works on it (and may post progress). */
export const WORKING_STATUSES: readonly TaskStatus[] = ["pending", "inProgress", "sentBack"];
export function isWorking(status: string): boolean {
  return (WORKING_STATUSES as readonly string[]).includes(status);
}

/**
 * Overdue: still being worked on after its deadline. A task awaiting verification or closed is
 * not overdue (the owner has handed it over; the residents' window is the verification rule's).
 */
export function isOverdue(task: { status: string; deadline: Date | string }, now: Date | number = Date.now()): boolean {
  return isWorking(task.status) && new Date(task.deadline).getTime() < new Date(now).getTime();
}
