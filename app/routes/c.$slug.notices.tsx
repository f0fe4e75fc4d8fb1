// 公示栏: the community's published minutes and resolutions, newest first, each with its notice
// period and how its objections stand.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listNotices } from "~/models/minutes.server";
import minutesStyles from "~/styles/minutes.css?url";
import { formatDateTime } from "~/utils/format";
import { communityPage } from "~/utils/forms.server";

export const meta: MetaFunction = (args) => pageMeta(args, "minutes.notices.title");

export const links: LinksFunction = () => [{ rel: "stylesheet", href: minutesStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await communityPage(request, params.slug ?? "");
  return listNotices(actor, params.slug ?? "");
}

export default function NoticeBoard() {
  const { community, notices } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const date = (s: string) => formatDateTime(s, i18n.language);
  return (
    <div className="stack">
      <div className="card stack">
        <h1>{t("minutes.notices.title")}</h1>
        <p className="muted">{community.name}</p>
        <p>{t("minutes.notices.intro")}</p>
        {notices.length === 0 ? <p className="muted">{t("minutes.notices.empty")}</p> : null}
      </div>
      {notices.map((n) => (
        <article key={n.minutesId} className="card stack" data-testid="notice">
          <h2>{n.sessionTitle}</h2>
          <p>
            <span className="minutes-state">{n.open ? t("minutes.notices.open") : t("minutes.notices.closed")}</span>{" "}
            <span className="muted">
              {t("minutes.versions.version", { n: n.version })} · {t("minutes.notices.period", { from: date(n.noticeFrom), to: date(n.noticeTo) })}
            </span>
          </p>
          {n.correctionReason ? (
            <p className="notice">{t("minutes.versions.correctionNotice", { previous: n.version - 1, reason: n.correctionReason })}</p>
          ) : null}
          {n.resolutions.length ? (
            <>
              <h3>{t("minutes.notices.resolutions")}</h3>
              <ul className="list">
                {n.resolutions.map((r) => (
                  <li key={r.position}>
                    {r.position}. {r.item}：{r.text}（{r.passed ? t("minutes.notices.passed") : t("minutes.notices.failed")}）
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <p className={n.objections.unanswered ? "minutes-bad" : "muted"}>{t("minutes.notices.objections", n.objections)}</p>
          <a className="btn" href={`/minutes/${n.minutesId}`}>
            {t("minutes.notices.read")}
          </a>
        </article>
      ))}
    </div>
  );
}
