import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ProblemText, SelectField } from "~/components/topic-ui";
import { getSessionWithAgenda } from "~/models/agenda-item.server";
import { assignSecretary, secretaryChoices } from "~/models/session-secretary.server";
import { prisma } from "~/utils/db.server";
import { formatDateTime } from "~/utils/format";
import { orHttpError } from "~/utils/http.server";
import { useLiveEvents } from "~/utils/live-events";
import { NotFound, can, loadSessionResource, requireActor, requirePermission } from "~/utils/permissions.server";
import { problemsFrom, zodProblems, formOf, type Problems } from "~/utils/forms.server";
import { secretaryAssignSchema } from "~/utils/secretary-schemas";

export const meta: MetaFunction = (args) => pageMeta(args, (t, d) => (d as { session?: { title?: string } } | undefined)?.session?.title);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return orHttpError(async () => {
    const resource = await loadSessionResource(params.sessionId ?? "");
    if (!resource) throw new NotFound("session");
    requirePermission(actor, "session:view", resource);
    const session = await getSessionWithAgenda(resource.sessionId);
    if (!session) throw new NotFound("session");
    // Resolutions of passed votes may become 联办任务 afterwards too (staff, from here).
    const resolved = can(actor, "task:create", { type: "community", communityId: resource.communityId })
      ? (
          await prisma.agendaItem.findMany({
            where: { sessionId: resource.sessionId, resolutionMotionId: { not: null } },
            select: { id: true, resolutionMotionId: true, motions: { where: { status: "closed" }, select: { id: true, result: true } } },
          })
        )
          .filter((i) => i.motions.some((m) => m.id === i.resolutionMotionId && m.result && (JSON.parse(m.result) as { passed?: boolean }).passed))
          .map((i) => i.id)
      : [];
    // Staff may name the secretary until the session adjourns (app/models/session-secretary.server.ts).
    const mayAssignSecretary = can(actor, "session:assignSecretary", resource) && ["scheduled", "open"].includes(resource.status);
    const secretary = mayAssignSecretary
      ? {
          current: (await prisma.councilSession.findUnique({ where: { id: resource.sessionId }, select: { secretaryId: true } }))?.secretaryId ?? "",
          choices: await secretaryChoices(resource.communityId),
        }
      : null;
    return { session, mayEditAgenda: can(actor, "session:editAgenda", resource) && resource.status === "scheduled", resolved, secretary };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await formOf(request);
  const parsed = secretaryAssignSchema.safeParse({ secretaryId: form.get("secretaryId") ?? "" });
  if (!parsed.success) return { problems: zodProblems(parsed.error), done: false };
  try {
    await orHttpError(() => assignSecretary(actor, params.sessionId ?? "", parsed.data.secretaryId), request);
    return { problems: {} as Problems, done: true };
  } catch (error) {
    if (error instanceof Response) throw error;
    return { problems: problemsFrom(error), done: false };
  }
}

export default function SessionPage() {
  const { session, mayEditAgenda, resolved, secretary } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const [previews, setPreviews] = useState<Record<string, string>>({});
  const [viewers, setViewers] = useState<{ count: number; viewers: { id: string; name: string }[] }>({ count: 0, viewers: [] });
  useLiveEvents(
    {
      "agendaItem:rendered": (p: { itemId: string; text: string }) => setPreviews((prev) => ({ ...prev, [p.itemId]: p.text })),
      "session:viewers": (p: { count: number; viewers: { id: string; name: string }[] }) => setViewers(p),
    },
    { event: "session:join", leave: "session:leave", payload: { sessionId: session.id } },
  );
  return (
    <div>
      <p className="muted">
        {session.council.community.name} · {session.council.name}
      </p>
      <h1>{session.title}</h1>
      <p>
        <a className="btn block" href={`/sessions/${session.id}/live`} data-testid="go-live">
          {t("live.enter")}
        </a>
      </p>
      {session.status !== "scheduled" && session.status !== "cancelled" ? (
        <p>
          <a className="btn secondary block" href={`/sessions/${session.id}/minutes`} data-testid="go-minutes">
            {t("minutes.open")}
          </a>
        </p>
      ) : null}
      <section className="card">
        <dl className="meta">
          <dt>{t("session.when")}</dt>
          <dd>{formatDateTime(session.scheduledAt, i18n.language)}</dd>
          <dt>{t("session.place")}</dt>
          <dd>{session.place}</dd>
          <dt>{t("session.mode")}</dt>
          <dd>{t(`modes.${session.mode}`)}</dd>
          <dt>{t("session.status")}</dt>
          <dd>
            <span className="pill">{t(`statuses.${session.status}`)}</span>
          </dd>
        </dl>
        {viewers.count > 0 ? (
          <p className="presence" data-testid="session-viewers">
            {t("session.viewers", { count: viewers.count })}: {viewers.viewers.map((v) => v.name).join("、")}
            {viewers.count > viewers.viewers.length ? "…" : ""}
          </p>
        ) : null}
      </section>
      {secretary ? (
        <section className="card">
          <Form method="post" className="stack" data-testid="secretary-form">
            <SelectField
              name="secretaryId"
              label={t("secretary.label")}
              defaultValue={secretary.current}
              error={result?.problems.secretaryId ?? result?.problems._form}
            >
              <option value="">{t("secretary.any")}</option>
              {secretary.choices.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.displayName}
                </option>
              ))}
            </SelectField>
            <p className="muted">{t("secretary.hint")}</p>
            {result?.done ? <p role="status">{t("secretary.changed")}</p> : null}
            <ProblemText problem={result?.problems.sessionId} />
            <button className="btn secondary block" type="submit" disabled={navigation.state !== "idle"}>
              {t("secretary.change")}
            </button>
          </Form>
        </section>
      ) : null}
      <section className="card">
        <h2 style={{ marginTop: 0 }}>{t("session.agenda")}</h2>
        {mayEditAgenda ? (
          <p>
            <a className="btn secondary" href={`/sessions/${session.id}/agenda`}>
              {t("session.editAgenda")}
            </a>
          </p>
        ) : null}
        {session.agendaItems.length === 0 ? <p className="muted">{t("session.noItems")}</p> : null}
        <ol className="list">
          {session.agendaItems.map((item) => (
            <li key={item.id}>
              <a className="item-link" href={`/sessions/${session.id}/items/${item.id}`} data-testid="agenda-item-link">
                <span className="muted">{t("session.item", { n: item.position })}</span>
                {item.timeSlotMin ? <span className="muted"> · {t("session.timeSlot", { minutes: item.timeSlotMin })}</span> : null}
                <br />
                <span className="title">{item.title}</span>
                <span className="preview">{(previews[item.id] ?? item.contentText) || t("session.emptyText")}</span>
              </a>
              {item.topicId ? (
                <a className="topic-link" href={`/topics/${item.topicId}`}>
                  {t("session.fromTopic")}
                </a>
              ) : null}
              {resolved.includes(item.id) ? (
                <a className="topic-link" href={`/c/${session.council.community.slug}/tasks/new?agendaItemId=${item.id}`} data-testid="resolution-new-task">
                  {t("tasks.new.create")}
                </a>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
