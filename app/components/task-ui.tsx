// Small pieces the task pages, the topic timeline and the live page share.
import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/utils/format";

const TONE: Record<string, string> = { pending: "", inProgress: "ok", awaitingVerification: "warn", closed: "done", sentBack: "overdue" };

export function TaskStatusPill({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`pill status ${TONE[status] ?? ""}`.trim()} data-status={status} data-testid="task-status">
      {t(`tasks.status.${status}`)}
    </span>
  );
}

export function ProgressBar({ value }: { value: number }) {
  const { t } = useTranslation();
  return (
    <div className="task-progress">
      <progress max={100} value={value} aria-label={t("tasks.progressLabel")} />
      <span data-testid="task-progress">{t("tasks.progress", { progress: value })}</span>
    </div>
  );
}

export type TaskRowData = {
  id: string;
  title: string;
  status: string;
  deadline: string | Date;
  progress: number;
  overdue: boolean;
  organization: { name: string };
  owner: { displayName: string } | null;
};

export function TaskList({ items }: { items: readonly TaskRowData[] }) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return <p className="muted">{t("tasks.empty")}</p>;
  return (
    <ul className="list task-list">
      {items.map((task) => (
        <li key={task.id} className="card" data-testid="task-row">
          <a className="item-link" href={`/tasks/${task.id}`}>
            <strong>{task.title}</strong>
          </a>
          <p className="row-meta">
            <TaskStatusPill status={task.status} />
            {task.overdue ? <span className="pill overdue">{t("tasks.overdue")}</span> : null}
            <span>{t("tasks.progress", { progress: task.progress })}</span>
          </p>
          <p className="muted">
            {task.organization.name}
            {task.owner ? ` · ${task.owner.displayName}` : ""} · {t("tasks.deadline", { date: formatDateTime(task.deadline, i18n.language) })}
          </p>
        </li>
      ))}
    </ul>
  );
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

/** What one task step says beyond its name (shared by the task page and the topic's timeline). */
export function TaskEventDetail({ kind, data }: { kind: string; data: Record<string, unknown> }) {
  const { t, i18n } = useTranslation();
  const date = (v: unknown) => (str(v) ? formatDateTime(str(v)!, i18n.language) : "");
  switch (kind) {
    case "created":
      return (
        <p>
          {t("tasks.eventDetail.deadline", { date: date(data.deadline) })}
          {str(data.organization) ? ` · ${str(data.organization)}` : ""}
        </p>
      );
    case "progress":
      return (
        <p>
          {t("tasks.eventDetail.progress", { progress: data.progress })}
          {str(data.share) ? t("tasks.eventDetail.share", { share: str(data.share) }) : ""}
          {typeof data.photos === "number" && data.photos > 0 ? ` · ${t("tasks.eventDetail.photos", { count: data.photos })}` : ""}
          {str(data.text) ? (
            <>
              <br />
              {str(data.text)}
            </>
          ) : null}
        </p>
      );
    case "verification":
      return (
        <p>
          {t(`tasks.verify.verdicts.${str(data.verdict) ?? "confirm"}`)}
          {typeof data.rating === "number" ? ` · ${t(`tasks.rating.${data.rating}`)}` : ""}
          {str(data.comment) ? ` · ${str(data.comment)}` : ""}
        </p>
      );
    case "closed":
      return str(data.via) ? <p>{t(`tasks.eventDetail.closedVia.${str(data.via)}`)}</p> : null;
    case "sentBack":
      return (
        <p>
          {str(data.via) ? t(`tasks.eventDetail.sentBackVia.${str(data.via)}`) : ""}
          {str(data.reason) ? <blockquote className="reply">{str(data.reason)}</blockquote> : null}
        </p>
      );
    case "extensionRequested":
      return (
        <p>
          {t("tasks.eventDetail.deadline", { date: date(data.deadline) })}
          {str(data.reason) ? ` · ${str(data.reason)}` : ""}
        </p>
      );
    case "extensionDecided":
      return <p>{data.approved ? t("tasks.eventDetail.approved", { date: date(data.deadline) }) : t("tasks.eventDetail.rejected")}</p>;
    case "ownerChanged":
      return <p>{t("tasks.eventDetail.owner", { name: str(data.owner) ?? "" })}</p>;
    case "milestoneDone":
    case "subTaskAdded":
      return str(data.title) ? <p>{str(data.title)}</p> : null;
    default:
      return null;
  }
}

export type TaskTimelineEvent = { id: string; kind: string; createdAt: string | Date; actor: { displayName: string } | null; data: Record<string, unknown> };

export function TaskTimeline({ events }: { events: readonly TaskTimelineEvent[] }) {
  const { t, i18n } = useTranslation();
  return (
    <ol className="timeline" data-testid="task-timeline">
      {events.map((e) => (
        <li key={e.id} data-event={e.kind}>
          <div className="what">
            <strong>{t(`tasks.event.${e.kind}`, { defaultValue: e.kind })}</strong>
            <span className="muted">
              {" · "}
              {e.actor?.displayName ?? t("timeline.system")}
            </span>
          </div>
          <div className="muted">
            <time dateTime={new Date(e.createdAt).toISOString()}>{formatDateTime(e.createdAt, i18n.language)}</time>
          </div>
          <TaskEventDetail kind={e.kind} data={e.data} />
        </li>
      ))}
    </ol>
  );
}
