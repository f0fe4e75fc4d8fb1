// A topic's timeline: what happened, when (Beijing time) and by whom.
import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/utils/format";
import { TaskEventDetail } from "./task-ui";

export type TimelineEvent = {
  id: string;
  type: string;
  createdAt: Date | string;
  actor: { displayName: string } | null;
  data: Record<string, unknown>;
};

const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

function Details({ event }: { event: TimelineEvent }) {
  const { t, i18n } = useTranslation();
  const d = event.data;
  switch (event.type) {
    case "raised":
      return str(d.onBehalfOf) ? <p>{t("timeline.onBehalfOf", { name: str(d.onBehalfOf) })}</p> : null;
    case "ready":
      return typeof d.coSigns === "number" ? <p>{t("timeline.coSigns", { count: d.coSigns })}</p> : null;
    case "answered":
    case "orgAnswered":
      return str(d.answer) ? <blockquote className="reply">{str(d.answer)}</blockquote> : null;
    case "referred":
      return (
        <p>
          {t("timeline.referredTo", { organization: str(d.organization) ?? "—" })}
          {str(d.dueAt) ? (
            <>
              <br />
              {t("timeline.dueAt", { date: formatDateTime(str(d.dueAt)!, i18n.language) })}
            </>
          ) : null}
        </p>
      );
    case "merged":
      return str(d.intoTopicId) ? (
        <p>
          {t("timeline.mergedInto")} <a href={`/topics/${str(d.intoTopicId)}`}>{str(d.intoTitle) ?? t("timeline.topic")}</a>
        </p>
      ) : null;
    case "mergedFrom":
      return str(d.fromTopicId) ? (
        <p>
          {t("timeline.mergedFromTopic")} <a href={`/topics/${str(d.fromTopicId)}`}>{str(d.fromTitle) ?? t("timeline.topic")}</a>
        </p>
      ) : null;
    case "resolved":
    case "voteFailed":
      return str(d.motion) ? <p>{t("timeline.motion", { text: str(d.motion) })}</p> : null;
    case "declined":
      return str(d.reason) ? <blockquote className="reply">{str(d.reason)}</blockquote> : null;
    case "scheduled":
    case "agendaPublished":
      return str(d.sessionId) ? (
        <p>
          {t("timeline.session")} <a href={`/sessions/${str(d.sessionId)}`}>{str(d.sessionTitle) ?? t("timeline.sessionLink")}</a>
        </p>
      ) : null;
    case "task":
      // A step of one of the topic's tasks (app/models/task.server.ts topicTaskEvents): the story goes on after the vote.
      return (
        <>
          <p>
            <a href={`/tasks/${str(d.taskId) ?? ""}`}>{str(d.taskTitle) ?? ""}</a>
          </p>
          <TaskEventDetail kind={str(d.kind) ?? ""} data={d} />
        </>
      );
    default:
      return null;
  }
}

export function TopicTimeline({ events }: { events: readonly TimelineEvent[] }) {
  const { t, i18n } = useTranslation();
  return (
    <ol className="timeline" data-testid="timeline">
      {events.map((e) => (
        <li key={e.id} data-event={e.type === "task" ? `task-${str(e.data.kind) ?? ""}` : e.type}>
          <div className="what">
            <strong>
              {e.type === "task"
                ? t(`tasks.event.${str(e.data.kind) ?? ""}`, { defaultValue: str(e.data.kind) })
                : t(`timeline.${e.type}`, { defaultValue: t("timeline.unknown") })}
            </strong>
            <span className="muted">
              {" · "}
              {e.actor?.displayName ?? t("timeline.system")}
            </span>
          </div>
          <div className="muted">
            <time dateTime={new Date(e.createdAt).toISOString()}>{formatDateTime(e.createdAt, i18n.language)}</time>
          </div>
          <Details event={e} />
        </li>
      ))}
    </ol>
  );
}
