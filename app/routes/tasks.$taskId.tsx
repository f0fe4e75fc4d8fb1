// One task: its state, progress (live), photos, timeline; and for each person the forms they
// may use — progress with photos (owner, co-handlers), submit, owner, extension (ask / decide),
// verification with a rating (the topic's raiser and co-signers, seated council members).
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator, useSearchParams } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { PhotoPicker } from "~/components/photo-picker";
import { ProgressBar, TaskStatusPill, TaskTimeline } from "~/components/task-ui";
import { ProblemText, SelectField, beijingInputValue, placeText, type Problem } from "~/components/topic-ui";
import { RATINGS } from "~/models/task-rules";
import {
  assignOwner,
  completeMilestone,
  decideExtension,
  getTask,
  moveTask,
  ownerCandidates,
  postProgress,
  requestExtension,
  verifyTask,
} from "~/models/task.server";
import { readForm } from "~/utils/body.server";
import { formatDateTime } from "~/utils/format";
import { problemsFrom, zodProblems, type Problems } from "~/utils/forms.server";
import { orHttpError } from "~/utils/http.server";
import { useLiveEvents } from "~/utils/live-events";
import { requireActor } from "~/utils/permissions.server";
import { refusalOf, refusalResponse } from "~/utils/refusal.server";
import { idSchema } from "~/utils/schemas";
import {
  extensionDecisionSchema,
  extensionRequestSchema,
  taskAssignSchema,
  taskMoveSchema,
  taskProgressSchema,
  verificationSchema,
} from "~/utils/task-schemas";
import { MAX_PHOTOS, MAX_PHOTO_BYTES } from "~/utils/uploads.server";

export const meta: MetaFunction = (args) => pageMeta(args, (t, d) => (d as { task?: { title?: string } } | undefined)?.task?.title);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return orHttpError(async () => {
    const task = await getTask(actor, params.taskId ?? "");
    const candidates = task.rights.assign ? await ownerCandidates(task.communityId, task.organization.id) : [];
    const now = Date.now();
    return {
      task,
      candidates,
      minDeadline: beijingInputValue(now),
      suggestedDeadline: beijingInputValue(Math.max(now, new Date(task.deadline).getTime()) + 7 * 86_400_000),
      maxPhotos: MAX_PHOTOS,
      maxPhotoBytes: MAX_PHOTO_BYTES,
    };
  }, request);
}

type Result = { intent: string; problems?: Problems; done?: boolean };

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const taskId = params.taskId ?? "";
  let form: FormData;
  try {
    form = await readForm(request, { files: { maxFiles: MAX_PHOTOS, maxFileBytes: MAX_PHOTO_BYTES } });
  } catch (error) {
    if (refusalOf(error, "zh-CN").field !== "photos") return refusalResponse(error, request);
    return data<Result>({ intent: "progress", problems: problemsFrom(error) }, { status: 400 });
  }
  const fields: Record<string, string> = Object.create(null);
  for (const [k, v] of form.entries()) if (typeof v === "string") fields[k] = v;
  const { intent = "", ...input } = { ...fields };
  const invalid = (problems: Problems) => data<Result>({ intent, problems }, { status: 400 });
  const run = async (work: () => Promise<unknown>) => {
    try {
      await orHttpError(work, request);
    } catch (error) {
      if (error instanceof Response) throw error;
      return data<Result>({ intent, problems: problemsFrom(error) }, { status: 400 });
    }
    return data<Result>({ intent, done: true });
  };
  switch (intent) {
    case "progress": {
      const parsed = taskProgressSchema.safeParse(input);
      if (!parsed.success) return invalid(zodProblems(parsed.error));
      const photos = form.getAll("photos").filter((p): p is File => typeof p !== "string");
      const out = await run(() => postProgress(actor, taskId, parsed.data, photos));
      // Saved: back to the page by GET, so the photo picker's upload (XMLHttpRequest) and a plain
      // form land alike and nothing is posted twice; ?posted says what to confirm.
      return out.init?.status === 400 ? out : redirect(`/tasks/${taskId}?posted=progress`);
    }
    case "move": {
      const parsed = taskMoveSchema.safeParse(input);
      if (!parsed.success) return invalid(zodProblems(parsed.error));
      return run(() => moveTask(actor, taskId, parsed.data.move));
    }
    case "assign": {
      const parsed = taskAssignSchema.safeParse(input);
      if (!parsed.success) return invalid(zodProblems(parsed.error));
      return run(() => assignOwner(actor, taskId, parsed.data.ownerId));
    }
    case "extension": {
      const parsed = extensionRequestSchema.safeParse(input);
      if (!parsed.success) return invalid(zodProblems(parsed.error));
      return run(() => requestExtension(actor, taskId, parsed.data));
    }
    case "decideExtension": {
      const { extensionId, ...rest } = input;
      const id = idSchema.safeParse(extensionId);
      const parsed = extensionDecisionSchema.safeParse(rest);
      if (!id.success || !parsed.success) return invalid({ _form: { key: "errors.invalidInput" } });
      return run(() => decideExtension(actor, id.data, parsed.data));
    }
    case "verify": {
      const parsed = verificationSchema.safeParse(input);
      if (!parsed.success) return invalid(zodProblems(parsed.error));
      return run(() => verifyTask(actor, taskId, parsed.data));
    }
    case "milestone": {
      const id = idSchema.safeParse(input.milestoneId);
      if (!id.success) return invalid({ _form: { key: "errors.invalidInput" } });
      return run(() => completeMilestone(actor, id.data));
    }
    default:
      return invalid({ _form: { key: "errors.invalidInput" } });
  }
}

function useResetOnDone(done: boolean) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (done) ref.current?.reset();
  }, [done]);
  return ref;
}

export default function TaskPage() {
  const { task, candidates, minDeadline, suggestedDeadline, maxPhotos, maxPhotoBytes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const { t, i18n } = useTranslation();
  const busy = navigation.state !== "idle";
  const { joined } = useLiveEvents(
    {
      "task:changed": (p: { taskId: string }) => {
        if (p.taskId === task.id) revalidator.revalidate();
      },
    },
    { event: "task:join", leave: "task:leave", payload: { taskId: task.id } },
  );
  const problemsOf = (intent: string): Problems => (result?.intent === intent ? (result.problems ?? {}) : {});
  const [searchParams] = useSearchParams();
  const doneOf = (intent: string) => (result?.intent === intent && !!result.done) || (!result && searchParams.get("posted") === intent);
  const progressForm = useResetOnDone(doneOf("progress"));
  const verifyForm = useResetOnDone(doneOf("verify"));
  const p = problemsOf("progress");
  const vp = problemsOf("verify");
  const ep = problemsOf("extension");
  const date = (d: string | Date) => formatDateTime(d, i18n.language);
  const place = placeText(task);
  const round = task.verifications.filter((v) => v.round === task.verificationRound);
  const pendingExtension = task.extensions.find((e) => e.status === "pending");

  return (
    <div className="task-page">
      <p className="muted">
        <a href="/tasks">{t("tasks.back")}</a> · <a href={`/c/${task.community.slug}/tasks`}>{t("tasks.allTasks")}</a>
      </p>
      <h1>{task.title}</h1>
      <p className="row-meta">
        <TaskStatusPill status={task.status} />
        {task.overdue ? (
          <span className="pill overdue" data-testid="task-overdue">
            {t("tasks.overdue")}
          </span>
        ) : null}
        <span className="muted">{t("tasks.deadline", { date: date(task.deadline) })}</span>
      </p>
      <section className="card" aria-label={t("tasks.progressLabel")} data-live={joined ? "joined" : "waiting"} data-testid="task-live">
        <ProgressBar value={task.progress} />
        {task.status === "sentBack" && task.sentBackReason ? (
          <div className="notice" role="status" data-testid="sent-back-reason">
            <strong>{t("tasks.sentBackReason")}</strong>
            <p className="prose">{task.sentBackReason}</p>
          </div>
        ) : null}
      </section>

      <section className="card">
        <dl className="meta">
          <dt>{t("tasks.lead")}</dt>
          <dd>{task.organization.name}</dd>
          <dt>{t("tasks.owner")}</dt>
          <dd data-testid="task-owner">{task.owner?.displayName ?? t("tasks.noOwner")}</dd>
          {task.coHandlers.length ? (
            <>
              <dt>{t("tasks.coHandlers")}</dt>
              <dd>
                {task.coHandlers.map((c) => (
                  <div key={c.id}>
                    {c.organization.name} · {t("tasks.progress", { progress: c.progress })}
                    {c.share ? <div className="muted">{t("tasks.share", { share: c.share })}</div> : null}
                  </div>
                ))}
              </dd>
            </>
          ) : null}
          {place ? (
            <>
              <dt>{t("tasks.place")}</dt>
              <dd>{place}</dd>
            </>
          ) : null}
          {task.topic ? (
            <>
              <dt>{t("tasks.topic")}</dt>
              <dd>
                <a href={`/topics/${task.topic.id}`} data-testid="task-topic-link">
                  {task.topic.title}
                </a>
              </dd>
            </>
          ) : null}
          {task.agendaItem?.resolutionText ? (
            <>
              <dt>{t("tasks.resolution")}</dt>
              <dd>
                {task.agendaItem.resolutionText}
                <div className="muted">
                  <a href={`/sessions/${task.agendaItem.session.id}`}>{task.agendaItem.session.title}</a>
                </div>
              </dd>
            </>
          ) : null}
          {task.parent ? (
            <>
              <dt>{t("tasks.new.parent")}</dt>
              <dd>
                <a href={`/tasks/${task.parent.id}`}>{task.parent.title}</a>
              </dd>
            </>
          ) : null}
          <dt>{t("tasks.createdBy")}</dt>
          <dd>
            {task.createdBy.displayName} · {date(task.createdAt)}
          </dd>
        </dl>
        {task.description ? <p className="prose">{task.description}</p> : null}
      </section>

      {task.children.length || task.rights.addSubTask ? (
        <section className="card">
          <h2 className="card-title">{t("tasks.subTasks")}</h2>
          <ul className="list">
            {task.children.map((c) => (
              <li key={c.id} className="row">
                <a href={`/tasks/${c.id}`}>{c.title}</a>
                <span className="muted">
                  {t(`tasks.status.${c.status}`)} · {t("tasks.progress", { progress: c.status === "closed" ? 100 : c.progress })} ·{" "}
                  {t("tasks.weight", { weight: c.weight })}
                </span>
              </li>
            ))}
          </ul>
          {task.rights.addSubTask ? (
            <a className="btn secondary" href={`/c/${task.community.slug}/tasks/new?parentId=${task.id}`}>
              {t("tasks.new.create")}
            </a>
          ) : null}
        </section>
      ) : null}

      {task.milestones.length ? (
        <section className="card">
          <h2 className="card-title">{t("tasks.milestones")}</h2>
          <ul className="list">
            {task.milestones.map((m) => (
              <li key={m.id} className="row">
                <span>
                  {m.title} <span className="muted">{date(m.dueAt)}</span>
                </span>
                {m.doneAt ? (
                  <span className="pill done">{t("tasks.milestoneDone")}</span>
                ) : task.rights.work ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="milestone" />
                    <input type="hidden" name="milestoneId" value={m.id} />
                    <button className="btn secondary small" type="submit" disabled={busy}>
                      {t("tasks.markDone")}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {task.rights.verify ? (
        <section className="card" aria-labelledby="verify-heading" data-testid="verify-section">
          <h2 id="verify-heading" className="card-title">
            {t("tasks.verify.heading")}
          </h2>
          <p>{t("tasks.verify.intro")}</p>
          {task.myVerification ? (
            <p className="muted">{t("tasks.verify.yours", { verdict: t(`tasks.verify.verdicts.${task.myVerification.verdict}`) })}</p>
          ) : null}
          <Form method="post" className="stack" ref={verifyForm} noValidate>
            <input type="hidden" name="intent" value="verify" />
            <fieldset>
              <legend>{t("tasks.verify.heading")}</legend>
              <label className="choice">
                <input type="radio" name="verdict" value="confirm" defaultChecked={task.myVerification?.verdict !== "sendBack"} data-testid="verdict-confirm" />{" "}
                {t("tasks.verify.confirm")}
              </label>
              <label className="choice">
                <input
                  type="radio"
                  name="verdict"
                  value="sendBack"
                  defaultChecked={task.myVerification?.verdict === "sendBack"}
                  data-testid="verdict-sendBack"
                />{" "}
                {t("tasks.verify.sendBack")}
              </label>
              <ProblemText problem={vp.verdict} />
            </fieldset>
            <fieldset>
              <legend>{t("tasks.verify.rating")}</legend>
              {RATINGS.map((r) => (
                <label key={r} className="choice">
                  <input type="radio" name="rating" value={r} defaultChecked={task.myVerification?.rating === r} data-testid={`rating-${r}`} />{" "}
                  {t(`tasks.rating.${r}`)}
                </label>
              ))}
              <ProblemText problem={vp.rating} />
            </fieldset>
            <div>
              <label htmlFor="verify-comment">{t("tasks.verify.comment")}</label>
              <textarea id="verify-comment" name="comment" rows={3} maxLength={1000} data-testid="verify-comment" />
              <ProblemText problem={vp.comment} />
            </div>
            <ProblemText problem={vp._form} />
            <button className="btn block" type="submit" disabled={busy} data-testid="verify-submit">
              {t("tasks.verify.submit")}
            </button>
          </Form>
        </section>
      ) : null}

      {task.rights.work || task.rights.share ? (
        <section className="card" aria-labelledby="progress-heading" data-testid="progress-section">
          <h2 id="progress-heading" className="card-title">
            {task.rights.share ? t("tasks.progressForm.shareHeading", { organization: task.rights.share.organization }) : t("tasks.progressForm.heading")}
          </h2>
          {doneOf("progress") ? (
            <p className="notice ok" role="status" data-testid="progress-posted">
              {t("tasks.progressForm.posted")}
            </p>
          ) : null}
          <Form method="post" encType="multipart/form-data" className="stack" ref={progressForm} noValidate>
            <input type="hidden" name="intent" value="progress" />
            <Field
              name="progress"
              type="number"
              inputMode="numeric"
              min={0}
              max={100}
              step={1}
              label={t("tasks.progressForm.percent")}
              defaultValue={String(task.ownProgress)}
              error={p.progress?.key}
              required
            />
            <div>
              <label htmlFor="progress-text">{t("tasks.progressForm.text")}</label>
              <textarea id="progress-text" name="text" rows={3} maxLength={2000} />
              <ProblemText problem={p.text} />
            </div>
            <SelectField name="photoKind" label={t("tasks.progressForm.kind")} defaultValue="after">
              <option value="before">{t("tasks.photoBefore")}</option>
              <option value="after">{t("tasks.photoAfter")}</option>
            </SelectField>
            <PhotoPicker max={maxPhotos} maxBytes={maxPhotoBytes} error={p.photos as Problem | undefined} />
            <ProblemText problem={p._form} />
            <button className="btn block" type="submit" disabled={busy} data-testid="progress-submit">
              {t("tasks.progressForm.submit")}
            </button>
          </Form>
        </section>
      ) : null}

      {task.rights.work ? (
        <section className="card stack">
          {task.status === "pending" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="move" />
              <input type="hidden" name="move" value="start" />
              <button className="btn secondary block" type="submit" disabled={busy}>
                {t("tasks.moves.start")}
              </button>
            </Form>
          ) : null}
          {task.rights.submit ? (
            <Form method="post">
              <input type="hidden" name="intent" value="move" />
              <input type="hidden" name="move" value="submit" />
              <button className="btn block" type="submit" disabled={busy} data-testid="task-submit">
                {task.parent ? t("tasks.moves.submitSub") : t("tasks.moves.submit")}
              </button>
            </Form>
          ) : null}
          <ProblemText problem={problemsOf("move")._form} />
        </section>
      ) : null}

      {task.rights.assign && candidates.length ? (
        <section className="card">
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="assign" />
            <SelectField name="ownerId" label={t("tasks.assign.heading")} defaultValue={task.owner?.id ?? ""} error={problemsOf("assign").ownerId}>
              <option value="" disabled>
                {t("tasks.assign.choose")}
              </option>
              {candidates.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.displayName}
                </option>
              ))}
            </SelectField>
            <button className="btn secondary block" type="submit" disabled={busy}>
              {t("tasks.assign.submit")}
            </button>
          </Form>
        </section>
      ) : null}

      {task.rights.requestExtension ? (
        <details className="card">
          <summary>{t("tasks.extension.heading")}</summary>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="extension" />
            <Field
              name="deadline"
              type="datetime-local"
              label={t("tasks.extension.deadline")}
              defaultValue={suggestedDeadline}
              min={minDeadline}
              error={ep.deadline?.key}
              required
            />
            <div>
              <label htmlFor="extension-reason">{t("tasks.extension.reason")}</label>
              <textarea id="extension-reason" name="reason" rows={2} maxLength={1000} required />
              <ProblemText problem={ep.reason} />
            </div>
            <ProblemText problem={ep._form} />
            <button className="btn secondary block" type="submit" disabled={busy}>
              {t("tasks.extension.submit")}
            </button>
          </Form>
        </details>
      ) : null}

      {task.extensions.length ? (
        <section className="card">
          <h2 className="card-title">{t("tasks.extension.history")}</h2>
          <ul className="list">
            {task.extensions.map((e) => (
              <li key={e.id}>
                <p>
                  {t("tasks.extension.requested", { name: e.requestedBy.displayName, date: date(e.requestedDeadline) })} ·{" "}
                  <span className="pill">{t(`tasks.extension.${e.status}`)}</span>
                </p>
                <p className="muted">{e.reason}</p>
                {e.decidedBy ? (
                  <p className="muted">
                    {e.decidedBy.displayName}
                    {e.decisionNote ? `：${e.decisionNote}` : ""}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
          {pendingExtension && task.rights.decideExtension ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="decideExtension" />
              <input type="hidden" name="extensionId" value={pendingExtension.id} />
              <Field name="note" label={t("tasks.extension.note")} maxLength={500} />
              <div className="button-row">
                <button className="btn" type="submit" name="approve" value="true" disabled={busy}>
                  {t("tasks.extension.approve")}
                </button>
                <button className="btn secondary" type="submit" name="approve" value="false" disabled={busy}>
                  {t("tasks.extension.reject")}
                </button>
              </div>
              <ProblemText problem={problemsOf("decideExtension")._form} />
            </Form>
          ) : null}
        </section>
      ) : null}

      {task.photos.length ? (
        <section className="card">
          <h2 className="card-title">{t("tasks.photos")}</h2>
          <ul className="photo-grid" data-testid="task-photos">
            {task.photos.map((photo, i) => (
              <li key={photo.id}>
                <a href={`/photos/${photo.file}`} target="_blank" rel="noreferrer">
                  <img
                    src={`/photos/${photo.file}`}
                    width={photo.width}
                    height={photo.height}
                    loading="lazy"
                    decoding="async"
                    alt={`${t(photo.kind === "before" ? "tasks.photoBefore" : "tasks.photoAfter")} ${i + 1}`}
                  />
                </a>
                <span className="muted">{t(photo.kind === "before" ? "tasks.photoBefore" : "tasks.photoAfter")}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {round.length || task.verifications.length ? (
        <section className="card">
          <h2 className="card-title">{t("tasks.verify.records", { round: task.verificationRound })}</h2>
          <ul className="list" data-testid="verification-records">
            {task.verifications.map((v) => (
              <li key={v.id}>
                <strong>{v.user.displayName}</strong>{" "}
                <span className="muted">
                  ({t(`tasks.verify.basis.${v.basis}`)} · #{v.round})
                </span>
                ：{t(`tasks.verify.verdicts.${v.verdict}`)}
                {v.rating ? ` · ${t(`tasks.rating.${v.rating}`)}` : ""}
                {v.comment ? <div className="muted">{v.comment}</div> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card" aria-labelledby="task-timeline-heading">
        <h2 id="task-timeline-heading" className="card-title">
          {t("tasks.timeline")}
        </h2>
        <TaskTimeline events={task.events} />
      </section>
    </div>
  );
}
