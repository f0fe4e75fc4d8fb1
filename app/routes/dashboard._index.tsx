// The overseers' dashboards: the whole deployment (every street office) for its overseers, a
// street office's (街道) communities for its super-users; for everyone else, links to the
// dashboards of their own communities.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ChartFigure, FigureCards } from "~/components/dashboard";
import { translator } from "~/i18n";
import { renderChart } from "~/models/charts.server";
import { PERIOD_KEY, deploymentDashboard, districtDashboard, periodChoices, periodLabel } from "~/models/dashboard.server";
import styles from "~/styles/dashboard.css?url";
import { prisma } from "~/utils/db.server";
import { orHttpError } from "~/utils/http.server";
import { getLocale } from "~/utils/locale.server";
import { requireActor } from "~/utils/permissions.server";

export const meta: MetaFunction = (args) => pageMeta(args, "dashboard.title");

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const locale = await getLocale(request);
  const user = await prisma.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { district: { select: { id: true, name: true } } } });
  const mine = await prisma.community.findMany({
    where: { id: { in: actor.memberships.map((m) => m.communityId) } },
    select: { slug: true, name: true },
    orderBy: { name: "asc" },
  });
  const t = translator(locale);
  const scope = actor.overseesDeployment
    ? { name: t("dashboard.wholeDeployment"), linked: false }
    : user.district
      ? { name: user.district.name, linked: true }
      : null;
  if (!scope) return { scope: null, mine, view: null, periods: [] };
  const asked = new URL(request.url).searchParams.get("p");
  const p = asked && PERIOD_KEY.test(asked) ? asked : null;
  const now = new Date();
  const view = await orHttpError(
    () => (actor.overseesDeployment ? deploymentDashboard(actor, p, locale, now) : districtDashboard(actor, user.district!.id, p, locale, now)),
    request,
  );
  return {
    scope,
    mine,
    view: { ...view, tables: view.tables.map((table) => ({ ...table, svg: renderChart(table, 640, 320) })) },
    periods: periodChoices(now).map((key) => ({ key, label: periodLabel(t, key) })),
  };
}

export default function DistrictDashboardPage() {
  const { scope, mine, view, periods } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="stack">
      <div className="card">
        <h1>{scope ? `${t("dashboard.deploymentTitle")} · ${scope.name}` : t("dashboard.title")}</h1>
        {view ? (
          <>
            <form method="get" className="period-form">
              <label>
                {t("dashboard.period")}
                <br />
                <select name="p" defaultValue={view.period.key}>
                  {periods.map((p) => (
                    <option key={p.key} value={p.key}>
                      {p.label}
                    </option>
                  ))}
                </select>
              </label>
              <button className="btn" type="submit">
                {t("dashboard.show")}
              </button>
            </form>
            <FigureCards figures={view.figures} />
          </>
        ) : null}
        {/* An overseer of the whole deployment reads each community in the table below; their pages are their members'. */}
        {scope && !scope.linked ? null : (
          <>
            <h2>{t("dashboard.communities")}</h2>
            <ul className="list">
              {(view?.communities ?? mine).map((c) => (
                <li key={c.slug}>
                  <a className="item-link" href={`/c/${c.slug}/dashboard`}>
                    {c.name}
                  </a>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {view?.tables.map((table) => (
        <ChartFigure key={table.id} table={table} download={null} />
      ))}
    </div>
  );
}
