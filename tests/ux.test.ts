// Issue 15's logic fixes, each proved against the real code.
import { describe, expect, it } from "vitest";
import { agendaAddSchema, topicMoveSchema } from "~/utils/schemas";

describe("the optional agenda time slot", () => {
  const sessionId = "c0000000000000000000000001";
  it("accepts an empty field on the topic page's schedule move, as the agenda page does", () => {
    for (const timeSlotMin of ["", "  ", undefined]) {
      const parsed = topicMoveSchema.safeParse({ move: "schedule", sessionId, timeSlotMin });
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(parsed.data).toMatchObject({ move: "schedule", sessionId });
      expect((parsed.data as { timeSlotMin?: number }).timeSlotMin).toBeUndefined();
    }
    expect(agendaAddSchema.options[0].safeParse({ topicId: sessionId, timeSlotMin: "" }).success).toBe(true);
  });
  it("still refuses 0, 241 and words, and keeps a number", () => {
    for (const bad of ["0", "241", "abc", "1.5"]) {
      const parsed = topicMoveSchema.safeParse({ move: "schedule", sessionId, timeSlotMin: bad });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/^errors\./);
    }
    expect(topicMoveSchema.parse({ move: "schedule", sessionId, timeSlotMin: "30" })).toMatchObject({ timeSlotMin: 30 });
  });
});
