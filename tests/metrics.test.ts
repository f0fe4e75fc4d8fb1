// Every dashboard formula on a hand-made data set with known answers (November 2026, Beijing
// time), including the edge cases: no rated task, a task sent back twice, an extended deadline,
// a task handed over on time but closed after the deadline, a community that counts 3 as satisfied.
import { describe, expect, it } from "vitest";
import {
  countPeriod,
  figuresOf,
  handedOverAt,
  monthOf,
  monthToDateKey,
  monthsUpTo,
  quarterOf,
  quarterPeriod,
  quartersUpTo,
  rollupPeriod,
  splitInput,
  starsOf,
  type MetricInput,
} from "~/models/metrics";

import { NOV, NOW, d, data, task } from "./fixtures/metric-data";

describe("periods (Beijing time)", () => {
  it("months, quarters and their boundaries", () => {
    expect(NOV.from.toISOString()).toBe("2026-10-31T16:00:00.000Z");
    expect(NOV.to.toISOString()).toBe("2026-11-30T16:00:00.000Z");
    expect(quarterPeriod("2026-Q4").from.toISOString()).toBe("2026-09-30T16:00:00.000Z");
    expect(quarterPeriod("2026-Q4").to.toISOString()).toBe("2026-12-31T16:00:00.000Z");
    expect(monthOf(d("2026-11-30T16:30:00Z"))).toBe("2026-12");
    expect(quarterOf(d("2026-12-31T16:00:00Z"))).toBe("2027-Q1");
    expect(monthsUpTo(d("2026-02-10T00:00:00Z"), 4)).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(quartersUpTo(d("2026-02-10T00:00:00Z"), 3)).toEqual(["2025-Q3", "2025-Q4", "2026-Q1"]);
  });

  it.each([
    // [month, now (UTC), response hours, month-to-date key]
    ["2026-12", "2026-12-05T00:00:00Z", 48, "2026-12-03"], // 5 Dec 08:00 Beijing − 48 h = 3 Dec 08:00: the 1st and 2nd have settled
    ["2026-12", "2026-12-04T15:59:00Z", 48, "2026-12-02"], // one minute before midnight Beijing
    ["2026-12", "2026-12-04T16:00:00Z", 48, "2026-12-03"], // at midnight Beijing the 2nd's 48 h have run out
    ["2026-12", "2026-12-05T00:00:00Z", 24, "2026-12-04"],
    ["2026-12", "2026-12-02T00:00:00Z", 48, null], // not even the 1st has settled
    ["2026-12", "2026-12-02T16:00:00Z", 48, null], // 3 Dec 00:00 Beijing − 48 h is the month's start
    ["2026-12", "2026-12-03T16:00:00Z", 48, "2026-12-02"],
    ["2026-11", "2026-12-02T00:00:00Z", 48, "2026-11-30"], // a month just ended: never the whole month (its own row, once settled)
    ["2027-01", "2026-12-20T00:00:00Z", 48, null], // a month to come
  ] as const)("the month-to-date key of %s at %s with %i h to respond is %s", (month, now, hours, key) => {
    expect(monthToDateKey(month, d(now), hours * 3_600_000)).toBe(key);
    if (key) {
      const p = rollupPeriod(key);
      expect(p.from).toEqual(rollupPeriod(month).from);
      expect(p.to.getTime() + hours * 3_600_000).toBeLessThanOrEqual(d(now).getTime());
    }
  });
});

describe("the figures of November", () => {
  const f = figuresOf(data, NOV, NOW);

  it("topics: raised, taken on, answered at once (前店), deliberated (后厂)", () => {
    expect([f.topicsRaised, f.topicsAccepted, f.topicsAnsweredAtOnce, f.topicsDeliberated]).toEqual([3, 3, 1, 1]);
  });

  it("tasks: opened, closed, closed on time, due, overdue, reopened (a task sent back twice counts once)", () => {
    expect({
      opened: f.tasksOpened,
      closed: f.tasksClosed,
      onTime: f.tasksClosedOnTime,
      due: f.tasksDue,
      dueClosed: f.tasksDueClosed,
      overdue: f.tasksOverdue,
      reopened: f.tasksReopened,
      handedOver: f.tasksHandedOver,
    }).toEqual({ opened: 4, closed: 2, onTime: 1, due: 4, dueClosed: 2, overdue: 2, reopened: 1, handedOver: 3 });
  });

  it("rates: 响应率, 办结率, 按时办结率, 解决率, 满意率, reopen rate, average rating, days to close", () => {
    expect(f.responseRate).toBe(2 / 4);
    expect(f.closeRate).toBe(2 / 4);
    expect(f.onTimeRate).toBe(1 / 2);
    expect(f.solveRate).toBe(3 / 4);
    expect(f.satisfactionRate).toBe(2 / 4);
    expect(f.reopenRate).toBe(1 / 3);
    expect(f.averageRating).toBe(3.5);
    expect(f.averageDaysToClose).toBe(15.5);
  });

  it("a task still inside its response time is not judged yet", () => {
    const at = d("2026-11-21T10:00:00Z");
    // As the database was on 21 November: K5 did not exist yet.
    const early = countPeriod({ ...data, tasks: data.tasks.filter((t) => t.createdAt <= at) }, NOV, at);
    // K1 and K2 responded; K3 (opened 20 Nov 10:00) has until 22 Nov.
    expect(early.tasksResponseJudged).toBe(2);
    expect(early.tasksRespondedInTime).toBe(1);
    // Only deadlines already passed are due: K4 (5 Nov), K1 (10 Nov), K2 (15 Nov).
    expect(early.tasksDue).toBe(3);
  });

  it("no rated task and nothing due: no figure (null), not 0 %", () => {
    const empty = figuresOf({ ...data, tasks: [], taskSteps: [], verifications: [] }, NOV, NOW);
    expect([empty.satisfactionRate, empty.averageRating, empty.closeRate, empty.onTimeRate, empty.responseRate, empty.reopenRate]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(empty.tasksOpened).toBe(0);
  });

  it("which ratings count as satisfied is each community's own setting", () => {
    const c2: MetricInput = {
      ...data,
      topics: [],
      topicSteps: [],
      tasks: [
        task({ id: "K7", communityId: "c2", createdAt: d("2026-11-03T10:00:00Z"), deadline: d("2026-11-20T10:00:00Z"), closedAt: d("2026-11-18T10:00:00Z") }),
      ],
      taskSteps: [],
      verifications: [{ taskId: "K7", communityId: "c2", verdict: "confirm", rating: 3, at: d("2026-11-18T10:00:00Z") }],
    };
    expect(figuresOf(c2, NOV, NOW).satisfactionRate).toBe(1);
    // Closed without a submission (a part finished as done): handed over when it closed, on time.
    expect(figuresOf(c2, NOV, NOW).onTimeRate).toBe(1);
    const both = figuresOf({ ...data, tasks: [...data.tasks, ...c2.tasks], verifications: [...data.verifications, ...c2.verifications] }, NOV, NOW);
    expect([both.ratings, both.ratingsSatisfied]).toEqual([5, 3]);
  });

  it("handed over: the last submission before closing; an open task only while it awaits verification", () => {
    const subs = [d("2026-11-12T10:00:00Z"), d("2026-11-20T10:00:00Z"), d("2026-11-25T10:00:00Z")];
    expect(handedOverAt({ status: "closed", closedAt: d("2026-11-22T10:00:00Z") }, subs)?.toISOString()).toBe("2026-11-20T10:00:00.000Z");
    expect(handedOverAt({ status: "sentBack", closedAt: null }, subs)).toBeNull();
    expect(handedOverAt({ status: "awaitingVerification", closedAt: null }, subs)?.toISOString()).toBe("2026-11-25T10:00:00.000Z");
  });
});

describe("breakdowns", () => {
  it("by category, grid and organisation: the parts add up to the whole", () => {
    const byOrg = splitInput(
      data,
      (t) => t.referredOrgId,
      (t) => t.organizationId,
    );
    expect(countPeriod(byOrg.get("org1")!, NOV, NOW).tasksClosed).toBe(1);
    expect(countPeriod(byOrg.get("org2")!, NOV, NOW).tasksReopened).toBe(1);
    expect(countPeriod(byOrg.get("org1")!, NOV, NOW).topicsAccepted).toBe(1);
    const byCategory = splitInput(
      data,
      (t) => t.category,
      (t) => t.category,
    );
    const parking = countPeriod(byCategory.get("parking")!, NOV, NOW);
    const greenery = countPeriod(byCategory.get("greenery")!, NOV, NOW);
    expect([parking.topicsRaised, greenery.topicsRaised]).toEqual([1, 2]);
    expect(parking.verdicts + greenery.verdicts).toBe(4);
    expect([parking.ratingSum, greenery.ratingSum]).toEqual([8, 6]);
  });
});

describe("the star rating (物业考评)", () => {
  it("1 + 4 × the weighted score, to the half star; parts without data leave their weight out", () => {
    // November's figures: on time 0.5, reopen 1/3, rating 3.5, response 0.5 → 0.56875 → 3.275 → 3.5
    expect(starsOf({ onTimeRate: 0.5, reopenRate: 1 / 3, averageRating: 3.5, responseRate: 0.5 })).toBe(3.5);
    expect(starsOf({ onTimeRate: 1, reopenRate: 0, averageRating: 5, responseRate: 1 })).toBe(5);
    expect(starsOf({ onTimeRate: 0, reopenRate: 1, averageRating: 1, responseRate: 0 })).toBe(1);
    // No ratings: on time 1 and response 1 weigh alone.
    expect(starsOf({ onTimeRate: 1, reopenRate: null, averageRating: null, responseRate: 1 })).toBe(5);
    expect(starsOf({ onTimeRate: null, reopenRate: null, averageRating: null, responseRate: null })).toBeNull();
    // The district's weights: only ratings count.
    expect(starsOf({ onTimeRate: 0, reopenRate: 1, averageRating: 4, responseRate: 0 }, { onTime: 0, reopen: 0, rating: 1, response: 0 })).toBe(4);
  });
});
