// 会议纪要: the secretary keeps the minutes live (the fact blocks arrive by themselves), everyone
// of the community reads them live; then review (attendees comment on passages), approval by the
// chair, publication as a public notice, corrections. Every step is decided on the server.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { Editor } from "@tiptap/core";
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Outcome } from "~/components/outcome";
import {
  approveMinutes,
  commentOnMinutes,
  correctMinutes,
  getMinutes,
  publishMinutes,
  refreshMinutesFacts,
  resolveComment,
  submitForReview,
} from "~/models/minutes.server";
import minutesStyles from "~/styles/minutes.css?url";
import { colorFor } from "~/utils/color";
import { prisma } from "~/utils/db.server";
import { formatDateTime } from "~/utils/format";
import { fieldsOf, formOf, problemsFrom, zodProblems, type Problems } from "~/utils/forms.server";
import { orHttpError } from "~/utils/http.server";
import { commentResolveSchema, minutesCommentSchema, minutesCorrectSchema, minutesPublishSchema, minutesSubmitSchema } from "~/utils/minutes-schemas";
import { NotFound, loadMinutesResource, requireActor } from "~/utils/permissions.server";
import { idSchema } from "~/utils/schemas";

export const meta: MetaFunction = (args) => pageMeta(args, "minutes.title");

export const links: LinksFunction = () => [{ rel: "stylesheet", href: minutesStyles }];

const MinutesEditor = lazy(() => import("~/components/minutes-editor"));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return orHttpError(async () => {
    const r = await loadMinutesResource(params.sessionId ?? "");
    if (!r) throw new NotFound("session");
    if (r.sessionStatus === "scheduled" || r.sessionStatus === "cancelled") {
      // Membership first: an outsider learns nothing about the session.
      await getMinutes(actor, r.sessionId).catch((e: unknown) => {
        if ((e as { status?: number }).status !== 409) throw e;
      });
      return { notStarted: true as const, sessionId: r.sessionId };
    }
    // A session that began before its minutes existed gets them now (waited for); an existing
    // draft's facts are refreshed in the background (they heal a block damaged by hand).
    if (r.state === "draft" || r.state === "inReview") {
      const exists = await prisma.minutes.count({ where: { sessionId: r.sessionId } });
      if (exists) void refreshMinutesFacts(r.sessionId);
      else await refreshMinutesFacts(r.sessionId);
    }
    const minutes = await getMinutes(actor, r.sessionId);
    return { notStarted: false as const, minutes, me: { name: actor.displayName, color: colorFor(actor.userId) } };
  }, request);
}

type Done = "submitted" | "commented" | "resolved" | "approved" | "published" | "correcting";

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const sessionId = params.sessionId ?? "";
  const fields = fieldsOf(await formOf(request));
  const ok = (done: Done) => ({ done, problems: {} as Problems });
  return orHttpError(async () => {
    try {
      switch (fields.intent) {
        case "submit": {
          const p = minutesSubmitSchema.safeParse({ reviewEndsAt: fields.reviewEndsAt });
          if (!p.success) return { done: null, problems: zodProblems(p.error) };
          await submitForReview(actor, sessionId, p.data);
          return ok("submitted");
        }
        case "comment": {
          const anchor = { from: fields.from || undefined, to: fields.to || undefined, prefix: fields.prefix || undefined };
          const p = minutesCommentSchema.safeParse({ quote: fields.quote, body: fields.body, anchor });
          if (!p.success) return { done: null, problems: zodProblems(p.error) };
          await commentOnMinutes(actor, sessionId, p.data);
          return ok("commented");
        }
        case "resolve": {
          const id = idSchema.safeParse(fields.commentId);
          const p = commentResolveSchema.safeParse({ resolution: fields.resolution || undefined });
          if (!id.success) return { done: null, problems: zodProblems(id.error) };
          if (!p.success) return { done: null, problems: zodProblems(p.error) };
          await resolveComment(actor, sessionId, id.data, p.data);
          return ok("resolved");
        }
        case "approve":
          await approveMinutes(actor, sessionId);
          return ok("approved");
        case "publish": {
          const p = minutesPublishSchema.safeParse({ noticeDays: fields.noticeDays || undefined });
          if (!p.success) return { done: null, problems: zodProblems(p.error) };
          await publishMinutes(actor, sessionId, p.data);
          return ok("published");
        }
        case "correct": {
          const p = minutesCorrectSchema.safeParse({ reason: fields.reason ?? "" });
          if (!p.success) return { done: null, problems: { reason: { key: "errors.correctionReasonRequired" } } };
          await correctMinutes(actor, sessionId, p.data);
          return ok("correcting");
        }
        default:
          return { done: null, problems: { _form: { key: "errors.invalidInput" } } };
      }
    } catch (error) {
      return { done: null, problems: problemsFrom(error) };
    }
  }, request);
}

/** Default end of a review window: three days from now, as a datetime-local value in Beijing time. */
function defaultReviewEnd(): string {
  const d = new Date(Date.now() + 3 * 24 * 3600_000 + 8 * 3600_000);
  return d.toISOString().slice(0, 16);
}

export default function MinutesPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  if (data.notStarted)
    return (
      <div className="card stack">
        <a href={`/sessions/${data.sessionId}`}>← {t("minutes.back")}</a>
        <h1>{t("minutes.title")}</h1>
        <p className="notice">{t("minutes.notStarted")}</p>
      </div>
    );
  return <Minutes minutes={data.minutes} me={data.me} />;
}

type MinutesData = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { notStarted: false }>;

function Minutes({ minutes: m, me }: { minutes: MinutesData["minutes"]; me: MinutesData["me"] }) {
  const { t, i18n } = useTranslation();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const editorRef = useRef<Editor | null>(null);
  const onEditor = useCallback((e: Editor | null) => void (editorRef.current = e), []);
  const [passage, setPassage] = useState<{ quote: string; from?: string; to?: string; prefix: string } | null>(null);
  const quoteSelection = async () => {
    const editor = editorRef.current;
    if (!editor) return;
    const { selectedPassage } = await import("~/components/minutes-editor");
    setPassage(selectedPassage(editor));
  };
  const date = (d: string) => formatDateTime(d, i18n.language);
  const openComments = useMemo(
    () =>
      m.comments
        .filter((c) => !c.resolvedAt)
        .map((c) => ({
          id: c.id,
          from: typeof c.anchor.from === "string" ? c.anchor.from : undefined,
          to: typeof c.anchor.to === "string" ? c.anchor.to : undefined,
        })),
    [m.comments],
  );
  const latest = m.versions[m.versions.length - 1];
  const problems = result?.problems ?? {};
  return (
    <div className="stack">
      <div className="card stack">
        <a href={`/sessions/${m.sessionId}`}>← {t("minutes.back")}</a>
        <h1>
          {t("minutes.title")} · {m.session.title}
        </h1>
        <p>
          <span className="minutes-state" data-testid="minutes-state" data-state={m.state}>
            {t(`minutes.states.${m.state}`)}
          </span>
          {m.state === "inReview" && m.reviewEndsAt ? <span className="muted"> {t("minutes.review.until", { time: date(m.reviewEndsAt) })}</span> : null}
        </p>
        {m.correctionReason ? <p className="notice">{t("minutes.correcting", { reason: m.correctionReason })}</p> : null}
        <Outcome done={result?.done ? `minutes.timeline.${result.done === "correcting" ? "correctionOpened" : result.done}` : null} problems={problems} />
        {m.state === "approved" || m.state === "published" ? (
          <p className="notice">{t("minutes.frozen")}</p>
        ) : m.can.edit ? (
          <p className="muted">{t("minutes.factHint")}</p>
        ) : (
          <p className="notice">{t("minutes.readOnly")}</p>
        )}
        {mounted ? (
          <Suspense fallback={<p className="muted">…</p>}>
            <MinutesEditor docName={m.docName} editable={m.can.edit} me={me} label={t("minutes.editorLabel")} onEditor={onEditor} comments={openComments} />
          </Suspense>
        ) : null}
      </div>

      {m.state === "inReview" || m.comments.length > 0 ? (
        <section className="card stack" aria-labelledby="review-title">
          <h2 id="review-title">{t("minutes.review.comments")}</h2>
          {m.state === "inReview" && !m.reviewOpen ? <p className="notice">{t("minutes.review.closed")}</p> : null}
          {m.comments.length === 0 ? <p className="muted">{t("minutes.review.noComments")}</p> : null}
          <ul className="list stack" data-testid="minutes-comments">
            {m.comments.map((c) => (
              <li key={c.id} className="minutes-comment" data-testid="minutes-comment" data-resolved={c.resolvedAt ? "yes" : "no"}>
                <blockquote>“{c.quote}”</blockquote>
                {!c.resolvedAt && typeof c.anchor.from === "string" ? (
                  <button
                    type="button"
                    className="btn ghost"
                    data-testid="show-passage"
                    onClick={() => document.querySelector(`[data-comment-id="${c.id}"]`)?.scrollIntoView({ block: "center" })}
                  >
                    {t("minutes.review.showPassage")}
                  </button>
                ) : null}
                <p>{c.body}</p>
                <p className="muted">
                  {t("minutes.review.by", { name: c.author })} · {date(c.createdAt)} ·{" "}
                  {c.resolvedAt ? t("minutes.review.resolved", { by: c.resolvedBy ?? "" }) : t("minutes.review.unresolved")}
                  {c.resolution ? `：${c.resolution}` : ""}
                </p>
                {!c.resolvedAt && m.can.resolve ? (
                  <Form method="post" className="stack">
                    <input type="hidden" name="intent" value="resolve" />
                    <input type="hidden" name="commentId" value={c.id} />
                    <label htmlFor={`resolution-${c.id}`}>{t("minutes.review.resolution")}</label>
                    <input id={`resolution-${c.id}`} name="resolution" maxLength={2000} />
                    <button className="btn secondary" type="submit" disabled={busy}>
                      {t("minutes.review.resolve")}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
          {m.can.comment && m.reviewOpen ? (
            <Form method="post" className="stack" data-testid="comment-form">
              <h3>{t("minutes.review.title")}</h3>
              <p className="muted">{t("minutes.review.quoteHint")}</p>
              <button className="btn secondary" type="button" onClick={() => void quoteSelection()}>
                {t("minutes.review.useSelection")}
              </button>
              <input type="hidden" name="intent" value="comment" />
              <input type="hidden" name="from" value={passage?.from ?? ""} />
              <input type="hidden" name="to" value={passage?.to ?? ""} />
              <input type="hidden" name="prefix" value={passage?.prefix ?? ""} />
              <label htmlFor="comment-quote">{t("minutes.review.quote")}</label>
              <textarea
                id="comment-quote"
                name="quote"
                rows={2}
                maxLength={1000}
                required
                value={passage?.quote ?? ""}
                onChange={(e) => setPassage((p) => ({ prefix: "", ...p, from: undefined, to: undefined, quote: e.target.value }))}
                aria-invalid={problems.quote ? true : undefined}
              />
              <label htmlFor="comment-body">{t("minutes.review.body")}</label>
              <textarea id="comment-body" name="body" rows={3} maxLength={2000} required aria-invalid={problems.body ? true : undefined} />
              <button className="btn" type="submit" disabled={busy}>
                {t("minutes.review.send")}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      {m.can.submit || m.can.approve || m.can.publish || m.can.correct || m.can.downloadDraft ? (
        <section className="card stack">
          {m.can.submit ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="submit" />
              <label htmlFor="review-ends">{t("minutes.review.reviewEndsAt")}</label>
              <input id="review-ends" type="datetime-local" name="reviewEndsAt" defaultValue={defaultReviewEnd()} required />
              <button className="btn" type="submit" disabled={busy}>
                {t("minutes.review.submit")}
              </button>
            </Form>
          ) : null}
          {m.can.approve ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="approve" />
              <p className="muted">{t("minutes.approveHint")}</p>
              <button className="btn" type="submit" disabled={busy}>
                {t("minutes.approve")}
              </button>
            </Form>
          ) : null}
          {m.can.publish ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="publish" />
              <label htmlFor="notice-days">{t("minutes.noticeDays")}</label>
              <input id="notice-days" type="number" name="noticeDays" min={1} max={90} defaultValue={7} required />
              <button className="btn" type="submit" disabled={busy}>
                {t("minutes.publish")}
              </button>
            </Form>
          ) : null}
          {m.can.correct ? (
            <Form method="post" className="stack">
              <h3>{t("minutes.correct")}</h3>
              <input type="hidden" name="intent" value="correct" />
              <label htmlFor="correction-reason">{t("minutes.correctionReason")}</label>
              <textarea id="correction-reason" name="reason" rows={2} maxLength={1000} aria-invalid={problems.reason ? true : undefined} />
              <button className="btn secondary" type="submit" disabled={busy}>
                {t("minutes.startCorrection")}
              </button>
            </Form>
          ) : null}
          {m.can.downloadDraft && m.state !== "published" ? (
            <a className="btn secondary" href={`/api/v1/sessions/${m.sessionId}/minutes/draft.pdf`} download>
              {t("minutes.downloads.pdf")}
            </a>
          ) : null}
        </section>
      ) : null}

      {latest ? (
        <section className="card stack" aria-labelledby="versions-title">
          <h2 id="versions-title">{t("minutes.versions.title")}</h2>
          <ul className="list">
            {[...m.versions].reverse().map((v) => (
              <li key={v.version} className="stack">
                <strong>
                  {t("minutes.versions.version", { n: v.version })}
                  {v.version === latest.version ? ` · ${t("minutes.versions.latest")}` : ""}
                </strong>
                <span className="muted">{t("minutes.versions.notice", { from: date(v.noticeFrom), to: date(v.noticeTo) })}</span>
                <a href={`/minutes/${m.id}?v=${v.version}`} data-testid="read-version">
                  {t("minutes.versions.read")}
                </a>
              </li>
            ))}
          </ul>
          <a className="btn secondary" href={`/minutes/${m.id}/verify`}>
            {t("minutes.versions.verify")}
          </a>
        </section>
      ) : null}

      <section className="card stack" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t("minutes.timeline.title")}</h2>
        <ol className="list" data-testid="minutes-timeline">
          {m.timeline.map((e, i) => (
            <li key={i}>
              {t(`minutes.timeline.${e.type}`, { version: e.data.version ?? "", reason: e.data.reason ?? "", defaultValue: e.type })}
              <span className="muted">
                {" "}
                · {date(e.at)}
                {e.by ? ` · ${e.by}` : ""}
              </span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
