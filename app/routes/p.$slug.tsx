// 公开看板: what residents would show their neighbours — a community's headline rates for this
// year and its published notices (公示) — for anyone, without signing in, while the community's
// staff have switched it on (dashboard settings); otherwise 404. Light: no charts, no forms.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FigureCards } from "~/components/dashboard";
import { translator } from "~/i18n";
import { periodLabel, publicView } from "~/models/dashboard.server";
import styles from "~/styles/dashboard.css?url";
import minutesStyles from "~/styles/minutes.css?url";
import { formatDateTime } from "~/utils/format";
import { orHttpError } from "~/utils/http.server";
import { getLocale } from "~/utils/locale.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: minutesStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · ${data.view.community.name}` : "议事" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const view = await orHttpError(() => publicView(params.slug ?? ""), request);
  const t = translator(await getLocale(request));
  return { view, title: t("dashboard.public.title"), periodLabel: periodLabel(t, view.period) };
}

export default function PublicDashboard() {
  const { view, periodLabel } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const date = (s: string) => formatDateTime(s, i18n.language);
  return (
    <div className="stack">
      <div className="card stack">
        <h1>
          {t("dashboard.public.title")} · {view.community.name}
        </h1>
        <p className="muted">{t("dashboard.public.intro", { period: periodLabel })}</p>
      </div>
      <section className="card stack" aria-labelledby="public-figures">
        <h2 id="public-figures">{t("dashboard.public.figures", { period: periodLabel })}</h2>
        <FigureCards figures={view.figures.map((f) => ({ ...f, list: null }))} />
      </section>
      <section className="stack" aria-labelledby="public-notices">
        <h2 id="public-notices">{t("dashboard.public.notices")}</h2>
        {view.notices.length === 0 ? <p className="muted">{t("minutes.notices.empty")}</p> : null}
        {view.notices.map((n) => (
          <article key={n.minutesId} className="card stack" data-testid="public-notice">
            <h3>{n.sessionTitle}</h3>
            <p>
              <span className="minutes-state">{n.open ? t("minutes.notices.open") : t("minutes.notices.closed")}</span>{" "}
              <span className="muted">
                {t("minutes.versions.version", { n: n.version })} · {t("minutes.notices.period", { from: date(n.noticeFrom), to: date(n.noticeTo) })}
              </span>
            </p>
            {n.resolutions.length ? (
              <ul className="list">
                {n.resolutions.map((r) => (
                  <li key={r.position}>
                    {r.position}. {r.item}：{r.text}（{r.passed ? t("minutes.notices.passed") : t("minutes.notices.failed")}）
                  </li>
                ))}
              </ul>
            ) : null}
          </article>
        ))}
      </section>
    </div>
  );
}
