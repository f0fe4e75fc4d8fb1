// The dashboard against the real database: the queries give the figures the formulas give on
// the same hand-made data set; scopes filter; the monthly roll-up equals a fresh count; the
// scorecard's stars; deadline reminders sent once per task and kind (also after downtime and
// with two schedulers), escalated to staff; downloads parse back to the table; who may see what.
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { renderChart } from "~/models/charts.server";
import {
  communityDashboard,
  communityScorecards,
  communityTable,
  deploymentDashboard,
  districtDashboard,
  jobLog,
  narrowOf,
  parsePeriod,
  setResidentsSeeScorecards,
  setScorecardWeights,
} from "~/models/dashboard.server";
import { setDeploymentOverseer } from "~/models/district.server";
import { downloadResponse, tableCsv, tableXlsx } from "~/models/downloads.server";
import { reminderDue, sendDeadlineReminders, siteJobs } from "~/models/jobs.server";
import { countPeriod, figuresOf, monthPeriod, quarterPeriod, ratesOf, starsOf, type MetricInput } from "~/models/metrics";
import { figuresFor, loadMetricInput, scorecards } from "~/models/metrics.server";
import { Scheduler, describeJobDetail } from "~/models/scheduler.server";
import { translator } from "~/i18n";
import { prisma } from "~/utils/db.server";
import { loadActor, PermissionDenied } from "~/utils/permissions.server";
import { NOV, NOW, data, writeMetricData } from "./fixtures/metric-data";

const only = (communityId: string): MetricInput => ({
  ...data,
  topics: data.topics.filter((t) => t.communityId === communityId),
  tasks: data.tasks.filter((t) => t.communityId === communityId),
});

beforeAll(async () => {
  await writeMetricData(prisma);
});

describe("figures from the database", () => {
  it("a community's November: the queries count what the formulas count on the same rows", async () => {
    const fromDb = await figuresFor({ communityIds: ["c1"] }, NOV, NOW);
    expect(fromDb).toEqual(figuresOf(only("c1"), NOV, NOW));
    // The exact numbers (as in tests/metrics.test.ts): the sub-task K1-part counts nowhere.
    expect([fromDb.topicsRaised, fromDb.tasksOpened, fromDb.tasksClosed, fromDb.tasksOverdue, fromDb.tasksReopened]).toEqual([3, 4, 2, 2, 1]);
    expect([fromDb.closeRate, fromDb.onTimeRate, fromDb.solveRate, fromDb.satisfactionRate, fromDb.averageRating]).toEqual([0.5, 0.5, 0.75, 0.5, 3.5]);
  });

  it("scopes: a grid, an organisation, a category, the whole deployment", async () => {
    const grid2 = await figuresFor({ communityIds: ["c1"], gridId: "g2" }, NOV, NOW);
    expect([grid2.topicsRaised, grid2.tasksOpened, grid2.tasksClosed, grid2.tasksReopened]).toEqual([1, 1, 1, 1]);
    const org2 = await figuresFor({ communityIds: ["c1"], organizationId: "org2" }, NOV, NOW);
    expect([org2.tasksClosed, org2.tasksClosedOnTime, org2.verdicts]).toEqual([1, 0, 2]);
    const org1 = await figuresFor({ communityIds: ["c1"], organizationId: "org1" }, NOV, NOW);
    // T3 was referred to org1; K1, K3, K4, K5 are org1's.
    expect([org1.topicsAccepted, org1.tasksOpened, org1.tasksDue]).toEqual([1, 3, 3]);
    const greenery = await figuresFor({ communityIds: ["c1"], category: "greenery" }, NOV, NOW);
    expect([greenery.topicsRaised, greenery.tasksClosed]).toEqual([2, 1]);
    const everyone = await figuresFor({}, NOV, NOW);
    expect(everyone.topicsRaised).toBe(4);
    const beta = await figuresFor({ communityIds: ["c2"] }, NOV, NOW);
    expect([beta.topicsRaised, beta.tasksOpened]).toEqual([1, 0]);
  });

  it("the community dashboard: figures with definition and list links, five tables, and a chart of each", async () => {
    const staff = (await loadActor("u-staff"))!;
    const view = await communityDashboard(staff, { id: "c1", slug: "alpha" }, "2026-11", "zh-CN", NOW);
    const closed = view.figures.find((f) => f.key === "tasksClosed")!;
    expect(closed).toMatchObject({ value: 2, definition: "/dashboard/definitions#tasksClosed", list: "/c/alpha/tasks?status=closed" });
    expect(view.figures.find((f) => f.key === "topicsRaised")!.list).toBe("/c/alpha/topics?from=2026-11-01&to=2026-11-30");
    expect(view.tables.map((t) => t.id)).toEqual(["trend", "rates", "byCategory", "byGrid", "byOrganization"]);
    const trend = view.tables[0]!;
    expect(trend.rows.at(-1)).toEqual(["2026-11", 3, 3, 4, 2, 2]);
    const byGrid = view.tables.find((t) => t.id === "byGrid")!;
    expect(byGrid.rows.find((r) => r[0] === "二网格")).toEqual(["二网格", 1, 1, 0.5]);
    const svg = renderChart(trend);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("出题");
  });

  it("narrowed to a grid, an organisation or a category, each figure's list keeps the narrowing, or there is none where the list cannot", async () => {
    const staff = (await loadActor("u-staff"))!;
    const list = async (narrow: Parameters<typeof communityDashboard>[5], key: string) =>
      (await communityDashboard(staff, { id: "c1", slug: "alpha" }, "2026-11", "zh-CN", NOW, narrow)).figures.find((f) => f.key === key)!.list;
    expect(await list(narrowOf("grid:g2"), "topicsRaised")).toBe("/c/alpha/topics?from=2026-11-01&to=2026-11-30&gridId=g2");
    expect(await list(narrowOf("grid:g2"), "tasksClosed")).toBe("/c/alpha/tasks?status=closed&gridId=g2");
    expect(await list(narrowOf("cat:parking"), "topicsAnsweredAtOnce")).toBe("/c/alpha/topics?from=2026-11-01&to=2026-11-30&status=answered&category=parking");
    // The task list has no category filter, nor the topic board an organisation filter.
    expect(await list(narrowOf("cat:parking"), "tasksClosed")).toBeNull();
    expect(await list(narrowOf("org:org1"), "topicsRaised")).toBeNull();
    expect(await list(narrowOf("org:org1"), "tasksOverdue")).toBe("/c/alpha/tasks?status=overdue&organizationId=org1");
    expect(narrowOf("grid:g2;drop")).toEqual({});
    expect(narrowOf("place:g2")).toEqual({});
  });

  it("periods: a year, a quarter, a month; nonsense is refused", () => {
    expect(parsePeriod("2026-11", NOW).period).toEqual(monthPeriod("2026-11"));
    expect(parsePeriod("2026-Q4", NOW).period).toEqual(quarterPeriod("2026-Q4"));
    expect(parsePeriod(null, NOW).key).toBe("2026");
    for (const bad of ["2026-13", "26", "2026-Q5", "1999", "x"]) expect(() => parsePeriod(bad, NOW)).toThrow();
  });
});

describe("物业考评", () => {
  it("per company per quarter: handled, on time, reopen, rating, response and the stars", async () => {
    const rows = await scorecards(["c1"], NOW, 2);
    const q4 = rows.find((r) => r.organizationId === "org2" && r.quarter === "2026-Q4")!;
    // K2 only: closed late, sent back, ratings 2, 4 and 1 (2 December is in Q4), answered late.
    expect(q4).toMatchObject({ name: "乐家物业", tasksHandled: 1, onTimeRate: 0, reopenRate: 1, responseRate: 0 });
    expect(q4.averageRating).toBeCloseTo(7 / 3, 10);
    // 0.35 × 0 + 0.15 × 0 + 0.35 × (4/3 ÷ 4) + 0.15 × 0 = 0.1167 → 1.47 → 1.5 stars
    expect(q4.stars).toBe(1.5);
    const org1 = rows.find((r) => r.organizationId === "org1" && r.quarter === "2026-Q4")!;
    const part = await loadMetricInput({ communityIds: ["c1"], organizationId: "org1" }, quarterPeriod("2026-Q4"));
    const r = ratesOf(countPeriod(part, quarterPeriod("2026-Q4"), NOW));
    expect(org1.stars).toBe(starsOf(r));
    expect(org1.tasksHandled).toBe(1);
    // The quarter before: nothing handled, no stars (not zero stars).
    expect(rows.find((r) => r.organizationId === "org1" && r.quarter === "2026-Q3")).toMatchObject({ tasksHandled: 1, stars: expect.any(Number) });
    expect(rows.filter((r) => r.quarter === "2026-Q3" && r.organizationId === "org2")[0]).toMatchObject({ tasksHandled: 0, stars: null });
  });

  it("residents see the scorecard only when the community publishes it; staff always", async () => {
    const staff = (await loadActor("u-staff"))!;
    const resident = (await loadActor("u-raiser"))!;
    const owner = (await loadActor("u-owner"))!;
    await expect(communityScorecards(resident, "c1", "zh-CN", NOW)).rejects.toBeInstanceOf(PermissionDenied);
    expect((await communityScorecards(owner, "c1", "zh-CN", NOW)).rows.length).toBeGreaterThan(0);
    await expect(setResidentsSeeScorecards(resident, "c1", true)).rejects.toBeInstanceOf(PermissionDenied);
    await setResidentsSeeScorecards(staff, "c1", true);
    expect((await communityScorecards(resident, "c1", "zh-CN", NOW)).table.rows.length).toBe(8);
    await setResidentsSeeScorecards(staff, "c1", false);
    await expect(communityScorecards(resident, "c1", "zh-CN", NOW)).rejects.toBeInstanceOf(PermissionDenied);
    // Someone of another community sees neither the dashboard nor the scorecard.
    await prisma.user.create({ data: { id: "u-other", username: "u-other", displayName: "外人", passwordHash: "x" } });
    await prisma.membership.create({ data: { userId: "u-other", communityId: "c2", role: "communityStaff" } });
    const other = (await loadActor("u-other"))!;
    await expect(communityDashboard(other, { id: "c1", slug: "alpha" }, "2026-11", "zh-CN", NOW)).rejects.toBeInstanceOf(PermissionDenied);
  });
});

describe("a street office (街道)", () => {
  it("its super-users see every linked community and set the star weights; nobody else", async () => {
    await prisma.district.create({ data: { id: "d1", name: "兴庆街道" } });
    await prisma.community.updateMany({ where: { id: { in: ["c1", "c2"] } }, data: { districtId: "d1" } });
    await prisma.user.create({ data: { id: "u-super", username: "u-super", displayName: "街道管理员", passwordHash: "x", districtId: "d1" } });
    const superUser = (await loadActor("u-super"))!;
    const staff = (await loadActor("u-staff"))!;
    const view = await districtDashboard(superUser, "d1", "2026-11", "zh-CN", NOW);
    expect(view.communities.map((c) => c.slug).sort()).toEqual(["alpha", "beta"]);
    expect(view.figures.find((f) => f.key === "topicsRaised")!.value).toBe(4);
    expect(view.tables[0]!.rows.map((r) => [r[0], r[1]])).toEqual([
      ["贝塔社区", 1],
      ["阿尔法社区", 3],
    ]);
    await expect(districtDashboard(staff, "d1", "2026-11", "zh-CN", NOW)).rejects.toBeInstanceOf(PermissionDenied);
    await expect(setScorecardWeights(staff, "d1", { onTime: 0, reopen: 0, rating: 1, response: 0 })).rejects.toBeInstanceOf(PermissionDenied);
    await setScorecardWeights(superUser, "d1", { onTime: 0, reopen: 0, rating: 1, response: 0 });
    // Only ratings now: org2's Q4 average 7/3 → 1 + 4 × (4/3 ÷ 4) = 2.33 → 2.5 stars.
    const { rows, weights } = await communityScorecards(staff, "c1", "zh-CN", NOW);
    expect(weights).toEqual({ onTime: 0, reopen: 0, rating: 1, response: 0 });
    expect(rows.find((r) => r.organizationId === "org2" && r.quarter === "2026-Q4")!.stars).toBe(2.5);
    // The job log: staff of any community and super-users; a resident is refused.
    expect((await jobLog(superUser)).jobs).toBeInstanceOf(Array);
    expect((await jobLog(staff)).runs).toBeInstanceOf(Array);
    await expect(jobLog((await loadActor("u-raiser"))!)).rejects.toBeInstanceOf(PermissionDenied);
    await prisma.community.updateMany({ where: { id: { in: ["c1", "c2"] } }, data: { districtId: null } });
  });
});

describe("the whole deployment", () => {
  it("its overseer sees every street office's and community's figures (equal to a fresh count of everything); a street office's super-user and staff are refused", async () => {
    const { userId } = await setDeploymentOverseer({ username: "overseer", displayName: "市级看板", password: "a-long-enough-password-1" });
    const overseer = (await loadActor(userId))!;
    expect(overseer.overseesDeployment).toBe(true);
    const view = await deploymentDashboard(overseer, "2026-Q4", "zh-CN", NOW);
    const fresh = await figuresFor({}, quarterPeriod("2026-Q4"), NOW);
    for (const f of view.figures) expect(f.value, f.key).toBeCloseTo(fresh[f.key] ?? Number.NaN);
    expect(view.tables.map((t) => t.id).slice(0, 2)).toEqual(["byDistrict", "byCommunity"]);
    expect(view.tables.some((t) => t.id === "byGrid")).toBe(false);
    // Per community, and the street offices' rows add up to everything.
    const byCommunity = view.tables.find((t) => t.id === ("byCommunity" as never))!;
    const c1 = await figuresFor({ communityIds: ["c1"] }, quarterPeriod("2026-Q4"), NOW);
    expect(byCommunity.rows.find((r) => r[0] === "阿尔法社区")!.slice(1, 3)).toEqual([c1.topicsRaised, c1.tasksClosed]);
    const byDistrict = view.tables.find((t) => t.id === ("byDistrict" as never))!;
    expect(byDistrict.rows.reduce((sum, r) => sum + (r[1] as number), 0)).toBe(fresh.topicsRaised);
    await expect(deploymentDashboard((await loadActor("u-staff"))!, "2026-Q4", "zh-CN", NOW)).rejects.toBeInstanceOf(PermissionDenied);
    const sup = await prisma.user.create({
      data: {
        username: "sup-deployment",
        displayName: "街道",
        passwordHash: "x",
        districtId: (await prisma.district.create({ data: { name: "只看本街道" } })).id,
      },
    });
    await expect(deploymentDashboard((await loadActor(sup.id))!, "2026-Q4", "zh-CN", NOW)).rejects.toBeInstanceOf(PermissionDenied);
    // Revoked: refused at once (the actor is read afresh).
    await setDeploymentOverseer({ username: "overseer", displayName: "", password: null, revoke: true });
    await expect(deploymentDashboard((await loadActor(userId))!, "2026-Q4", "zh-CN", NOW)).rejects.toBeInstanceOf(PermissionDenied);
  });
});

describe("downloads", () => {
  it("CSV (UTF-8 with BOM) and .xlsx carry exactly the table's header and rows", async () => {
    const staff = (await loadActor("u-staff"))!;
    const table = await communityTable(staff, { id: "c1", slug: "alpha" }, "byGrid", "2026-11", "zh-CN", NOW);
    const csv = tableCsv(table);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const parsed = parse(csv.slice(1)) as string[][];
    expect(parsed[0]).toEqual(table.columns.map((c) => c.label));
    expect(parsed.slice(1)).toEqual(table.rows.map((r) => r.map((v) => (v === null ? "" : String(v)))));

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await tableXlsx(table)) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(table.columns.map((c) => c.label));
    for (const [i, row] of table.rows.entries()) expect(values(i + 2).map((v) => v ?? null)).toEqual(row);
    expect(sheet.rowCount).toBe(table.rows.length + 1);

    const response = await downloadResponse(table, "xlsx", "看板-byGrid");
    expect(response.headers.get("content-type")).toContain("spreadsheetml");
    expect(response.headers.get("content-disposition")).toContain("filename*=UTF-8''%E7%9C%8B%E6%9D%BF-byGrid.xlsx");
  });
});

describe("deadline reminders", () => {
  const at = (iso: string) => new Date(iso);
  beforeAll(async () => {
    await prisma.community.create({ data: { id: "c3", slug: "gamma", name: "伽马社区" } });
    await prisma.organization.create({ data: { id: "org3", communityId: "c3", kind: "propertyCompany", name: "丙物业" } });
    await prisma.user.createMany({
      data: [
        { id: "u3-owner", username: "u3-owner", displayName: "丙负责人", passwordHash: "x" },
        { id: "u3-rep", username: "u3-rep", displayName: "丙员工", passwordHash: "x" },
        { id: "u3-staff", username: "u3-staff", displayName: "丙社工", passwordHash: "x" },
      ],
    });
    await prisma.membership.createMany({
      data: [
        { userId: "u3-owner", communityId: "c3", role: "propertyCompany", organizationId: "org3" },
        { userId: "u3-rep", communityId: "c3", role: "propertyCompany", organizationId: "org3" },
        { userId: "u3-staff", communityId: "c3", role: "communityStaff" },
      ],
    });
    const base = { communityId: "c3", organizationId: "org3", createdById: "u3-staff", status: "inProgress", createdAt: at("2026-11-01T00:00:00Z") };
    await prisma.task.createMany({
      data: [
        // Due on 10 December 18:00 Beijing (10:00Z), with an owner.
        { ...base, id: "R1", title: "修路灯", ownerId: "u3-owner", deadline: at("2026-12-10T10:00:00Z") },
        // No owner yet: the lead organisation's members are told.
        { ...base, id: "R2", title: "清淤", deadline: at("2026-12-12T10:00:00Z") },
        // Handed over: owes nothing.
        { ...base, id: "R3", title: "补绿", ownerId: "u3-owner", status: "awaitingVerification", deadline: at("2026-12-10T10:00:00Z") },
      ],
    });
  });
  const notes = (taskId: string) =>
    prisma.notification.findMany({ where: { taskId }, orderBy: { createdAt: "asc" }, select: { userId: true, type: true, data: true } });

  it("which reminder fits a moment", () => {
    const deadline = at("2026-12-10T10:00:00Z");
    expect(reminderDue(deadline, at("2026-12-06T09:00:00Z"))).toBeNull();
    expect(reminderDue(deadline, at("2026-12-07T10:00:00Z"))).toBe("dueIn3Days");
    // Midnight of the 10th in Beijing is 16:00Z on the 9th.
    expect(reminderDue(deadline, at("2026-12-09T15:59:00Z"))).toBe("dueIn3Days");
    expect(reminderDue(deadline, at("2026-12-09T16:00:00Z"))).toBe("dueToday");
    expect(reminderDue(deadline, at("2026-12-10T10:00:00Z"))).toBe("overdueEscalated");
  });

  it("3 days before, on the day, then escalated to staff: each once, however often the job runs", async () => {
    // (The data set's overdue K4 in community c1 is escalated by the first run too: count only c3's tasks here.)
    await sendDeadlineReminders(prisma, at("2026-12-06T12:00:00Z"));
    expect(await notes("R1")).toEqual([]);
    await sendDeadlineReminders(prisma, at("2026-12-07T12:00:00Z"));
    expect((await sendDeadlineReminders(prisma, at("2026-12-07T13:00:00Z"))).sent).toBe(0);
    expect(await notes("R1")).toEqual([{ userId: "u3-owner", type: "taskDueSoon", data: expect.stringContaining("dueIn3Days") }]);
    await sendDeadlineReminders(prisma, at("2026-12-09T17:00:00Z"));
    await sendDeadlineReminders(prisma, at("2026-12-10T11:00:00Z"));
    await sendDeadlineReminders(prisma, at("2026-12-10T12:00:00Z"));
    const r1 = await notes("R1");
    expect(r1.map((n) => [n.userId, n.type, JSON.parse(n.data).reminder])).toEqual([
      ["u3-owner", "taskDueSoon", "dueIn3Days"],
      ["u3-owner", "taskDueSoon", "dueToday"],
      ["u3-staff", "taskOverdue", "overdueEscalated"],
    ]);
    // Without an owner, the organisation's people; a task handed over is left alone.
    expect(new Set((await notes("R2")).filter((n) => JSON.parse(n.data).reminder === "dueIn3Days").map((n) => n.userId))).toEqual(
      new Set(["u3-owner", "u3-rep"]),
    );
    expect(await notes("R3")).toEqual([]);
  });

  it("an extended deadline is reminded afresh", async () => {
    await prisma.task.update({ where: { id: "R1" }, data: { deadline: at("2026-12-20T10:00:00Z") } });
    await sendDeadlineReminders(prisma, at("2026-12-18T10:00:00Z"));
    expect((await notes("R1")).map((n) => JSON.parse(n.data).reminder)).toEqual(["dueIn3Days", "dueToday", "overdueEscalated", "dueIn3Days"]);
  });

  it("after downtime through a deadline: one run at start sends only the escalation, once, whichever of two schedulers runs it", async () => {
    await prisma.task.create({
      data: {
        id: "R4",
        communityId: "c3",
        organizationId: "org3",
        createdById: "u3-staff",
        ownerId: "u3-owner",
        title: "修门禁",
        status: "pending",
        deadline: at("2027-01-05T10:00:00Z"),
      },
    });
    const jobs = siteJobs().filter((j) => j.name === "deadlineReminders");
    const quiet = () => {};
    const one = new Scheduler({ db: prisma, jobs, id: "one", log: quiet });
    const two = new Scheduler({ db: prisma, jobs, id: "two", log: quiet });
    await one.tick(at("2026-12-30T10:30:00Z"));
    // Both down from 30 December to 8 January, through R4's "3 days before", "on the day" and its deadline.
    const back = at("2027-01-08T09:20:00Z");
    const results = await Promise.all([one.tick(back), two.tick(back), one.tick(back)]);
    expect(results.flat().map((r) => r.job)).toEqual(["deadlineReminders"]);
    expect((await notes("R4")).map((n) => [n.userId, JSON.parse(n.data).reminder])).toEqual([["u3-staff", "overdueEscalated"]]);
    const run = await prisma.jobRun.findFirstOrThrow({ where: { job: "deadlineReminders" }, orderBy: { startedAt: "desc" } });
    expect(run.ok).toBe(true);
    // Stored without a language, read in the reader's: the job log API and the page in zh-CN and en.
    const { key, values } = JSON.parse(run.detail) as { key: string; values: { sent: number; notified: number } };
    expect(key).toBe("deadlineReminders");
    expect(values.sent).toBeGreaterThan(0);
    expect(describeJobDetail(run.detail, translator("en"))).toBe(`${values.sent} reminders sent to ${values.notified} people`);
    expect(describeJobDetail(run.detail, translator("zh-CN"))).toBe(`发出 ${values.sent} 条提醒，通知 ${values.notified} 人`);
    const staff = (await loadActor("u3-staff"))!;
    expect((await jobLog(staff, 5, "zh-CN")).runs.find((r) => r.id === run.id)!.detail).toBe(`发出 ${values.sent} 条提醒，通知 ${values.notified} 人`);
    // A failed run's message (and a detail from before details were keyed) is shown as stored.
    expect(describeJobDetail("the database was busy", translator("en"))).toBe("the database was busy");
  });

  it("verification windows: after downtime the community's silence rule closes a task once, whichever scheduler runs", async () => {
    await prisma.task.create({
      data: {
        id: "V1",
        communityId: "c3",
        organizationId: "org3",
        createdById: "u3-staff",
        ownerId: "u3-owner",
        title: "修电梯",
        status: "awaitingVerification",
        verificationRound: 1,
        verificationRequestedAt: at("2027-01-01T02:00:00Z"),
        deadline: at("2027-01-03T10:00:00Z"),
      },
    });
    const jobs = siteJobs().filter((j) => j.name === "verificationWindows");
    const one = new Scheduler({ db: prisma, jobs, id: "one", log: () => {} });
    const two = new Scheduler({ db: prisma, jobs, id: "two", log: () => {} });
    await one.tick(at("2027-01-02T10:30:00Z"));
    expect(await one.tick(at("2027-01-03T11:00:00Z"))).toEqual([
      { job: "verificationWindows", ok: true, detail: JSON.stringify({ key: "verificationWindows", values: { settled: 0 } }) },
    ]);
    expect((await prisma.task.findUniqueOrThrow({ where: { id: "V1" } })).status).toBe("awaitingVerification");
    // Nobody answered within the community's 7 days; the site was down from the 3rd to the 12th.
    const back = at("2027-01-12T08:10:00Z");
    const results = (await Promise.all([one.tick(back), two.tick(back)])).flat();
    expect(results).toEqual([{ job: "verificationWindows", ok: true, detail: JSON.stringify({ key: "verificationWindows", values: { settled: 1 } }) }]);
    expect(await prisma.task.findUniqueOrThrow({ where: { id: "V1" }, select: { status: true, closedVia: true } })).toEqual({
      status: "closed",
      closedVia: "silence",
    });
    expect(await prisma.taskEvent.count({ where: { taskId: "V1", kind: "closed" } })).toBe(1);
  });
});
