// The agenda builder: staff, the chair and the secretary put topics and free
// items on a scheduled session's agenda, order them, give each a time slot and
// publish the agenda to the council's members.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { ProblemText, SelectField, StatusPill, TextAreaField, type Problem } from "~/components/topic-ui";
import { getSessionWithAgenda } from "~/models/agenda-item.server";
import { addToAgenda, publishAgenda, removeFromAgenda, reorderAgenda, setTimeSlot } from "~/models/session.server";
import { prisma } from "~/utils/db.server";
import { formatDateTime } from "~/utils/format";
import { problemsFrom, zodProblems, type Problems, fieldsOf, formOf } from "~/utils/forms.server";
import { orHttpError } from "~/utils/http.server";
import { NotFound, loadSessionResource, requireActor, requirePermission, type Actor } from "~/utils/permissions.server";
import { agendaAddSchema, agendaTimeSlotSchema, idSchema } from "~/utils/schemas";
import { refuse } from "~/utils/refusal.server";

export const meta: MetaFunction = (args) =>
  pageMeta(args, (t, d) => t("agenda.title", { title: (d as { session?: { title?: string } } | undefined)?.session?.title ?? "" }));

async function editable(request: Request, sessionId: string): Promise<Actor> {
  const actor = await requireActor(request);
  await orHttpError(async () => {
    const resource = await loadSessionResource(sessionId);
    if (!resource) throw new NotFound("session");
    requirePermission(actor, "session:editAgenda", resource);
  });
  return actor;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const sessionId = params.sessionId ?? "";
  await editable(request, sessionId);
  const session = await getSessionWithAgenda(sessionId);
  if (!session) return refuse(request, 404, "errors.notFound");
  const [extra, candidates] = await Promise.all([
    prisma.councilSession.findUniqueOrThrow({ where: { id: sessionId }, select: { publishedAt: true } }),
    prisma.topic.findMany({
      where: { communityId: session.council.community.id, status: { in: ["accepted", "raised", "referred"] } },
      orderBy: [{ coSignCount: "desc" }, { createdAt: "asc" }],
      take: 200,
      select: { id: true, title: true, status: true, coSignCount: true },
    }),
  ]);
  // Accepted topics (后厂) first: they are waiting for exactly this.
  candidates.sort((a, b) => Number(b.status === "accepted") - Number(a.status === "accepted"));
  return { session, publishedAt: extra.publishedAt, candidates, editableNow: session.status === "scheduled" };
}

type Result = { intent: string; itemId?: string; problems: Problems; values: Record<string, string> } | { done: string };

/** Runs one change; what a person can fix comes back as problems, a vanished item as "not found". */
async function attempt(intent: string, values: Record<string, string>, work: () => Promise<unknown>, itemId?: string) {
  try {
    await orHttpError(work);
    return { done: intent } satisfies Result;
  } catch (error) {
    let problems: Problems;
    if (error instanceof Response) {
      if (error.status !== 404) throw error;
      problems = { _form: { key: "errors.itemGone" } };
    } else problems = problemsFrom(error);
    const field = Object.keys(problems)[0] ?? "_form";
    // A session that is no longer scheduled is about the whole form, not a field of it.
    if (field === "sessionId") problems = { _form: problems.sessionId! };
    return data({ intent, itemId, problems, values } satisfies Result, { status: 400 });
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const sessionId = params.sessionId ?? "";
  const actor = await editable(request, sessionId);
  const values = fieldsOf(await formOf(request));
  const intent = values.intent ?? "";
  const itemId = idSchema.safeParse(values.itemId).data;

  switch (intent) {
    case "up":
    case "down": {
      if (!itemId) return refuse(request, 400, "errors.idInvalid", "itemId");
      const items = await prisma.agendaItem.findMany({ where: { sessionId }, orderBy: { position: "asc" }, select: { id: true } });
      const ids = items.map((i) => i.id);
      const at = ids.indexOf(itemId);
      const to = intent === "up" ? at - 1 : at + 1;
      if (at < 0 || to < 0 || to >= ids.length) return { done: intent };
      [ids[at], ids[to]] = [ids[to]!, ids[at]!];
      return attempt(intent, values, () => reorderAgenda(actor, sessionId, ids), itemId);
    }
    case "timeSlot": {
      const parsed = agendaTimeSlotSchema.safeParse(values);
      if (!parsed.success) return data({ intent, itemId, problems: zodProblems(parsed.error), values } satisfies Result, { status: 400 });
      return attempt(intent, values, () => setTimeSlot(actor, sessionId, parsed.data.itemId, parsed.data.timeSlotMin), itemId);
    }
    case "remove":
      if (!itemId) return refuse(request, 400, "errors.idInvalid", "itemId");
      return attempt(intent, values, () => removeFromAgenda(actor, sessionId, itemId), itemId);
    case "addTopic":
    case "addFree": {
      const timeSlotMin = values.timeSlotMin || undefined;
      const parsed =
        intent === "addTopic"
          ? agendaAddSchema.options[0].safeParse({ topicId: values.topicId, timeSlotMin })
          : agendaAddSchema.options[1].safeParse({ title: values.title, text: values.text, timeSlotMin });
      if (!parsed.success) return data({ intent, itemId: undefined, problems: zodProblems(parsed.error), values } satisfies Result, { status: 400 });
      const input = parsed.data;
      return attempt(intent, values, () => addToAgenda(actor, sessionId, input));
    }
    case "publish":
      return attempt(intent, values, () => publishAgenda(actor, sessionId));
    default:
      return refuse(request, 400, "errors.invalidInput", "intent");
  }
}

export default function AgendaBuilder() {
  const { session, publishedAt, candidates, editableNow } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const busy = navigation.state !== "idle";
  const failed = result && "problems" in result ? result : undefined;
  const done = result && "done" in result ? result.done : undefined;
  const problem = (intent: string, field: string, itemId?: string): Problem | undefined =>
    failed && failed.intent === intent && (itemId === undefined || failed.itemId === itemId) ? failed.problems[field] : undefined;
  const value = (intent: string, field: string) => (failed?.intent === intent ? failed.values[field] : undefined);
  const totalMin = session.agendaItems.reduce((sum, i) => sum + (i.timeSlotMin ?? 0), 0);
  const last = session.agendaItems.length - 1;

  return (
    <div className="agenda-builder">
      <p className="muted">
        <a href={`/sessions/${session.id}`}>← {t("agenda.viewSession")}</a> · {session.council.community.name}
      </p>
      <h1>{t("agenda.title", { title: session.title })}</h1>
      <section className="card">
        <dl className="meta">
          <dt>{t("session.when")}</dt>
          <dd>{formatDateTime(session.scheduledAt, i18n.language)}</dd>
          <dt>{t("session.place")}</dt>
          <dd>{session.place || "—"}</dd>
          <dt>{t("session.mode")}</dt>
          <dd>{t(`modes.${session.mode}`)}</dd>
          <dt>{t("agenda.publication")}</dt>
          <dd data-testid="agenda-published">
            {publishedAt ? t("agenda.publishedAt", { date: formatDateTime(publishedAt, i18n.language) }) : t("agenda.draft")}
          </dd>
        </dl>
        {!editableNow ? <p className="notice">{t("agenda.notEditable")}</p> : null}
      </section>

      {done ? (
        <p className="notice ok" role="status">
          {t(`agenda.done.${done}`)}
        </p>
      ) : null}
      {failed?.problems._form ? <ProblemText problem={failed.problems._form} /> : null}

      <section className="card">
        <h2 className="card-title">
          {t("session.agenda")} <span className="muted">{t("agenda.total", { count: session.agendaItems.length, minutes: totalMin })}</span>
        </h2>
        {session.agendaItems.length === 0 ? <p className="muted">{t("session.noItems")}</p> : null}
        <ol className="list agenda-items">
          {session.agendaItems.map((item, i) => (
            <li key={item.id} data-testid="agenda-builder-item">
              <div className="agenda-item-head">
                <span className="muted">{t("session.item", { n: i + 1 })}</span>
                <strong className="title">{item.title}</strong>
                {item.topicId ? (
                  <a href={`/topics/${item.topicId}`} className="muted">
                    {t("agenda.fromTopic")}
                  </a>
                ) : null}
              </div>
              {item.contentText ? <p className="preview muted">{item.contentText}</p> : null}
              {editableNow ? (
                <div className="agenda-controls">
                  <div className="control-row">
                    <Form method="post" preventScrollReset className="inline">
                      <input type="hidden" name="itemId" value={item.id} />
                      <button
                        className="btn secondary"
                        type="submit"
                        name="intent"
                        value="up"
                        disabled={busy || i === 0}
                        aria-label={t("agenda.upLabel", { title: item.title })}
                      >
                        ↑ {t("agenda.up")}
                      </button>
                      <button
                        className="btn secondary"
                        type="submit"
                        name="intent"
                        value="down"
                        disabled={busy || i === last}
                        aria-label={t("agenda.downLabel", { title: item.title })}
                      >
                        ↓ {t("agenda.down")}
                      </button>
                    </Form>
                    <Form method="post" preventScrollReset className="inline">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="itemId" value={item.id} />
                      <button className="btn secondary danger" type="submit" disabled={busy} aria-label={t("agenda.removeLabel", { title: item.title })}>
                        {t("agenda.remove")}
                      </button>
                    </Form>
                  </div>
                  <Form method="post" preventScrollReset className="inline time-slot">
                    <input type="hidden" name="intent" value="timeSlot" />
                    <input type="hidden" name="itemId" value={item.id} />
                    <label htmlFor={`slot-${item.id}`}>{t("agenda.timeSlot")}</label>
                    <input
                      id={`slot-${item.id}`}
                      name="timeSlotMin"
                      type="number"
                      inputMode="numeric"
                      min={1}
                      max={240}
                      key={`${item.id}-${item.timeSlotMin ?? ""}`}
                      defaultValue={item.timeSlotMin ?? ""}
                    />
                    <button className="btn secondary" type="submit" disabled={busy}>
                      {t("agenda.save")}
                    </button>
                  </Form>
                  <ProblemText problem={problem("timeSlot", "timeSlotMin", item.id)} />
                </div>
              ) : item.timeSlotMin ? (
                <p className="muted">{t("session.timeSlot", { minutes: item.timeSlotMin })}</p>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      {editableNow ? (
        <>
          <section className="card">
            <h2 className="card-title">{t("agenda.addTopics")}</h2>
            {candidates.length === 0 ? (
              <p className="muted">{t("agenda.noCandidates")}</p>
            ) : (
              <Form method="post" preventScrollReset className="stack">
                <input type="hidden" name="intent" value="addTopic" />
                <SelectField
                  name="topicId"
                  id="add-topicId"
                  label={t("agenda.topic")}
                  defaultValue={value("addTopic", "topicId")}
                  error={problem("addTopic", "topicId")}
                >
                  {candidates.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.title}（{t(`topicStatus.${c.status}`)} · {t("topics.coSigns", { count: c.coSignCount })}）
                    </option>
                  ))}
                </SelectField>
                <Field
                  name="timeSlotMin"
                  id="add-topic-slot"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={240}
                  label={t("agenda.timeSlotOptional")}
                  error={problem("addTopic", "timeSlotMin")?.key}
                />
                <button className="btn block" type="submit" disabled={busy}>
                  {t("agenda.add")}
                </button>
              </Form>
            )}
            {candidates.length > 0 ? (
              <ul className="candidate-list muted">
                {candidates.slice(0, 10).map((c) => (
                  <li key={c.id}>
                    <a href={`/topics/${c.id}`}>{c.title}</a> <StatusPill status={c.status} />
                  </li>
                ))}
              </ul>
            ) : null}
          </section>

          <section className="card">
            <h2 className="card-title">{t("agenda.addFree")}</h2>
            <Form method="post" preventScrollReset className="stack" noValidate>
              <input type="hidden" name="intent" value="addFree" />
              <Field
                name="title"
                id="free-title"
                label={t("agenda.freeTitle")}
                defaultValue={value("addFree", "title")}
                error={problem("addFree", "title")?.key}
                maxLength={80}
                autoComplete="off"
              />
              <TextAreaField
                name="text"
                id="free-text"
                label={t("agenda.freeText")}
                defaultValue={value("addFree", "text")}
                error={problem("addFree", "text")}
                maxLength={4000}
              />
              <Field
                name="timeSlotMin"
                id="free-slot"
                type="number"
                inputMode="numeric"
                min={1}
                max={240}
                label={t("agenda.timeSlotOptional")}
                error={problem("addFree", "timeSlotMin")?.key}
              />
              <button className="btn secondary block" type="submit" disabled={busy}>
                {t("agenda.addFreeSubmit")}
              </button>
            </Form>
          </section>

          <section className="card">
            <h2 className="card-title">{t("agenda.publishHeading")}</h2>
            <p className="muted">{t("agenda.publishHint")}</p>
            <Form method="post" preventScrollReset>
              <input type="hidden" name="intent" value="publish" />
              <button className="btn block" type="submit" disabled={busy || session.agendaItems.length === 0}>
                {publishedAt ? t("agenda.republish") : t("agenda.publish")}
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </div>
  );
}
