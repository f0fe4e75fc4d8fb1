// The monthly roll-ups (MetricRollup) against fresh counts of the same rows: each settled
// month, whole and by category, grid and organisation, equals what the narrowed queries count;
// the dashboard's sums equal a fresh count of the period; late events (a task reopened in a
// finished month, a verdict changed, the counting rules changed) make the rows they touch stale,
// and they are counted again before anything is served from them.
import { beforeAll, describe, expect, it } from "vitest";
import { communityDashboard, districtDashboard } from "~/models/dashboard.server";
import { COUNT_KEYS, monthPeriod, quarterPeriod, rollupPeriod, yearPeriod, type Counts, type Period } from "~/models/metrics";
import { dashboardData, ensureRollups, figuresFor, rollUpMonths, type Scope } from "~/models/metrics.server";
import { prisma } from "~/utils/db.server";
import { loadActor } from "~/utils/permissions.server";
import { NOW, d, writeMetricData } from "./fixtures/metric-data";

beforeAll(async () => {
  await writeMetricData(prisma);
});

const countsOnly = (f: Counts): Counts => Object.fromEntries(COUNT_KEYS.map((k) => [k, f[k]])) as Counts;
const fresh = async (scope: Scope, period: Period, now: Date) => countsOnly(await figuresFor(scope, period, now));

/** Every stored row of a community's month (or month to date) equals a fresh count of the same scope (the narrowed queries filter in SQL, the roll-up splits rows: two ways). */
async function expectRollupsFresh(communityId: string, month: string, now: Date) {
  const rows = await prisma.metricRollup.findMany({ where: { communityId, month } });
  const whole = rows.find((r) => r.dimension === "")!;
  expect(whole, `${communityId} ${month} rolled up`).toBeTruthy();
  const period = rollupPeriod(month);
  expect(countsOnly(whole)).toEqual(await fresh({ communityIds: [communityId] }, period, now));
  for (const r of rows.filter((r) => r.dimension !== "")) {
    const scope: Scope =
      r.dimension === "grid"
        ? { communityIds: [communityId], gridId: r.key }
        : r.dimension === "category"
          ? { communityIds: [communityId], category: r.key }
          : { communityIds: [communityId], organizationId: r.key };
    expect(countsOnly(r), `${month} ${r.dimension} ${r.key}`).toEqual(await fresh(scope, period, now));
  }
  return rows;
}

describe("monthly roll-ups", () => {
  it("the job rolls up each settled month once; each row equals a fresh count; the open month only up to its settled days", async () => {
    // NOW is 5 December: October and November are settled (ended, and their 48 h response time
    // has run out); December is open. c1's first topic is from October, c2's from November.
    // December is rolled up to date instead: its days whose response time has run out — up to
    // the 3rd (Beijing) for c1 (48 h), up to the 4th for c2 (24 h).
    expect(await rollUpMonths(NOW)).toBe(2 + 1 + 2);
    expect(await rollUpMonths(NOW)).toBe(0);
    for (const month of ["2026-10", "2026-11", "2026-12-03"]) await expectRollupsFresh("c1", month, NOW);
    await expectRollupsFresh("c2", "2026-11", NOW);
    await expectRollupsFresh("c2", "2026-12-04", NOW);
    expect(await prisma.metricRollup.count({ where: { month: "2026-12" } })).toBe(0);
    // What December's first two days hold (T5 answered at once, K2's verdict) is in those rows.
    const toDate = await prisma.metricRollup.findFirstOrThrow({ where: { communityId: "c1", month: "2026-12-03", dimension: "" } });
    expect([toDate.topicsAnsweredAtOnce, toDate.verdicts]).toEqual([1, 1]);
    const nov = await prisma.metricRollup.findMany({ where: { communityId: "c1", month: "2026-11" } });
    expect(new Set(nov.map((r) => r.dimension))).toEqual(new Set(["", "category", "grid", "organization"]));
    // 1 December plus 48 h (Beijing) has not passed on 2 December: November is still counted fresh.
    expect((await ensureRollups(["c1"], ["2026-11"], d("2026-12-02T00:00:00Z"))).settled).toEqual([]);
  });

  it("the dashboard's sums (roll-ups of October and November, December counted fresh) equal a fresh count of the quarter and the year", async () => {
    for (const period of [quarterPeriod("2026-Q4"), yearPeriod(2026), monthPeriod("2026-11")]) {
      const data = await dashboardData({ communityIds: ["c1"] }, period, ["2026-10", "2026-11", "2026-12"], NOW);
      expect(countsOnly(data.figures)).toEqual(await fresh({ communityIds: ["c1"] }, period, NOW));
      for (const b of data.byGrid) expect(b.counts).toEqual(await fresh({ communityIds: ["c1"], gridId: b.key }, period, NOW));
      for (const b of data.byOrganization) expect(b.counts).toEqual(await fresh({ communityIds: ["c1"], organizationId: b.key }, period, NOW));
      for (const b of data.byCategory) expect(b.counts).toEqual(await fresh({ communityIds: ["c1"], category: b.key }, period, NOW));
    }
    const q4 = quarterPeriod("2026-Q4");
    const everyone = await dashboardData({}, q4, ["2026-11"], NOW);
    expect(countsOnly(everyone.figures)).toEqual(await fresh({}, q4, NOW));
    expect(everyone.byCommunity.map((b) => b.key)).toEqual(["c1", "c2"]);
    expect(everyone.byCommunity[1]!.counts).toEqual(await fresh({ communityIds: ["c2"] }, q4, NOW));
  });

  it("a task reopened in a finished month: November's rows are stale and counted again, October's stay; the dashboard shows the fresh count", async () => {
    const staff = (await loadActor("u-staff"))!;
    const before = await prisma.metricRollup.findFirstOrThrow({ where: { communityId: "c1", month: "2026-11", dimension: "" } });
    expect(before.tasksClosed).toBe(2);
    // K1 (opened 1 Nov, closed 12 Nov) is sent back on 7 December: it is no longer closed in November.
    const reopenedAt = d("2026-12-07T02:00:00Z");
    await prisma.$transaction([
      prisma.task.update({ where: { id: "K1" }, data: { status: "sentBack", closedAt: null, updatedAt: reopenedAt } }),
      prisma.taskEvent.create({ data: { taskId: "K1", kind: "sentBack", createdAt: reopenedAt } }),
    ]);
    const later = d("2026-12-08T00:00:00Z");
    const view = await communityDashboard(staff, { id: "c1", slug: "alpha" }, "2026-11", "zh-CN", later);
    expect(view.figures.find((f) => f.key === "tasksClosed")!.value).toBe(1);
    const nov = await prisma.metricRollup.findFirstOrThrow({ where: { communityId: "c1", month: "2026-11", dimension: "" } });
    expect([nov.tasksClosed, nov.computedAt]).toEqual([1, later]);
    const oct = await prisma.metricRollup.findFirstOrThrow({ where: { communityId: "c1", month: "2026-10", dimension: "" } });
    expect(oct.computedAt).toEqual(NOW);
    await expectRollupsFresh("c1", "2026-11", later);
    await expectRollupsFresh("c1", "2026-10", later);
    // Nothing changed since: served from the rows without counting again.
    expect((await ensureRollups(["c1"], ["2026-10", "2026-11"], d("2026-12-09T00:00:00Z"))).written).toBe(0);
  });

  it("a verdict changed late and a change of the satisfied ratings make the rows stale too", async () => {
    const at = d("2026-12-10T00:00:00Z");
    // A verifier of K2 (November) changes their rating on 10 December: the verdict moves to December.
    const v = await prisma.taskVerification.findFirstOrThrow({ where: { taskId: "K2", rating: 4 } });
    await prisma.taskVerification.update({ where: { id: v.id }, data: { rating: 5, updatedAt: at } });
    expect((await ensureRollups(["c1"], ["2026-10", "2026-11"], d("2026-12-11T00:00:00Z"))).written).toBe(1);
    await expectRollupsFresh("c1", "2026-11", d("2026-12-11T00:00:00Z"));
    await prisma.community.update({ where: { id: "c1" }, data: { taskSatisfiedRatings: "[5]" } });
    expect((await ensureRollups(["c1"], ["2026-10", "2026-11"], d("2026-12-12T00:00:00Z"))).written).toBe(2);
    await expectRollupsFresh("c1", "2026-11", d("2026-12-12T00:00:00Z"));
  });

  it("a month still open: a late change before the cut recounts its month-to-date rows, a change after it does not; the daily job moves the cut on; once settled, the month's own rows replace them", async () => {
    const at = d("2026-12-13T00:00:00Z");
    const keyOf = async () =>
      (await prisma.metricRollup.findMany({ where: { communityId: "c1", month: { startsWith: "2026-12-" }, dimension: "" }, select: { month: true } })).map(
        (r) => r.month,
      );
    // The reopened task, the changed verdict and ratings (tests above) made December's rows stale
    // too: counted again, and moved on to the latest settled day (13 December 08:00 Beijing − 48 h → the 11th).
    const q4 = quarterPeriod("2026-Q4");
    const first = await ensureRollups(["c1"], ["2026-12"], at);
    expect([first.written, first.toDate.get("c1 2026-12")]).toEqual([1, "2026-12-11"]);
    await expectRollupsFresh("c1", "2026-12-11", at);
    // A dashboard a day later does not move a fresh month-to-date on: the days after the 11th are counted fresh.
    const dayLater = d("2026-12-14T00:00:00Z");
    const kept = await ensureRollups(["c1"], ["2026-12"], dayLater);
    expect([kept.written, kept.toDate.get("c1 2026-12")]).toEqual([0, "2026-12-11"]);
    expect(countsOnly((await dashboardData({ communityIds: ["c1"] }, q4, ["2026-12"], dayLater)).figures)).toEqual(
      await fresh({ communityIds: ["c1"] }, q4, dayLater),
    );
    // K3 (opened 20 November, before the cut) responds on 13 December, after the rows were counted: they are stale.
    await prisma.task.update({ where: { id: "K3" }, data: { firstResponseAt: d("2026-12-13T12:00:00Z"), updatedAt: d("2026-12-13T12:00:00Z") } });
    const after = await ensureRollups(["c1"], ["2026-12"], dayLater);
    expect([after.written, after.toDate.get("c1 2026-12")]).toEqual([1, "2026-12-12"]);
    expect(await keyOf()).toEqual(["2026-12-12"]);
    await expectRollupsFresh("c1", "2026-12-12", dayLater);
    // A topic raised after the cut changes nothing stored.
    await prisma.topic.create({
      data: {
        id: "T-late",
        communityId: "c1",
        title: "晚到的议题",
        raisedById: "u-staff",
        createdAt: d("2026-12-13T18:00:00Z"),
        updatedAt: d("2026-12-13T18:00:00Z"),
      },
    });
    expect((await ensureRollups(["c1"], ["2026-12"], dayLater)).written).toBe(0);
    expect(countsOnly((await dashboardData({ communityIds: ["c1"] }, q4, ["2026-12"], dayLater)).figures)).toEqual(
      await fresh({ communityIds: ["c1"] }, q4, dayLater),
    );
    // The daily job moves the cut on (15 December 08:00 Beijing − 48 h → the 13th).
    const later = d("2026-12-15T00:00:00Z");
    await rollUpMonths(later);
    expect(await keyOf()).toEqual(["2026-12-13"]);
    await expectRollupsFresh("c1", "2026-12-13", later);
    // In January, December settles (on the 3rd): its own rows, and no month-to-date left.
    const january = d("2027-01-03T00:00:00Z");
    await rollUpMonths(january);
    expect(await keyOf()).toEqual([]);
    await expectRollupsFresh("c1", "2026-12", january);
    await prisma.task.update({ where: { id: "K3" }, data: { firstResponseAt: null } });
    await prisma.topic.delete({ where: { id: "T-late" } });
  });

  it("the street office's table per community comes from the same sums", async () => {
    const district = await prisma.district.create({ data: { name: "测试街道" } });
    await prisma.community.updateMany({ where: { id: { in: ["c1", "c2"] } }, data: { districtId: district.id } });
    const sup = await prisma.user.create({ data: { username: "sup-rollup", displayName: "街道", passwordHash: "x", districtId: district.id } });
    const at = d("2026-12-12T00:00:00Z");
    const view = await districtDashboard((await loadActor(sup.id))!, district.id, "2026-Q4", "zh-CN", at);
    const table = view.tables.find((t) => t.id === ("byCommunity" as never))!;
    const q4 = quarterPeriod("2026-Q4");
    const c1 = await fresh({ communityIds: ["c1"] }, q4, at);
    expect(table.rows.find((r) => r[0] === "阿尔法社区")!.slice(1, 3)).toEqual([c1.topicsRaised, c1.tasksClosed]);
  });
});
