// One topic: what it is, who cares (附议, live), what happened (timeline), and
// for staff / the referred organisation the moves they may make now.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { TopicMoves, type MoveResult } from "~/components/topic-moves";
import { TopicTimeline } from "~/components/topic-timeline";
import { StatusPill, beijingInputValue, categoryName, placeText } from "~/components/topic-ui";
import { isClosed } from "~/models/topic-states";
import { coSign, getTopic, moveTopic, withdrawCoSign } from "~/models/topic.server";
import { prisma } from "~/utils/db.server";
import { formatDateTime } from "~/utils/format";
import { categoriesOf, problemsFrom, zodProblems, fieldsOf, formOf } from "~/utils/forms.server";
import { orHttpError } from "~/utils/http.server";
import { useLiveEvents } from "~/utils/live-events";
import { can, requireActor } from "~/utils/permissions.server";
import { topicMoveSchema } from "~/utils/schemas";

export const meta: MetaFunction = (args) => pageMeta(args, (t, d) => (d as { topic?: { title?: string } } | undefined)?.topic?.title);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return orHttpError(async () => {
    const topic = await getTopic(actor, params.topicId ?? "");
    const has = (m: string) => topic.moves.some((x) => x === m);
    const [categories, organizations, openTopics, sessions] = await Promise.all([
      categoriesOf(topic.communityId, { archived: true }),
      has("refer")
        ? prisma.organization.findMany({ where: { communityId: topic.communityId }, orderBy: { name: "asc" }, select: { id: true, name: true, kind: true } })
        : [],
      has("merge")
        ? prisma.topic.findMany({
            where: { communityId: topic.communityId, id: { not: topic.id }, status: { in: ["raised", "referred", "accepted", "scheduled"] } },
            orderBy: { createdAt: "desc" },
            take: 200,
            select: { id: true, title: true },
          })
        : [],
      has("schedule")
        ? prisma.councilSession.findMany({
            where: { council: { communityId: topic.communityId }, status: "scheduled" },
            orderBy: { scheduledAt: "asc" },
            select: { id: true, title: true, scheduledAt: true },
          })
        : [],
    ]);
    // The property company first: it answers most referrals.
    organizations.sort((a, b) => Number(b.kind === "propertyCompany") - Number(a.kind === "propertyCompany"));
    const now = Date.now();
    return {
      topic,
      categories,
      organizations,
      openTopics,
      sessions,
      defaultDue: beijingInputValue(now + 5 * 86_400_000),
      minDue: beijingInputValue(now),
      isRaiser: topic.raisedBy.id === actor.userId,
      mayCreateTask: can(actor, "task:create", { type: "community", communityId: topic.communityId }),
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const topicId = params.topicId ?? "";
  const form = fieldsOf(await formOf(request));
  const intent = form.intent;
  if (intent === "coSign" || intent === "withdraw") {
    try {
      const result = await orHttpError<{ count: number; coSigned: boolean }>(() =>
        intent === "coSign" ? coSign(actor, topicId) : withdrawCoSign(actor, topicId),
      );
      return { coSign: result };
    } catch (error) {
      // Closed (or merged away) since the page was loaded: say so on the button, not on an error page.
      if (error instanceof Response && error.status === 403) return data({ coSignRefused: true as const }, { status: 403 });
      throw error;
    }
  }
  const { intent: _, ...input } = form;
  const move = typeof input.move === "string" ? input.move : "";
  const values = Object.fromEntries(Object.entries(input).filter((e): e is [string, string] => typeof e[1] === "string"));
  const parsed = topicMoveSchema.safeParse(input);
  if (!parsed.success) return data({ move, problems: zodProblems(parsed.error), values }, { status: 400 });
  try {
    await orHttpError(() => moveTopic(actor, topicId, parsed.data));
  } catch (error) {
    if (error instanceof Response) throw error;
    const problems = problemsFrom(error);
    return data({ move, problems, values }, { status: "_form" in problems ? 409 : 400 });
  }
  return { done: move };
}

export default function TopicPage() {
  const { topic, categories, organizations, openTopics, sessions, defaultDue, minDue, isRaiser, mayCreateTask } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const coSignFetcher = useFetcher<typeof action>();
  const { t, i18n } = useTranslation();
  const [count, setCount] = useState(topic.coSignCount);
  useEffect(() => setCount(topic.coSignCount), [topic.coSignCount]);

  const threshold = topic.community.coSignThreshold;
  const { joined } = useLiveEvents(
    {
      "topic:coSigns": (p: { topicId: string; count: number }) => {
        if (p.topicId !== topic.id) return;
        setCount(p.count);
        // Crossing the threshold marks the topic ready on the server: fetch the marker.
        if (!topic.readyAt && p.count >= threshold) revalidator.revalidate();
      },
      "topic:moved": (p: { topicId: string }) => {
        if (p.topicId === topic.id) revalidator.revalidate();
      },
      // One of its tasks moved on (progress, verification): the timeline grows.
      "topic:task": () => revalidator.revalidate(),
    },
    { event: "topic:join", leave: "topic:leave", payload: { topicId: topic.id } },
  );

  const pendingIntent = coSignFetcher.state !== "idle" ? coSignFetcher.formData?.get("intent") : null;
  const coSigned = pendingIntent ? pendingIntent === "coSign" : topic.coSignedByMe;
  const place = placeText(topic);
  const moveResult: MoveResult | undefined =
    result && "move" in result ? result : result && "done" in result && result.done ? { done: result.done } : undefined;
  const done = result && "done" in result ? result.done : null;
  const triageMoves = topic.moves.filter((m) => m !== "orgAnswer");
  const closed = isClosed(topic.status);

  return (
    <div className="topic-page">
      <p className="muted">
        <a href={`/c/${topic.community.slug}/topics`}>← {t("topic.back", { community: topic.community.name })}</a>
      </p>
      <h1>{topic.title}</h1>
      <p className="row-meta">
        <StatusPill status={topic.status} />
        {topic.readyAt || (!closed && count >= threshold) ? (
          <span className="pill ok" data-testid="topic-ready">
            {t("topic.ready")}
          </span>
        ) : null}
        {topic.overdue ? <span className="pill overdue">{t("topic.overdue")}</span> : null}
        <span>{categoryName(categories, topic.category, i18n.language)}</span>
      </p>

      {done ? (
        <p className="notice ok" role="status">
          {t("topic.moveDone", { move: t(`moves.${done}.label`) })}
        </p>
      ) : null}

      <section className="card cosign" aria-labelledby="cosign-heading">
        <h2 id="cosign-heading" className="visually-hidden">
          {t("topic.coSignHeading")}
        </h2>
        <p className="cosign-count" aria-live="polite">
          <strong data-testid="cosign-count" data-live={joined ? "joined" : "waiting"}>
            {count}
          </strong>{" "}
          {t("topic.coSignUnit", { count })}
        </p>
        {!closed && !topic.readyAt && count < threshold ? <p className="muted">{t("topic.threshold", { count: threshold })}</p> : null}
        {topic.mayCoSign || (topic.coSignedByMe && !closed) ? (
          <coSignFetcher.Form method="post" preventScrollReset>
            <input type="hidden" name="intent" value={coSigned ? "withdraw" : "coSign"} />
            <button
              className={coSigned ? "btn secondary block" : "btn block"}
              type="submit"
              disabled={!!pendingIntent}
              data-testid="cosign-button"
              aria-pressed={coSigned}
            >
              {coSigned ? t("topic.withdraw") : t("topic.coSign")}
            </button>
            {coSigned ? <p className="muted">{t("topic.coSigned")}</p> : null}
            {coSignFetcher.data && "coSignRefused" in coSignFetcher.data ? (
              <p className="error" role="alert">
                {t("topic.coSignRefused")}
              </p>
            ) : null}
          </coSignFetcher.Form>
        ) : isRaiser && !closed ? (
          <p className="muted">{t("topic.ownTopic")}</p>
        ) : topic.coSignedByMe ? (
          <p className="muted">{t("topic.coSigned")}</p>
        ) : null}
      </section>

      {topic.status === "answered" && topic.answer ? (
        <section className="card answer" aria-labelledby="answer-heading">
          <h2 id="answer-heading" className="card-title">
            {t("topic.answer")}
          </h2>
          <p className="prose">{topic.answer}</p>
        </section>
      ) : null}
      {topic.status === "declined" && topic.declineReason ? (
        <section className="card">
          <h2 className="card-title">{t("topic.declineReason")}</h2>
          <p className="prose">{topic.declineReason}</p>
        </section>
      ) : null}
      {topic.mergedInto ? (
        <p className="notice">
          {t("topic.mergedInto")} <a href={`/topics/${topic.mergedInto.id}`}>{topic.mergedInto.title}</a>
        </p>
      ) : null}

      <section className="card">
        <dl className="meta">
          <dt>{t("topic.raisedBy")}</dt>
          <dd>
            {topic.raisedBy.displayName}
            {topic.onBehalfOf ? <div className="muted">{t("topic.onBehalfOf", { name: topic.onBehalfOf })}</div> : null}
          </dd>
          <dt>{t("topic.raisedAt")}</dt>
          <dd>{formatDateTime(topic.createdAt, i18n.language)}</dd>
          {place ? (
            <>
              <dt>{t("topic.place")}</dt>
              <dd>{place}</dd>
            </>
          ) : null}
          {topic.status === "referred" && topic.referredOrg ? (
            <>
              <dt>{t("topic.referredTo")}</dt>
              <dd>
                {topic.referredOrg.name}
                {topic.referralDue ? (
                  <div className={topic.overdue ? "error" : "muted"}>
                    {t("topic.due", { date: formatDateTime(topic.referralDue, i18n.language) })}
                    {topic.overdue ? ` · ${t("topic.overdue")}` : ""}
                  </div>
                ) : null}
              </dd>
            </>
          ) : null}
          {topic.agendaItems.length > 0 ? (
            <>
              <dt>{t("topic.onAgenda")}</dt>
              <dd>
                {topic.agendaItems.map((item) => (
                  <div key={item.id}>
                    <a href={`/sessions/${item.session.id}`}>{item.session.title}</a>
                    <div className="muted">{formatDateTime(item.session.scheduledAt, i18n.language)}</div>
                  </div>
                ))}
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      {topic.description ? (
        <section className="card">
          <h2 className="card-title">{t("topic.description")}</h2>
          <p className="prose">{topic.description}</p>
        </section>
      ) : null}

      {topic.photos.length > 0 ? (
        <section className="card">
          <h2 className="card-title">{t("topic.photos", { count: topic.photos.length })}</h2>
          <ul className="photo-grid">
            {topic.photos.map((photo, i) => (
              <li key={photo.id}>
                <a href={`/photos/${photo.file}`} target="_blank" rel="noreferrer">
                  <img
                    src={`/photos/${photo.file}`}
                    width={photo.width}
                    height={photo.height}
                    loading="lazy"
                    decoding="async"
                    alt={t("topic.photo", { n: i + 1 })}
                  />
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {topic.moves.includes("orgAnswer") ? (
        <section className="card" aria-labelledby="org-answer-heading">
          <h2 id="org-answer-heading" className="card-title">
            {t("topic.orgAnswerHeading", { organization: topic.referredOrg?.name ?? "" })}
          </h2>
          <TopicMoves
            moves={["orgAnswer"]}
            expanded
            organizations={[]}
            openTopics={[]}
            sessions={[]}
            defaultDue={defaultDue}
            minDue={minDue}
            result={moveResult}
            busy={navigation.state !== "idle"}
          />
        </section>
      ) : null}

      {triageMoves.length > 0 ? (
        <section className="card" aria-labelledby="triage-heading">
          <h2 id="triage-heading" className="card-title">
            {t("topic.triageHeading")}
          </h2>
          <TopicMoves
            moves={triageMoves}
            organizations={organizations}
            openTopics={openTopics}
            sessions={sessions}
            defaultDue={defaultDue}
            minDue={minDue}
            result={moveResult}
            busy={navigation.state !== "idle"}
          />
        </section>
      ) : null}

      {mayCreateTask ? (
        <p>
          <a className="btn secondary block" href={`/c/${topic.community.slug}/tasks/new?topicId=${topic.id}`} data-testid="topic-new-task">
            {t("tasks.new.create")}
          </a>
        </p>
      ) : null}

      <section className="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading" className="card-title">
          {t("topic.timeline")}
        </h2>
        <TopicTimeline events={topic.events} />
      </section>
    </div>
  );
}
