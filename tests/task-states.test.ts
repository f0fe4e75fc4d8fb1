// The task state machine, move by move, and "overdue" from the deadline.
import { describe, expect, it } from "vitest";
import { IllegalTaskMove, type TASK_MOVES, TASK_MOVE_NAMES, TASK_STATUSES, assertTaskMove, canMoveTask, isOverdue, isWorking } from "~/models/task-states";

// Every (status, move) pair: the target, or null when the move is illegal from there.
const TABLE: Record<(typeof TASK_STATUSES)[number], Record<keyof typeof TASK_MOVES, string | null>> = {
  pending: { start: "inProgress", submit: "awaitingVerification", finish: "closed", close: null, sendBack: null },
  inProgress: { start: null, submit: "awaitingVerification", finish: "closed", close: null, sendBack: null },
  awaitingVerification: { start: null, submit: null, finish: null, close: "closed", sendBack: "sentBack" },
  closed: { start: null, submit: null, finish: null, close: null, sendBack: null },
  sentBack: { start: "inProgress", submit: "awaitingVerification", finish: "closed", close: null, sendBack: null },
};

describe("task state machine", () => {
  for (const status of TASK_STATUSES)
    for (const move of TASK_MOVE_NAMES) {
      const to = TABLE[status][move];
      it(`${status} --${move}--> ${to ?? "refused"}`, () => {
        expect(canMoveTask(status, move)).toBe(to !== null);
        if (to) expect(assertTaskMove(status, move)).toBe(to);
        else expect(() => assertTaskMove(status, move)).toThrow(IllegalTaskMove);
      });
    }

  it("a closed task is final: no move leaves it", () => {
    expect(TASK_MOVE_NAMES.filter((m) => canMoveTask("closed", m))).toEqual([]);
  });

  it("refuses an unknown status with the refusal's key and status", () => {
    try {
      assertTaskMove("bogus", "submit");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IllegalTaskMove);
      expect((e as IllegalTaskMove).status).toBe(409);
      expect((e as IllegalTaskMove).key).toBe("errors.taskMoveIllegal");
    }
  });
});

describe("overdue", () => {
  const now = new Date("2026-12-10T00:00:00Z");
  const past = new Date("2026-12-09T23:59:59Z");
  const future = new Date("2026-12-10T00:00:01Z");
  it.each([
    ["pending", past, true],
    ["inProgress", past, true],
    ["sentBack", past, true],
    ["awaitingVerification", past, false],
    ["closed", past, false],
    ["pending", future, false],
    ["inProgress", now, false],
  ] as const)("%s due %s → %s", (status, deadline, overdue) => {
    expect(isOverdue({ status, deadline }, now)).toBe(overdue);
  });
  it("working statuses are exactly those the owner still works in", () => {
    expect(TASK_STATUSES.filter(isWorking)).toEqual(["pending", "inProgress", "sentBack"]);
  });
});
