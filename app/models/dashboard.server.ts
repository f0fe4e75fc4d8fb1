// 看板: what the dashboard pages, the downloads and the API show — the figures of a scope and
// period with a link to each one's definition and to the list it counts, and the tables from
// which the charts are drawn. Permissions are asked here (app/utils/permissions.server.ts).
import type { TFunction } from "i18next";
import { translator } from "~/i18n";
import { prisma } from "~/utils/db.server";
import type { Locale } from "~/utils/domain";
import { InputRejected } from "~/utils/errors";
import { NotFound, requirePermission, type Actor, type DashboardResource, type DistrictResource } from "~/utils/permissions.server";
import type { DataTable } from "./charts.server";
import { audit } from "./audit.server";
import { publishedNotices } from "./minutes.server";
import { jobOverview } from "./scheduler.server";
import {
  beijingDay,
  addCounts,
  emptyCounts,
  monthOf,
  monthPeriod,
  monthsUpTo,
  quarterPeriod,
  ratesOf,
  yearPeriod,
  type Counts,
  type Figures,
  type Period,
  type ScorecardWeights,
} from "./metrics";
import { dashboardData, scorecards, weightsFor, type Breakdown, type Scope, type ScorecardRow } from "./metrics.server";

export const FIGURE_KEYS = [
  "topicsRaised",
  "topicsAccepted",
  "topicsAnsweredAtOnce",
  "topicsDeliberated",
  "tasksOpened",
  "tasksClosed",
  "tasksClosedOnTime",
  "tasksOverdue",
  "tasksReopened",
  "responseRate",
  "closeRate",
  "onTimeRate",
  "solveRate",
  "satisfactionRate",
  "averageRating",
  "averageDaysToClose",
] as const satisfies readonly (keyof Figures)[];
export type FigureKey = (typeof FIGURE_KEYS)[number];
export const TABLE_IDS = ["trend", "rates", "byCategory", "byGrid", "byOrganization", "scorecard"] as const;
export type TableId = (typeof TABLE_IDS)[number];

const RATE_KEYS = new Set<string>(["responseRate", "closeRate", "onTimeRate", "solveRate", "satisfactionRate", "reopenRate"]);
export const figureKind = (key: string): "rate" | "number" | "count" => (RATE_KEYS.has(key) ? "rate" : key.startsWith("average") ? "number" : "count");

// ——— Periods: "2026", "2026-Q4", "2026-11" ———

export type PeriodChoice = { key: string; period: Period };
const PERIOD_RE = /^(\d{4})(?:-(Q[1-4]|\d{2}))?$/;
/** A period key the pages and the API accept: a year, a quarter or a month. */
export const PERIOD_KEY = /^20\d\d(?:-(?:Q[1-4]|0[1-9]|1[0-2]))?$/;

export function parsePeriod(key: string | null | undefined, now: Date): PeriodChoice {
  if (!key) {
    const year = Number(monthOf(now).slice(0, 4));
    return { key: String(year), period: yearPeriod(year) };
  }
  const m = PERIOD_RE.exec(key);
  const month = m?.[2] && !m[2].startsWith("Q") ? Number(m[2]) : null;
  if (!m || Number(m[1]) < 2000 || Number(m[1]) > 2100 || (month !== null && (month < 1 || month > 12))) throw new InputRejected("p", "errors.dateInvalid");
  if (!m[2]) return { key, period: yearPeriod(Number(m[1])) };
  if (m[2].startsWith("Q")) return { key, period: quarterPeriod(key) };
  return { key, period: monthPeriod(key) };
}

export function periodLabel(t: TFunction, key: string): string {
  const m = PERIOD_RE.exec(key)!;
  if (!m[2]) return t("dashboard.periodYear", { year: m[1] });
  if (m[2].startsWith("Q")) return t("dashboard.periodQuarter", { year: m[1], q: m[2].slice(1) });
  return t("dashboard.periodMonth", { year: m[1], month: Number(m[2]) });
}

/** The choices the page offers: this year and last, this year's quarters so far, the last 12 months. */
export function periodChoices(now: Date): string[] {
  const year = Number(monthOf(now).slice(0, 4));
  const q = Math.floor((Number(monthOf(now).slice(5)) - 1) / 3) + 1;
  const quarters = Array.from({ length: q }, (_, i) => `${year}-Q${q - i}`);
  return [String(year), String(year - 1), ...quarters, ...monthsUpTo(now, 12).reverse()];
}

// ——— Narrower scopes: "grid:<id>", "org:<id>", "cat:<key>" ———

export type Narrow = Omit<Scope, "communityIds" | "districtId">;
/** A narrower scope the page, its downloads and their links accept (one grid, organisation or category). */
export const SCOPE_KEY = /^(grid|org|cat):([A-Za-z0-9_-]{1,64})$/;

export function narrowOf(key: string | null | undefined): Narrow {
  const m = key ? SCOPE_KEY.exec(key) : null;
  if (!m) return {};
  return m[1] === "grid" ? { gridId: m[2] } : m[1] === "org" ? { organizationId: m[2] } : { category: m[2] };
}

// ——— Resources ———

export async function dashboardResource(communityId: string): Promise<DashboardResource> {
  const [councils, setting] = await Promise.all([
    prisma.council.findMany({ where: { communityId }, select: { id: true } }),
    prisma.dashboardSetting.findUnique({ where: { communityId }, select: { residentsSeeScorecards: true, publicHeadline: true } }),
  ]);
  return {
    type: "dashboard",
    communityId,
    councilIds: councils.map((c) => c.id),
    residentsSeeScorecards: setting?.residentsSeeScorecards ?? false,
    publicHeadline: setting?.publicHeadline ?? false,
  };
}

export async function districtResource(districtId: string): Promise<DistrictResource> {
  const d = await prisma.district.findUnique({ where: { id: districtId }, select: { id: true } });
  if (!d) throw new NotFound("district");
  return { type: "district", districtId: d.id };
}

// ——— Tables ———

type Labels = { category: Map<string, string>; grid: Map<string, string>; organization: Map<string, string> };

async function labelsOf(communityIds: string[] | undefined, locale: Locale, { grids: withGrids = true } = {}): Promise<Labels> {
  const where = communityIds ? { communityId: { in: communityIds } } : {};
  const [categories, grids, orgs] = await Promise.all([
    prisma.topicCategory.findMany({ where, select: { key: true, nameZh: true, nameEn: true } }),
    withGrids ? prisma.grid.findMany({ where, select: { id: true, name: true } }) : [],
    prisma.organization.findMany({ where, select: { id: true, name: true } }),
  ]);
  return {
    category: new Map(categories.map((c) => [c.key, locale === "en" ? c.nameEn : c.nameZh])),
    grid: new Map(grids.map((g) => [g.id, g.name])),
    organization: new Map(orgs.map((o) => [o.id, o.name])),
  };
}

function countsTable(
  t: TFunction,
  id: TableId,
  labelKey: string,
  rows: Breakdown[],
  label: (key: string) => string,
  keys: string[],
  series: string[],
  type: "bar" | "line" = "bar",
): DataTable {
  return {
    id,
    title: t(`dashboard.charts.${id}`),
    columns: [
      { key: labelKey, label: t(`dashboard.columns.${labelKey}`), kind: "label" },
      ...keys.map((k) => ({ key: k, label: t(`dashboard.figures.${k}`), kind: figureKind(k) })),
    ],
    rows: rows.map((b) => {
      const all: Record<string, number | null> = { ...b.counts, ...ratesOf(b.counts) };
      return [label(b.key), ...keys.map((k) => all[k] ?? null)];
    }),
    chart: { type, series },
  };
}

export function scorecardTable(t: TFunction, rows: ScorecardRow[]): DataTable {
  return {
    id: "scorecard",
    title: t("dashboard.scorecard.title"),
    columns: [
      { key: "organization", label: t("dashboard.columns.organization"), kind: "label" },
      { key: "quarter", label: t("dashboard.columns.quarter"), kind: "label" },
      { key: "tasksHandled", label: t("dashboard.columns.tasksHandled"), kind: "count" },
      { key: "onTimeRate", label: t("dashboard.figures.onTimeRate"), kind: "rate" },
      { key: "reopenRate", label: t("dashboard.figures.reopenRate"), kind: "rate" },
      { key: "averageRating", label: t("dashboard.figures.averageRating"), kind: "number" },
      { key: "responseRate", label: t("dashboard.figures.responseRate"), kind: "rate" },
      { key: "stars", label: t("dashboard.columns.stars"), kind: "number" },
    ],
    rows: rows.map((r) => [r.name, r.quarter, r.tasksHandled, r.onTimeRate, r.reopenRate, r.averageRating, r.responseRate, r.stars]),
    chart: { type: "line", series: ["stars"] },
  };
}

// ——— Figures with their links ———

export type FigureView = { key: FigureKey; value: number | null; kind: "rate" | "number" | "count"; definition: string; list: string | null };

/**
 * Where the list of what a figure counts lives: the topic board or the task list, filtered to the
 * same grid or category (topics) or grid or organisation (tasks). None where the list has no such
 * filter (topics by organisation, tasks by category): a longer list would not be what is counted.
 */
function listHref(slug: string, key: FigureKey, period: Period, now: Date, narrow: Narrow): string | null {
  const from = beijingDay(period.from);
  const to = beijingDay(new Date(Math.min(period.to.getTime(), now.getTime()) - 1));
  const topics = (status?: string) =>
    narrow.organizationId
      ? null
      : `/c/${slug}/topics?${new URLSearchParams({ from, to, ...(status ? { status } : {}), ...(narrow.gridId ? { gridId: narrow.gridId } : {}), ...(narrow.category ? { category: narrow.category } : {}) })}`;
  const tasks = (status?: string) => {
    if (narrow.category) return null;
    const query = new URLSearchParams({
      ...(status ? { status } : {}),
      ...(narrow.gridId ? { gridId: narrow.gridId } : {}),
      ...(narrow.organizationId ? { organizationId: narrow.organizationId } : {}),
    }).toString();
    return `/c/${slug}/tasks${query ? `?${query}` : ""}`;
  };
  switch (key) {
    case "topicsRaised":
    case "topicsAccepted":
      return topics();
    case "topicsAnsweredAtOnce":
      return topics("answered");
    case "topicsDeliberated":
      return topics("accepted");
    case "tasksOpened":
    case "responseRate":
      return tasks();
    case "tasksClosed":
    case "tasksClosedOnTime":
    case "onTimeRate":
    case "closeRate":
    case "solveRate":
    case "satisfactionRate":
    case "averageRating":
    case "averageDaysToClose":
      return tasks("closed");
    case "tasksOverdue":
      return tasks("overdue");
    case "tasksReopened":
      return tasks("sentBack");
  }
}

function figureViews(figures: Figures, slug: string | null, period: Period, now: Date, narrow: Narrow = {}): FigureView[] {
  return FIGURE_KEYS.map((key) => ({
    key,
    value: figures[key],
    kind: figureKind(key),
    definition: `/dashboard/definitions#${key}`,
    list: slug ? listHref(slug, key, period, now, narrow) : null,
  }));
}

export type DashboardView = {
  period: { key: string; from: string; to: string };
  figures: FigureView[];
  tables: DataTable[];
};

function tablesOf(t: TFunction, data: Awaited<ReturnType<typeof dashboardData>>, labels: Labels, { byGrid = true } = {}): DataTable[] {
  const noGrid = t("dashboard.noGrid");
  const tables = [
    countsTable(
      t,
      "trend",
      "month",
      data.trend,
      (k) => k,
      ["topicsRaised", "topicsAccepted", "tasksOpened", "tasksClosed", "tasksOverdue"],
      ["topicsRaised", "tasksClosed"],
    ),
    countsTable(
      t,
      "rates",
      "month",
      data.trend,
      (k) => k,
      ["closeRate", "onTimeRate", "satisfactionRate", "responseRate"],
      ["closeRate", "satisfactionRate"],
      "line",
    ),
    countsTable(
      t,
      "byCategory",
      "category",
      data.byCategory,
      (k) => labels.category.get(k) ?? k,
      ["topicsRaised", "tasksClosed", "satisfactionRate"],
      ["topicsRaised", "tasksClosed"],
    ),
    countsTable(
      t,
      "byGrid",
      "grid",
      data.byGrid,
      (k) => labels.grid.get(k) ?? noGrid,
      ["topicsRaised", "tasksClosed", "satisfactionRate"],
      ["topicsRaised", "tasksClosed"],
    ),
    countsTable(
      t,
      "byOrganization",
      "organization",
      data.byOrganization,
      (k) => labels.organization.get(k) ?? k,
      ["tasksClosed", "onTimeRate", "averageRating", "satisfactionRate"],
      ["tasksClosed"],
    ),
  ];
  return byGrid ? tables : tables.filter((table) => table.id !== "byGrid");
}

/** The months of the trend: the 12 ending with the period's last month (or this month, if sooner). */
const trendMonths = (period: Period, now: Date) => monthsUpTo(new Date(Math.min(period.to.getTime() - 1, now.getTime())), 12);

export async function communityDashboard(
  actor: Actor | null,
  community: { id: string; slug: string },
  periodKey: string | null | undefined,
  locale: Locale,
  now = new Date(),
  narrow: Narrow = {},
): Promise<DashboardView> {
  requirePermission(actor, "dashboard:view", await dashboardResource(community.id));
  const choice = parsePeriod(periodKey, now);
  const t = translator(locale);
  const scope: Scope = { ...narrow, communityIds: [community.id] };
  const [data, labels] = await Promise.all([dashboardData(scope, choice.period, trendMonths(choice.period, now), now), labelsOf(scope.communityIds, locale)]);
  return {
    period: { key: choice.key, from: choice.period.from.toISOString(), to: choice.period.to.toISOString() },
    figures: figureViews(data.figures, community.slug, choice.period, now, narrow),
    tables: tablesOf(t, data, labels),
  };
}

/** A table of named parts (communities, street offices) with their headline figures, from their counts. */
function partsTable(t: TFunction, id: string, title: string, parts: { name: string; counts: Counts }[]): DataTable {
  return {
    id: id as TableId,
    title,
    columns: [
      { key: "name", label: title, kind: "label" },
      ...(["topicsRaised", "tasksClosed", "closeRate", "satisfactionRate"] as const).map((k) => ({
        key: k,
        label: t(`dashboard.figures.${k}`),
        kind: figureKind(k),
      })),
    ],
    rows: parts.map((p) => {
      const f = { ...p.counts, ...ratesOf(p.counts) };
      return [p.name, f.topicsRaised, f.tasksClosed, f.closeRate, f.satisfactionRate];
    }),
    chart: { type: "bar", series: ["topicsRaised", "tasksClosed"] },
  };
}

/**
 * What an overseer reads over many communities: the headline figures, a table per community (and
 * per street office, over the whole deployment), and the trend and breakdowns without the per-grid
 * table (thousands of grids are read community by community; each community's page has its grids).
 */
async function overseerView(
  scope: Scope,
  communities: { id: string; slug: string; name: string; district: string }[],
  periodKey: string | null | undefined,
  locale: Locale,
  now: Date,
  byDistrict: boolean,
) {
  const choice = parsePeriod(periodKey, now);
  const t = translator(locale);
  const [data, labels] = await Promise.all([
    dashboardData(scope, choice.period, trendMonths(choice.period, now), now, { byGrid: false }),
    labelsOf(scope.communityIds, locale, { grids: false }),
  ]);
  const countsOf = new Map(data.byCommunity.map((b) => [b.key, b.counts]));
  const perCommunity = communities.map((c) => ({ name: c.name, district: c.district, counts: countsOf.get(c.id) ?? emptyCounts() }));
  const perDistrict = new Map<string, Counts>();
  for (const c of perCommunity) perDistrict.set(c.district, addCounts(perDistrict.get(c.district) ?? emptyCounts(), c.counts));
  const tables = [
    ...(byDistrict
      ? [
          partsTable(
            t,
            "byDistrict",
            t("dashboard.districts"),
            [...perDistrict].map(([name, counts]) => ({ name: name || t("dashboard.noDistrict"), counts })),
          ),
        ]
      : []),
    partsTable(t, "byCommunity", t("dashboard.communities"), perCommunity),
    ...tablesOf(t, data, labels, { byGrid: false }),
  ];
  return {
    period: { key: choice.key, from: choice.period.from.toISOString(), to: choice.period.to.toISOString() },
    figures: figureViews(data.figures, null, choice.period, now),
    tables,
    communities: communities.map((c) => ({ slug: c.slug, name: c.name })),
  };
}

/** A street office's view: every community linked to it, from the monthly roll-ups and the open month (fast at city scale). */
export async function districtDashboard(actor: Actor | null, districtId: string, periodKey: string | null | undefined, locale: Locale, now = new Date()) {
  requirePermission(actor, "district:dashboard", await districtResource(districtId));
  const communities = await prisma.community.findMany({ where: { districtId }, select: { id: true, slug: true, name: true }, orderBy: { name: "asc" } });
  return overseerView(
    { communityIds: communities.map((c) => c.id), districtId },
    communities.map((c) => ({ ...c, district: "" })),
    periodKey,
    locale,
    now,
    false,
  );
}

/** The whole deployment (every street office and community), for its overseers (User.overseesDeployment). */
export async function deploymentDashboard(actor: Actor | null, periodKey: string | null | undefined, locale: Locale, now = new Date()) {
  requirePermission(actor, "deployment:dashboard", { type: "deployment", superUserIds: [] });
  const communities = await prisma.community.findMany({
    select: { id: true, slug: true, name: true, districtOffice: { select: { name: true } } },
    orderBy: [{ districtOffice: { name: "asc" } }, { name: "asc" }],
  });
  return overseerView(
    {},
    communities.map((c) => ({ id: c.id, slug: c.slug, name: c.name, district: c.districtOffice?.name ?? "" })),
    periodKey,
    locale,
    now,
    true,
  );
}

/** The scheduled jobs' log (scheduler.server.ts), for staff of any community and super-users. */
export async function jobLog(actor: Actor | null, limit = 50, locale: Locale = "zh-CN") {
  const superUsers = await prisma.user.findMany({ where: { districtId: { not: null } }, select: { id: true } });
  requirePermission(actor, "jobs:view", { type: "deployment", superUserIds: superUsers.map((u) => u.id) });
  return jobOverview(prisma, { limit, t: translator(locale) });
}

// ——— 物业考评 ———

export async function communityScorecards(actor: Actor | null, communityId: string, locale: Locale, now = new Date()) {
  const resource = await dashboardResource(communityId);
  requirePermission(actor, "scorecard:view", resource);
  const district = await prisma.community.findUnique({ where: { id: communityId }, select: { districtId: true } });
  const weights = await weightsFor(district?.districtId ?? null);
  const rows = await scorecards([communityId], now, 4, weights);
  return { weights, rows, table: scorecardTable(translator(locale), rows) };
}

export async function setScorecardWeights(actor: Actor | null, districtId: string, weights: ScorecardWeights) {
  requirePermission(actor, "district:configureScorecard", await districtResource(districtId));
  const json = JSON.stringify(weights);
  await prisma.scorecardWeights.upsert({
    where: { district: districtId },
    create: { district: districtId, weights: json, updatedById: actor!.userId },
    update: { weights: json, updatedById: actor!.userId },
  });
  return weightsFor(districtId);
}

// ——— 公开看板: the public view (no sign-in), per community setting ———

/** The figures residents would show their neighbours: the headline rates and what they are counted from. */
export const PUBLIC_FIGURES = ["topicsRaised", "tasksClosed", "responseRate", "closeRate", "onTimeRate", "solveRate", "satisfactionRate"] as const;

/**
 * A community's public view: this year's headline rates and its published notices (公示), for
 * anyone, signed in or not — only while the community's staff have switched it on; otherwise
 * (and for an unknown community) not found, so a switched-off community is not even confirmed.
 */
export async function publicView(slug: string, now = new Date()) {
  const community = await prisma.community.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } });
  const setting = community ? await prisma.dashboardSetting.findUnique({ where: { communityId: community.id }, select: { publicHeadline: true } }) : null;
  if (!community || !setting?.publicHeadline) throw new NotFound("community");
  const choice = parsePeriod(null, now);
  const [data, notices] = await Promise.all([
    dashboardData({ communityIds: [community.id] }, choice.period, [monthOf(now)], now),
    publishedNotices(community.id),
  ]);
  return {
    community: { slug: community.slug, name: community.name },
    period: choice.key,
    figures: PUBLIC_FIGURES.map((key) => ({ key, value: data.figures[key], kind: figureKind(key), definition: `/dashboard/definitions#${key}` })),
    notices: notices.map((n) => ({
      minutesId: n.minutesId,
      sessionTitle: n.sessionTitle,
      version: n.version,
      publishedAt: n.publishedAt,
      noticeFrom: n.noticeFrom,
      noticeTo: n.noticeTo,
      open: n.open,
      resolutions: n.resolutions,
    })),
  };
}

export async function setPublicHeadline(actor: Actor | null, communityId: string, value: boolean) {
  requirePermission(actor, "dashboard:configure", await dashboardResource(communityId));
  await changeDashboardSetting(actor!, communityId, "publicHeadline", value);
}

export async function setResidentsSeeScorecards(actor: Actor | null, communityId: string, value: boolean) {
  requirePermission(actor, "dashboard:configure", await dashboardResource(communityId));
  await changeDashboardSetting(actor!, communityId, "residentsSeeScorecards", value);
}

/**
 * One switch of who may see the figures, with its audit entry in the same transaction (making
 * the headline public is a decision someone must answer for). Saving the same value records nothing.
 */
async function changeDashboardSetting(actor: Actor, communityId: string, setting: "publicHeadline" | "residentsSeeScorecards", value: boolean) {
  await prisma.$transaction(async (tx) => {
    const before = (await tx.dashboardSetting.findUnique({ where: { communityId }, select: { [setting]: true } }))?.[setting] ?? false;
    if (before === value) return;
    await tx.dashboardSetting.upsert({ where: { communityId }, create: { communityId, [setting]: value }, update: { [setting]: value } });
    await audit(tx, { communityId, actor, action: "settings.update", subject: { id: communityId, name: `dashboard.${setting}` }, before, after: value });
  });
}

/** One table of the community's dashboard or scorecard, for its download. */
export async function communityTable(
  actor: Actor | null,
  community: { id: string; slug: string },
  id: TableId,
  periodKey: string | null | undefined,
  locale: Locale,
  now = new Date(),
  narrow: Narrow = {},
): Promise<DataTable> {
  if (id === "scorecard") return (await communityScorecards(actor, community.id, locale, now)).table;
  const view = await communityDashboard(actor, community, periodKey, locale, now, narrow);
  return view.tables.find((t) => t.id === id)!;
}
