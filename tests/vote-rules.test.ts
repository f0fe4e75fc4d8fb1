import { describe, expect, it } from "vitest";
import { DEFAULT_OPTIONS, decide, quorum, quorumRequired } from "~/models/vote-rules";

const yna = (yes: number, no: number, abstain = 0) => ({ yes, no, abstain });

describe("quorum", () => {
  it.each([
    [6, 0.5, false, 4],
    [7, 0.5, false, 4],
    [6, 0.5, true, 3],
    [7, 0.5, true, 4],
    [9, 2 / 3, true, 6],
    [9, 2 / 3, false, 7],
    [1, 0.5, false, 1],
  ])("%i seated, ratio %f, inclusive %s → %i needed", (seated, ratio, inclusive, needed) => {
    expect(quorumRequired(seated, ratio, inclusive)).toBe(needed);
  });
  it("is met at the threshold, not below, and never with nobody seated", () => {
    expect(quorum(6, 4, 0.5, false).met).toBe(true);
    expect(quorum(6, 3, 0.5, false).met).toBe(false);
    expect(quorum(0, 0, 0.5, true).met).toBe(false);
  });
});

describe("pass rules", () => {
  const d = (counts: Record<string, number>, present: number, rule: Parameters<typeof decide>[0]["rule"]) =>
    decide({ options: DEFAULT_OPTIONS, counts, present, rule });

  it("majority of votes cast ignores abstentions and fails on a tie", () => {
    expect(d(yna(3, 2, 5), 10, "majorityCast").passed).toBe(true);
    expect(d(yna(3, 3, 0), 6, "majorityCast").passed).toBe(false);
    expect(d(yna(0, 0, 5), 5, "majorityCast").passed).toBe(false);
    expect(d(yna(3, 2, 5), 10, "majorityCast")).toMatchObject({ support: 3, base: 5 });
  });

  it("majority of members present counts abstentions and absentees against", () => {
    expect(d(yna(5, 0, 5), 10, "majorityPresent").passed).toBe(false);
    expect(d(yna(6, 0, 4), 10, "majorityPresent").passed).toBe(true);
    expect(d(yna(6, 0, 0), 12, "majorityPresent").passed).toBe(false);
  });

  it("two thirds: exactly two thirds passes, just under fails", () => {
    expect(d(yna(4, 2), 6, "twoThirdsCast").passed).toBe(true);
    expect(d(yna(5, 3), 8, "twoThirdsCast").passed).toBe(false);
    expect(d(yna(6, 0, 3), 9, "twoThirdsPresent").passed).toBe(true);
    expect(d(yna(5, 0, 4), 9, "twoThirdsPresent").passed).toBe(false);
  });

  it("can require the rule within named constituencies at once", () => {
    const input = {
      options: DEFAULT_OPTIONS,
      counts: yna(6, 3),
      present: 9,
      rule: "majorityCast" as const,
      constituencies: [
        { name: "resident", counts: yna(5, 0), present: 5 },
        { name: "ownersCommittee", counts: yna(1, 3), present: 4 },
      ],
    };
    expect(decide(input)).toMatchObject({ passed: false, failedIn: ["ownersCommittee"] });
    expect(decide({ ...input, constituencies: [input.constituencies[0]!] }).passed).toBe(true);
  });

  it("custom choices: the leading choice carries if it meets the rule; a tie carries nothing", () => {
    const options = ["方案一", "方案二", "方案三"];
    expect(decide({ options, counts: { 方案一: 5, 方案二: 2, 方案三: 1 }, present: 8, rule: "majorityCast" })).toMatchObject({
      passed: true,
      winner: "方案一",
    });
    expect(decide({ options, counts: { 方案一: 4, 方案二: 3, 方案三: 2 }, present: 9, rule: "majorityCast" })).toMatchObject({
      passed: false,
      winner: "方案一",
    });
    expect(decide({ options, counts: { 方案一: 3, 方案二: 3, 方案三: 0 }, present: 6, rule: "majorityCast" })).toMatchObject({ passed: false, winner: null });
  });
});
