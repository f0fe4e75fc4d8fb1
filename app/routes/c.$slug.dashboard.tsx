// 看板: a community's figures for a period, each linked to its definition and to the list it
// counts; trends and breakdowns as server-rendered SVG charts with their tables and downloads;
// the property-company scorecard (物业考评) for those who may see it; the scheduled jobs' log for staff.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ChartFigure, FigureCards } from "~/components/dashboard";
import { Outcome } from "~/components/outcome";
import { VolunteerSection } from "~/components/volunteer-dashboard";
import { volunteerDashboard } from "~/models/volunteer.server";
import { renderChart } from "~/models/charts.server";
import {
  PERIOD_KEY,
  SCOPE_KEY,
  communityDashboard,
  communityScorecards,
  dashboardResource,
  narrowOf,
  periodChoices,
  periodLabel,
  setPublicHeadline,
  setResidentsSeeScorecards,
} from "~/models/dashboard.server";
import { jobOverview } from "~/models/scheduler.server";
import { translator } from "~/i18n";
import styles from "~/styles/dashboard.css?url";
import { prisma } from "~/utils/db.server";
import { communityPage, formOf, problemsFrom, type Problems } from "~/utils/forms.server";
import { orHttpError } from "~/utils/http.server";
import { getLocale } from "~/utils/locale.server";
import { can, requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = (args) => pageMeta(args, "dashboard.title");

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "");
  const locale = await getLocale(request);
  const now = new Date();
  // A period the page does not know shows the default (this year) rather than an error page.
  const search = new URL(request.url).searchParams;
  const asked = search.get("p");
  const p = asked && PERIOD_KEY.test(asked) ? asked : null;
  // So is a scope that is not one of this community's grids, categories or organisations.
  const scopes = await scopeChoices(community.id, locale);
  const s = scopes.some((group) => group.options.some((o) => o.key === search.get("s"))) ? search.get("s")! : "";
  const view = await orHttpError(() => communityDashboard(actor, community, p, locale, now, narrowOf(s)), request);
  const resource = await dashboardResource(community.id);
  const scorecard = can(actor, "scorecard:view", resource) ? await communityScorecards(actor, community.id, locale, now) : null;
  const isStaff = can(actor, "dashboard:configure", resource);
  const t = translator(locale);
  return {
    community: { slug: community.slug, name: community.name },
    period: view.period,
    scope: s,
    scopes,
    periods: periodChoices(now).map((key) => ({ key, label: periodLabel(t, key) })),
    figures: view.figures,
    tables: view.tables.map((table) => ({ ...table, svg: renderChart(table, 640, 320) })),
    scorecard: scorecard ? { weights: scorecard.weights, table: { ...scorecard.table, svg: renderChart(scorecard.table, 640, 280) } } : null,
    scorecardHiddenFromResidents: !resource.residentsSeeScorecards,
    settings: isStaff ? { residentsSeeScorecards: resource.residentsSeeScorecards, publicHeadline: resource.publicHeadline } : null,
    jobs: isStaff ? await jobOverview(prisma, { limit: 20, t }) : null,
    volunteer: await volunteerDashboard(community.id, view.period),
  };
}

/** The narrower scopes the page offers: the community's grids, topic categories and organisations. */
async function scopeChoices(communityId: string, locale: string) {
  const [grids, categories, organizations] = await Promise.all([
    prisma.grid.findMany({ where: { communityId, archivedAt: null }, select: { id: true, name: true }, orderBy: { code: "asc" } }),
    prisma.topicCategory.findMany({ where: { communityId, archived: false }, select: { key: true, nameZh: true, nameEn: true }, orderBy: { position: "asc" } }),
    prisma.organization.findMany({ where: { communityId, archivedAt: null }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  const options = [
    { group: "grids", options: grids.map((g) => ({ key: `grid:${g.id}`, label: g.name })) },
    { group: "categories", options: categories.map((c) => ({ key: `cat:${c.key}`, label: locale === "en" ? c.nameEn : c.nameZh })) },
    { group: "organizations", options: organizations.map((o) => ({ key: `org:${o.id}`, label: o.name })) },
  ];
  return options.map((g) => ({ ...g, options: g.options.filter((o) => SCOPE_KEY.test(o.key)) }));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "");
  // Not staff: the error page (403), before the body is read.
  await orHttpError(async () => requirePermission(actor, "dashboard:configure", await dashboardResource(community.id)), request);
  const form = await formOf(request);
  try {
    await setResidentsSeeScorecards(actor, community.id, form.get("residentsSeeScorecards") === "on");
    await setPublicHeadline(actor, community.id, form.get("publicHeadline") === "on");
    return { problems: {} as Problems, done: "dashboard.settings.saved" };
  } catch (error) {
    return { problems: problemsFrom(error), done: null };
  }
}

export default function DashboardPage() {
  const data = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const download = (id: string) => (format: "csv" | "xlsx") =>
    `/c/${data.community.slug}/dashboard/download?${new URLSearchParams({ table: id, format, p: data.period.key, ...(data.scope && id !== "scorecard" ? { s: data.scope } : {}) })}`;
  return (
    <div className="stack">
      <div className="card">
        <h1>{t("dashboard.title")}</h1>
        <p className="muted">
          {data.community.name}
          {data.scope ? ` · ${data.scopes.flatMap((g) => g.options).find((o) => o.key === data.scope)?.label ?? ""}` : ""}
        </p>
        <Form method="get" className="period-form">
          <label>
            {t("dashboard.period")}
            <br />
            <select name="p" defaultValue={data.period.key}>
              {data.periods.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("dashboard.scope.label")}
            <br />
            <select name="s" defaultValue={data.scope}>
              <option value="">{t("dashboard.scope.whole")}</option>
              {data.scopes
                .filter((group) => group.options.length > 0)
                .map((group) => (
                  <optgroup key={group.group} label={t(`dashboard.scope.${group.group}`)}>
                    {group.options.map((o) => (
                      <option key={o.key} value={o.key}>
                        {o.label}
                      </option>
                    ))}
                  </optgroup>
                ))}
            </select>
          </label>
          <button className="btn" type="submit">
            {t("dashboard.show")}
          </button>
        </Form>
        <h2>{t("dashboard.headline")}</h2>
        <FigureCards figures={data.figures} />
        <a href="/dashboard/definitions">{t("dashboard.definitions.title")}</a>
      </div>
      {data.tables.map((table) => (
        <ChartFigure key={table.id} table={table} download={download(table.id)} />
      ))}
      {data.scorecard ? (
        <div className="stack" data-testid="scorecard">
          <p className="muted">{t("dashboard.scorecard.intro")}</p>
          <ChartFigure table={data.scorecard.table} download={download("scorecard")} />
          <p className="muted">
            {t("dashboard.definitions.starsText", {
              onTime: data.scorecard.weights.onTime,
              reopen: data.scorecard.weights.reopen,
              rating: data.scorecard.weights.rating,
              response: data.scorecard.weights.response,
            })}
          </p>
        </div>
      ) : null}
      {data.settings ? (
        <div className="card">
          <h2>{t("dashboard.settings.title")}</h2>
          <Outcome done={outcome?.done} problems={outcome?.problems} />
          <Form method="post">
            <label style={{ display: "flex", gap: "0.5rem", alignItems: "center", minHeight: 48 }}>
              <input type="checkbox" name="residentsSeeScorecards" defaultChecked={data.settings.residentsSeeScorecards} style={{ width: 24, height: 24 }} />
              {t("dashboard.settings.residentsSeeScorecards")}
            </label>
            <label style={{ display: "flex", gap: "0.5rem", alignItems: "center", minHeight: 48 }}>
              <input type="checkbox" name="publicHeadline" defaultChecked={data.settings.publicHeadline} style={{ width: 24, height: 24 }} />
              {t("dashboard.settings.publicHeadline")}
            </label>
            {data.settings.publicHeadline ? (
              <p className="muted">
                <a href={`/p/${data.community.slug}`}>{t("dashboard.settings.publicLink", { url: `/p/${data.community.slug}` })}</a>
              </p>
            ) : null}
            <button className="btn" type="submit">
              {t("dashboard.settings.save")}
            </button>
          </Form>
        </div>
      ) : null}
      {data.jobs ? (
        <div className="card" data-testid="job-runs">
          <h2>{t("dashboard.jobs.title")}</h2>
          <p className="muted">{t("dashboard.jobs.intro")}</p>
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t("uxrest.tableScroll", { title: t("dashboard.jobs.title") })}>
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t("dashboard.jobs.job")}</th>
                  <th scope="col">{t("dashboard.jobs.last")}</th>
                  <th scope="col">{t("dashboard.jobs.next")}</th>
                </tr>
              </thead>
              <tbody>
                {data.jobs.jobs.map((j) => (
                  <tr key={j.name}>
                    <th scope="row">{t(`dashboard.jobs.names.${j.name}`, { defaultValue: j.name })}</th>
                    <td>{j.lastRunAt ? new Date(j.lastRunAt).toLocaleString(i18n.language, { timeZone: "Asia/Shanghai" }) : "—"}</td>
                    <td>{new Date(j.dueAt).toLocaleString(i18n.language, { timeZone: "Asia/Shanghai" })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data.jobs.runs.length === 0 ? <p className="muted">{t("dashboard.jobs.none")}</p> : null}
          <ol className="list">
            {data.jobs.runs.map((r) => (
              <li key={r.id}>
                <strong>{t(`dashboard.jobs.names.${r.job}`, { defaultValue: r.job })}</strong> ·{" "}
                {r.ok === null ? t("dashboard.jobs.running") : r.ok ? t("dashboard.jobs.ok") : t("dashboard.jobs.failed")}
                <br />
                <span className="muted">
                  {new Date(r.startedAt).toLocaleString(i18n.language, { timeZone: "Asia/Shanghai" })} · {r.detail}
                </span>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      {!data.scorecard && data.scorecardHiddenFromResidents ? <p className="muted">{t("dashboard.scorecard.hidden")}</p> : null}
      <VolunteerSection data={data.volunteer} slug={data.community.slug} />
    </div>
  );
}
