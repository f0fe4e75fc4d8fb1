// 物业答题: topics referred to the person's organisation, waiting for its formal answer.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Age } from "~/components/topic-ui";
import { referralQueue } from "~/models/topic.server";
import { formatDateTime } from "~/utils/format";
import { communityPage } from "~/utils/forms.server";
import { orHttpError } from "~/utils/http.server";

export const meta: MetaFunction = (args) => pageMeta(args, "referrals.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "");
  const queue = await orHttpError(() => referralQueue(actor, community.id));
  const isRep = actor.memberships.some((m) => m.communityId === community.id && m.organizationId);
  return { community, queue, isRep, now: Date.now() };
}

export default function ReferralQueue() {
  const { community, queue, isRep, now } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const organizations = [...new Set(queue.map((q) => q.referredOrg?.name).filter(Boolean))];
  return (
    <div>
      <p className="muted">
        <a href={`/c/${community.slug}/topics`}>← {t("topics.title")}</a> · {community.name}
      </p>
      <h1>{t("referrals.title")}</h1>
      <p className="muted">{isRep ? t("referrals.intro") : t("referrals.notRep")}</p>
      {organizations.length ? <p className="muted">{organizations.join("、")}</p> : null}
      {queue.length === 0 ? (
        <p className="card muted">{t("referrals.empty")}</p>
      ) : (
        <ol className="list card topic-list">
          {queue.map((topic) => (
            <li key={topic.id} className={topic.overdue ? "overdue-row" : undefined}>
              <a className="item-link" href={`/topics/${topic.id}`} data-testid="referral-row">
                <span className="title">{topic.title}</span>
                <span className="row-meta">
                  {topic.overdue ? <span className="pill overdue">{t("topic.overdue")}</span> : <span className="pill warn">{t("referrals.waiting")}</span>}
                  <span>{t("topics.coSigns", { count: topic.coSignCount })}</span>
                </span>
                <span className={topic.overdue ? "error" : "muted"}>
                  {topic.referralDue ? t("topic.due", { date: formatDateTime(topic.referralDue, i18n.language) }) : null}
                </span>
                <span className="muted">
                  {" "}
                  <Age date={topic.createdAt} now={now} />
                </span>
              </a>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
