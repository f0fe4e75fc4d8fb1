// A published version of the minutes (公示): rendered from its stored JSON by the allow-list
// renderer, with its notice period, hash, correction notice, files, and objections (异议).
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Outcome } from "~/components/outcome";
import { answerObjection, listObjections, publishedVersion, raiseObjection } from "~/models/minutes.server";
import { renderMinutesHtml } from "~/models/minutes/render/html";
import minutesStyles from "~/styles/minutes.css?url";
import { formatDateTime } from "~/utils/format";
import { fieldsOf, formOf, problemsFrom, zodProblems, type Problems } from "~/utils/forms.server";
import { orHttpError } from "~/utils/http.server";
import { objectionAnswerSchema, objectionSchema } from "~/utils/minutes-schemas";
import { requireActor } from "~/utils/permissions.server";
import { idSchema } from "~/utils/schemas";

export const meta: MetaFunction = (args) =>
  pageMeta(args, (t, d) => {
    const session = (d as { meta?: { sessionTitle?: string } } | undefined)?.meta?.sessionTitle;
    return session ? `${t("minutes.title")} · ${session}` : t("minutes.title");
  });

export const links: LinksFunction = () => [{ rel: "stylesheet", href: minutesStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return orHttpError(async () => {
    const url = new URL(request.url);
    const asked = Number(url.searchParams.get("v"));
    const version = Number.isInteger(asked) && asked >= 1 && asked <= 100_000 ? asked : undefined;
    const v = await publishedVersion(actor, params.minutesId ?? "", version, url.origin);
    const p = v.published;
    const objections = await listObjections(actor, v.minutesId);
    const now = Date.now();
    return {
      minutesId: v.minutesId,
      sessionId: v.sessionId,
      latest: v.latest,
      versions: v.versions,
      readable: v.readable,
      html: v.readable ? renderMinutesHtml(p.content) : "",
      meta: {
        communityName: p.communityName,
        sessionTitle: p.sessionTitle,
        startsAt: p.startsAt.toISOString(),
        place: p.place,
        chair: p.chair,
        secretary: p.secretary,
        version: p.version,
        correctionReason: p.correctionReason,
        publishedAt: p.publishedAt.toISOString(),
        noticeFrom: p.noticeFrom.toISOString(),
        noticeTo: p.noticeTo.toISOString(),
        hash: p.hash,
      },
      noticeOpen: p.noticeFrom.getTime() <= now && now <= p.noticeTo.getTime(),
      ...objections,
    };
  }, request);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const fields = fieldsOf(await formOf(request));
  return orHttpError(async () => {
    try {
      if (fields.intent === "answer") {
        const id = idSchema.safeParse(fields.objectionId);
        if (!id.success) return { done: null, problems: zodProblems(id.error) };
        const p = objectionAnswerSchema.safeParse({ answer: fields.answer ?? "" });
        if (!p.success) return { done: null, problems: { answer: { key: "errors.invalidInput" } } as Problems };
        await answerObjection(actor, id.data, p.data);
        return { done: "minutes.timeline.objectionAnswered", problems: {} as Problems };
      }
      const p = objectionSchema.safeParse({ body: fields.body ?? "" });
      if (!p.success) return { done: null, problems: { body: { key: "errors.invalidInput" } } as Problems };
      await raiseObjection(actor, params.minutesId ?? "", p.data);
      return { done: "minutes.timeline.objection", problems: {} as Problems };
    } catch (error) {
      return { done: null, problems: problemsFrom(error) };
    }
  }, request);
}

export default function PublishedMinutesPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const date = (s: string) => formatDateTime(s, i18n.language);
  const m = d.meta;
  const files = `/api/v1/minutes/${d.minutesId}/files`;
  const q = `?v=${m.version}`;
  return (
    <div className="stack">
      <article className="card stack minutes-published" data-testid="published-minutes" data-version={m.version}>
        <a href={`/sessions/${d.sessionId}/minutes`}>← {t("minutes.title")}</a>
        <p className="muted">
          {m.communityName} · {t("minutes.versions.version", { n: m.version })} · {t("minutes.versions.publishedAt", { time: date(m.publishedAt) })}
        </p>
        <p className="notice">{t("minutes.versions.notice", { from: date(m.noticeFrom), to: date(m.noticeTo) })}</p>
        {m.correctionReason ? (
          <p className="notice" data-testid="correction-notice">
            {t("minutes.versions.correctionNotice", { previous: m.version - 1, reason: m.correctionReason })}
          </p>
        ) : null}
        {m.version < d.latest ? (
          <p className="notice" role="status">
            {t("minutes.versions.superseded", { latest: d.latest })} <a href={`/minutes/${d.minutesId}`}>{t("minutes.versions.read")}</a>
          </p>
        ) : null}
        {/* renderMinutesHtml writes only allow-listed elements with escaped text: no user HTML reaches the page. */}
        <div className="editor" data-testid="minutes-content" dangerouslySetInnerHTML={{ __html: d.html }} />
        <p>
          {t("minutes.versions.hash")}：
          <span className="minutes-hash" data-testid="minutes-hash">
            {m.hash}
          </span>
        </p>
        <p>
          <a className="btn secondary" href={`/minutes/${d.minutesId}/verify?hash=${m.hash}`} data-testid="verify-link">
            {t("minutes.versions.verify")}
          </a>
        </p>
        <h2>{t("minutes.downloads.title")}</h2>
        <p style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap" }}>
          <a className="btn secondary" href={`${files}/minutes.pdf${q}`} download data-testid="download-pdf">
            {t("minutes.downloads.pdf")}
          </a>
          <a className="btn secondary" href={`${files}/minutes.docx${q}`} download>
            {t("minutes.downloads.docx")}
          </a>
          <a className="btn secondary" href={`${files}/minutes.md${q}`} download>
            {t("minutes.downloads.markdown")}
          </a>
          <a className="btn secondary" href={`${files}/roll-call.csv${q}`} download>
            {t("minutes.downloads.rollCall")}
          </a>
        </p>
        {d.versions.length > 1 ? (
          <p>
            {d.versions.map((n) => (
              <a key={n} href={`/minutes/${d.minutesId}?v=${n}`} style={{ marginRight: "0.75rem" }} aria-current={n === m.version ? "page" : undefined}>
                {t("minutes.versions.version", { n })}
              </a>
            ))}
          </p>
        ) : null}
      </article>

      <section className="card stack" aria-labelledby="objections-title">
        <h2 id="objections-title">{t("minutes.objections.title")}</h2>
        <Outcome done={result?.done ?? null} problems={result?.problems} />
        {d.objections.length === 0 ? <p className="muted">{t("minutes.objections.none")}</p> : null}
        <ul className="list stack" data-testid="objections">
          {d.objections.map((o) => (
            <li key={o.id} className="minutes-comment">
              <p>{o.body}</p>
              <p className="muted">
                {o.author} · {date(o.createdAt)}
              </p>
              {o.answer ? (
                <p data-testid="objection-answer">{t("minutes.objections.answered", { by: o.answeredBy ?? "", answer: o.answer })}</p>
              ) : (
                <p className="minutes-bad">{t("minutes.objections.unanswered")}</p>
              )}
              {!o.answer && d.canAnswer ? (
                <Form method="post" className="stack">
                  <input type="hidden" name="intent" value="answer" />
                  <input type="hidden" name="objectionId" value={o.id} />
                  <label htmlFor={`answer-${o.id}`}>{t("minutes.objections.answerLabel")}</label>
                  <textarea id={`answer-${o.id}`} name="answer" rows={2} maxLength={2000} required />
                  <button className="btn secondary" type="submit" disabled={navigation.state !== "idle"}>
                    {t("minutes.objections.sendAnswer")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        {d.canObject && m.version === d.latest ? (
          d.noticeOpen ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="object" />
              <label htmlFor="objection-body">{t("minutes.objections.body")}</label>
              <textarea id="objection-body" name="body" rows={3} maxLength={2000} required />
              <button className="btn" type="submit" disabled={navigation.state !== "idle"}>
                {t("minutes.objections.send")}
              </button>
            </Form>
          ) : (
            <p className="muted">{t("minutes.objections.periodOver")}</p>
          )
        ) : null}
      </section>
    </div>
  );
}
