// Small pieces the topic, triage, notification and agenda pages share.
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { TOPIC_STATUSES } from "~/utils/domain";

export type Category = { key: string; nameZh: string; nameEn: string };
export type Problem = { key: string; values?: Record<string, string | number> };

/** A category's name in the page's language (the key itself if the community no longer has it). */
export function categoryName(categories: readonly Category[], key: string, language: string): string {
  const c = categories.find((x) => x.key === key);
  if (!c) return key;
  return language.startsWith("en") ? c.nameEn : c.nameZh;
}

const STATUS_TONE: Record<string, string> = {
  raised: "",
  referred: "warn",
  accepted: "ok",
  scheduled: "ok",
  answered: "done",
  merged: "done",
  resolved: "done",
  declined: "done",
};

/**
 * A topic's status in words. A notification may carry a timeline step instead (a vote that
 * failed leaves the topic where it was): that is named by its timeline label, never shown raw.
 */
export function topicStatusLabel(t: TFunction, status: string): string {
  if ((TOPIC_STATUSES as readonly string[]).includes(status)) return t(`topicStatus.${status}`);
  return t(`timeline.${status}`, { defaultValue: t("timeline.unknown") });
}

export type NotificationItem = {
  type: string;
  data: Record<string, unknown>;
  topic: { title: string } | null;
  session: { title: string } | null;
};

/** One notification as a sentence in the page's language. */
export function notificationText(t: TFunction, n: NotificationItem): string {
  const d = n.data;
  const title = (typeof d.title === "string" && d.title) || n.topic?.title || n.session?.title || "";
  const status = typeof d.status === "string" ? topicStatusLabel(t, d.status) : "";
  const move = typeof d.move === "string" ? t(`moves.${d.move}.label`) : "";
  const unanswered = typeof d.unanswered === "number" ? d.unanswered : 0;
  return t(`notifications.types.${n.type}`, {
    title,
    status,
    move,
    coSigns: d.coSigns ?? "",
    unanswered,
    defaultValue: t("notifications.types.other", { title }),
  });
}

export function StatusPill({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`pill status ${STATUS_TONE[status] ?? ""}`.trim()} data-status={status} data-testid="topic-status">
      {topicStatusLabel(t, status)}
    </span>
  );
}

/** "3 天前" / "3 days ago", measured from the loader's clock so the server and the browser render the same text. */
export function Age({ date, now }: { date: Date | string; now: number }) {
  const { i18n } = useTranslation();
  const then = new Date(date);
  const seconds = Math.round((then.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat(i18n.language, { numeric: "auto" });
  const text =
    abs < 60
      ? rtf.format(0, "second")
      : abs < 3600
        ? rtf.format(Math.round(seconds / 60), "minute")
        : abs < 86_400
          ? rtf.format(Math.round(seconds / 3600), "hour")
          : abs < 30 * 86_400
            ? rtf.format(Math.round(seconds / 86_400), "day")
            : abs < 365 * 86_400
              ? rtf.format(Math.round(seconds / (30 * 86_400)), "month")
              : rtf.format(Math.round(seconds / (365 * 86_400)), "year");
  return <time dateTime={then.toISOString()}>{text}</time>;
}

/** Grid · building · unit, whichever are known. */
export function placeText(place: { grid?: { name: string } | null; building?: { name: string } | null; unit?: { name: string } | null }): string {
  return [place.grid?.name, place.building?.name, place.unit?.name].filter(Boolean).join(" · ");
}

/** A refusal from the server, in the page's language. */
export function ProblemText({ problem, id }: { problem: Problem | undefined; id?: string }) {
  const { t } = useTranslation();
  if (!problem) return null;
  const values = { ...problem.values };
  if (typeof values.status === "string") values.status = topicStatusLabel(t, values.status);
  return (
    <div className="error" role="alert" id={id}>
      {t(problem.key, values)}
    </div>
  );
}

/** A <select> with its label and error, like Field. */
export function SelectField({
  name,
  label,
  error,
  children,
  ...select
}: { name: string; label: string; error?: Problem } & React.SelectHTMLAttributes<HTMLSelectElement>) {
  const id = select.id ?? `field-${name}`;
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} {...select}>
        {children}
      </select>
      <ProblemText problem={error} id={`${id}-error`} />
    </div>
  );
}

/** A <textarea> with its label, hint and error, like Field. */
export function TextAreaField({
  name,
  label,
  hint,
  error,
  ...area
}: { name: string; label: string; hint?: string; error?: Problem } & React.TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = area.id ?? `field-${name}`;
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={4}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        {...area}
      />
      {hint && !error ? (
        <div id={`${id}-hint`} className="muted">
          {hint}
        </div>
      ) : null}
      <ProblemText problem={error} id={`${id}-error`} />
    </div>
  );
}

/** A date as a datetime-local value in Beijing time ("2026-12-04T14:30"). */
export function beijingInputValue(date: Date | string | number): string {
  const d = new Date(new Date(date).getTime() + 8 * 3600_000);
  return d.toISOString().slice(0, 16);
}

/** Previous / next page links that keep the other query parameters. */
export function Pager({ page, pages, search }: { page: number; pages: number; search: string }) {
  const { t } = useTranslation();
  if (pages <= 1) return null;
  const href = (p: number) => {
    const params = new URLSearchParams(search);
    params.set("page", String(p));
    return `?${params.toString()}`;
  };
  return (
    <nav className="pager" aria-label={t("topics.pages")}>
      {page > 1 ? (
        <a className="btn secondary" href={href(page - 1)} rel="prev">
          {t("topics.prev")}
        </a>
      ) : (
        <span />
      )}
      <span className="muted">{t("topics.page", { page, pages })}</span>
      {page < pages ? (
        <a className="btn secondary" href={href(page + 1)} rel="next">
          {t("topics.next")}
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
