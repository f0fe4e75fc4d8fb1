// 社区领题: the staff's queue of open topics, most urgent first.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Age, StatusPill, categoryName } from "~/components/topic-ui";
import { triageQueue } from "~/models/topic.server";
import { formatDateTime } from "~/utils/format";
import { categoriesOf, communityPage } from "~/utils/forms.server";
import { orHttpError } from "~/utils/http.server";
import { can } from "~/utils/permissions.server";
import { PlaceFilter } from "~/components/place-filter";
import { placeOptions } from "~/models/places.server";
import { placeFilterSchema } from "~/utils/places-schemas";

export const meta: MetaFunction = (args) => pageMeta(args, "triage.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "topic:triage");
  const place = placeFilterSchema.safeParse(new URL(request.url).searchParams.get("place") ?? undefined);
  const filter = place.success ? place.data : undefined;
  const [queue, categories, places] = await Promise.all([
    // A place of another community (a hand-edited URL) shows the whole queue rather than an error.
    orHttpError(() =>
      triageQueue(actor, community.id, { place: filter }).catch((error: unknown) => {
        if ((error as { field?: string }).field !== "place") throw error;
        return triageQueue(actor, community.id);
      }),
    ),
    categoriesOf(community.id, { archived: true }),
    placeOptions(community.id),
  ]);
  return {
    community,
    queue,
    place: filter,
    places,
    categories,
    now: Date.now(),
    maySchedule: can(actor, "session:schedule", { type: "community", communityId: community.id }),
  };
}

export default function TriageQueue() {
  const { community, queue, categories, now, maySchedule, place, places } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const overdue = queue.filter((q) => q.overdue).length;
  return (
    <div>
      <p className="muted">
        <a href={`/c/${community.slug}/topics`}>← {t("topics.title")}</a> · {community.name}
      </p>
      <h1>{t("triage.title")}</h1>
      <p className="muted">{t("triage.intro")}</p>
      <div className="actions">
        {maySchedule ? (
          <a className="btn secondary" href={`/c/${community.slug}/sessions/new`}>
            {t("triage.scheduleSession")}
          </a>
        ) : null}
      </div>
      <Form method="get" className="actions" style={{ alignItems: "end" }}>
        <PlaceFilter places={places} value={place} />
        <button className="btn secondary" type="submit">
          {t("topics.filter")}
        </button>
      </Form>
      <p className="muted" data-testid="triage-total">
        {t("triage.total", { count: queue.length })}
        {overdue ? ` · ${t("triage.overdueCount", { count: overdue })}` : ""}
      </p>
      {queue.length === 0 ? (
        <p className="card muted">{t("triage.empty")}</p>
      ) : (
        <ol className="list card topic-list">
          {queue.map((topic) => (
            <li key={topic.id} className={topic.overdue ? "overdue-row" : undefined}>
              <a className="item-link" href={`/topics/${topic.id}`} data-testid="triage-row">
                <span className="title">{topic.title}</span>
                <span className="row-meta">
                  <StatusPill status={topic.status} />
                  {topic.overdue ? <span className="pill overdue">{t("topic.overdue")}</span> : null}
                  {topic.readyAt ? <span className="pill ok">{t("topics.ready")}</span> : null}
                  <span>{categoryName(categories, topic.category, i18n.language)}</span>
                  <span>{t("topics.coSigns", { count: topic.coSignCount })}</span>
                </span>
                <span className="muted">
                  <Age date={topic.createdAt} now={now} />
                  {topic.referredOrg ? ` · ${topic.referredOrg.name}` : ""}
                  {topic.referralDue && topic.status === "referred" ? ` · ${t("topic.due", { date: formatDateTime(topic.referralDue, i18n.language) })}` : ""}
                  {" · "}
                  {t("triage.urgency", { n: topic.urgency })}
                </span>
              </a>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
