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

describe("presence chips", () => {
  /** WCAG 2 contrast ratio of white text on `hex`. */
  function contrastWithWhite(hex: string): number {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    const l = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    return 1.05 / (l + 0.05);
  }
  it("every caret colour carries white text at 4.5:1 or more (WCAG AA)", async () => {
    const { CARET_COLORS, PRESENCE_FALLBACK_COLOR } = await import("~/utils/color");
    for (const c of [...CARET_COLORS, PRESENCE_FALLBACK_COLOR]) expect(contrastWithWhite(c), c).toBeGreaterThanOrEqual(4.5);
  });
});

describe("the sign-in page of a production install", () => {
  it("never shows the demo password, even with the demo community in the database", async () => {
    process.env.YISHI_DEMO = "0";
    const { demo } = await import("./fixtures/demo");
    await demo();
    const { loader } = await import("~/routes/login");
    const result = (await loader({ request: new Request("http://localhost/login"), params: {}, context: {} } as never)) as { demo: boolean };
    expect(result).toEqual({ demo: false });
  });
});
