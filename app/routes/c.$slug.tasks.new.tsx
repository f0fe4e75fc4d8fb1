// Staff assign a joint-handling task: directly, from a resolution (?agendaItemId=), from a
// topic (?topicId=), or as a sub-task (?parentId=).
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { ProblemText, SelectField, beijingInputValue } from "~/components/topic-ui";
import { createTask } from "~/models/task.server";
import { prisma } from "~/utils/db.server";
import { ACTIVE_MEMBERSHIP, requirePermission } from "~/utils/permissions.server";
import { communityPage, fieldsOf, formOf, problemsFrom, zodProblems } from "~/utils/forms.server";
import { orHttpError } from "~/utils/http.server";
import { idSchema } from "~/utils/schemas";
import { taskCreateSchema } from "~/utils/task-schemas";

/** Up to this many co-handlers and milestones on the page (the schema's own limits are higher: the API). */
const MAX_ROWS = 10;

/**
 * The rows of a repeated group (`coHandlers.0.organizationId`, `coHandlers.0.share`, …) in the
 * shape the API takes; rows left blank are dropped, so an unused "add another" costs nothing.
 */
function rowsOf(form: Record<string, string>, group: string, fields: readonly string[]) {
  const rows: Record<string, string>[] = [];
  for (let i = 0; i < MAX_ROWS; i++) {
    const row = Object.fromEntries(fields.map((f) => [f, form[`${group}.${i}.${f}`] ?? ""]));
    if (fields.some((f) => row[f]?.trim())) rows.push(row);
  }
  return rows;
}

/** How many rows a repeated group showed when the form came back with a problem. */
function shownRows(values: Record<string, string | undefined>, group: string) {
  let n = 1;
  for (const key of Object.keys(values)) {
    const m = key.match(new RegExp(`^${group}\\.(\\d+)\\.`));
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  return Math.min(n, MAX_ROWS);
}

export const meta: MetaFunction = (args) => pageMeta(args, "tasks.new.title");

const ref = (v: string | null) => (v && idSchema.safeParse(v).success ? v : null);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "community:view");
  await orHttpError(async () => requirePermission(actor, "task:create", { type: "community", communityId: community.id }), request);
  const url = new URL(request.url);
  const agendaItemId = ref(url.searchParams.get("agendaItemId"));
  const topicId = ref(url.searchParams.get("topicId"));
  const parentId = ref(url.searchParams.get("parentId"));
  const [organizations, members, grids, buildings, item, topic, parent] = await Promise.all([
    prisma.organization.findMany({ where: { communityId: community.id }, orderBy: { name: "asc" }, select: { id: true, name: true, kind: true } }),
    prisma.membership.findMany({
      where: { communityId: community.id, organizationId: { not: null }, ...ACTIVE_MEMBERSHIP },
      select: { organizationId: true, user: { select: { id: true, displayName: true } } },
    }),
    prisma.grid.findMany({ where: { communityId: community.id }, orderBy: { code: "asc" }, select: { id: true, name: true } }),
    prisma.building.findMany({ where: { communityId: community.id }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    agendaItemId
      ? prisma.agendaItem.findFirst({
          where: { id: agendaItemId, session: { council: { communityId: community.id } } },
          select: { id: true, title: true, resolutionText: true, resolutionMotionId: true, topic: { select: { buildingId: true, gridId: true } } },
        })
      : null,
    topicId
      ? prisma.topic.findFirst({
          where: { id: topicId, communityId: community.id },
          select: { id: true, title: true, description: true, gridId: true, buildingId: true },
        })
      : null,
    parentId ? prisma.task.findFirst({ where: { id: parentId, communityId: community.id }, select: { id: true, title: true, organizationId: true } }) : null,
  ]);
  organizations.sort((a, b) => Number(b.kind === "propertyCompany") - Number(a.kind === "propertyCompany"));
  const owners = new Map<string, { id: string; displayName: string; organizationId: string }>();
  for (const m of members) owners.set(`${m.organizationId}:${m.user.id}`, { ...m.user, organizationId: m.organizationId! });
  return {
    community,
    organizations,
    owners: [...owners.values()],
    grids,
    buildings,
    item,
    topic,
    parent,
    defaultDeadline: beijingInputValue(Date.now() + 14 * 86_400_000),
    minDeadline: beijingInputValue(Date.now()),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "community:view");
  const form = fieldsOf(await formOf(request));
  const rest = Object.fromEntries(Object.entries(form).filter(([k]) => !/^(coHandlers|milestones)\./.test(k)));
  const input = {
    ...rest,
    coHandlers: rowsOf(form, "coHandlers", ["organizationId", "share"]),
    milestones: rowsOf(form, "milestones", ["title", "dueAt"]),
  };
  const parsed = taskCreateSchema.safeParse(input);
  if (!parsed.success) return data({ problems: zodProblems(parsed.error), values: form }, { status: 400 });
  let id: string;
  try {
    id = (await orHttpError(() => createTask(actor, community.id, parsed.data), request)).id;
  } catch (error) {
    if (error instanceof Response) throw error;
    return data({ problems: problemsFrom(error), values: form }, { status: 400 });
  }
  throw redirect(`/tasks/${id}`);
}

export default function NewTask() {
  const { organizations, owners, grids, buildings, item, topic, parent, defaultDeadline, minDeadline } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const problems = (result?.problems ?? {}) as Record<string, { key: string; values?: Record<string, string | number> } | undefined>;
  const v = (result?.values ?? {}) as Record<string, string | undefined>;
  const err = (f: string) => problems[f]?.key;
  const [coHandlerRows, setCoHandlerRows] = useState(() => shownRows(v, "coHandlers"));
  const [milestoneRows, setMilestoneRows] = useState(() => shownRows(v, "milestones"));
  return (
    <div>
      <h1>{t("tasks.new.title")}</h1>
      {item?.resolutionText ? <p className="notice">{t("tasks.new.fromResolution", { text: item.resolutionText })}</p> : null}
      {topic ? <p className="notice">{t("tasks.new.fromTopic", { title: topic.title })}</p> : null}
      {parent ? (
        <p className="notice">
          {t("tasks.new.parent")} <a href={`/tasks/${parent.id}`}>{parent.title}</a>
        </p>
      ) : null}
      <Form method="post" className="card stack" noValidate>
        {item ? <input type="hidden" name="agendaItemId" value={item.id} /> : null}
        {item?.resolutionMotionId ? <input type="hidden" name="motionId" value={item.resolutionMotionId} /> : null}
        {topic ? <input type="hidden" name="topicId" value={topic.id} /> : null}
        {parent ? <input type="hidden" name="parentId" value={parent.id} /> : null}
        <Field
          name="title"
          label={t("tasks.new.name")}
          defaultValue={v.title ?? item?.title ?? topic?.title ?? ""}
          error={err("title")}
          required
          maxLength={80}
        />
        <div>
          <label htmlFor="field-description">{t("tasks.new.description")}</label>
          <textarea id="field-description" name="description" rows={4} defaultValue={v.description ?? item?.resolutionText ?? topic?.description ?? ""} />
          <ProblemText problem={problems.description} />
        </div>
        <SelectField
          name="organizationId"
          label={t("tasks.new.organization")}
          defaultValue={v.organizationId ?? parent?.organizationId ?? organizations[0]?.id}
          error={problems.organizationId}
        >
          {organizations.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </SelectField>
        <SelectField name="ownerId" label={t("tasks.new.owner")} defaultValue={v.ownerId ?? ""} error={problems.ownerId}>
          <option value="">{t("tasks.noOwner")}</option>
          {owners.map((o) => (
            <option key={`${o.organizationId}:${o.id}`} value={o.id}>
              {o.displayName} · {organizations.find((x) => x.id === o.organizationId)?.name}
            </option>
          ))}
        </SelectField>
        <Field
          name="deadline"
          type="datetime-local"
          label={t("tasks.new.deadline")}
          defaultValue={v.deadline ?? defaultDeadline}
          min={minDeadline}
          error={err("deadline")}
          required
        />
        <SelectField
          name="gridId"
          label={t("tasks.filters.grid")}
          defaultValue={v.gridId ?? topic?.gridId ?? item?.topic?.gridId ?? ""}
          error={problems.gridId}
        >
          <option value="">{t("tasks.new.none")}</option>
          {grids.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          name="buildingId"
          label={t("tasks.filters.building")}
          defaultValue={v.buildingId ?? topic?.buildingId ?? item?.topic?.buildingId ?? ""}
          error={problems.buildingId}
        >
          <option value="">{t("tasks.new.none")}</option>
          {buildings.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </SelectField>
        <fieldset className="stack">
          <legend>{t("tasks.new.coHandlers")}</legend>
          {Array.from({ length: coHandlerRows }, (_, i) => (
            <div key={i} className="stack" data-testid="co-handler-row">
              <SelectField
                name={`coHandlers.${i}.organizationId`}
                label={t("tasks.new.coHandlerN", { n: i + 1 })}
                defaultValue={v[`coHandlers.${i}.organizationId`] ?? ""}
                error={i === 0 ? problems.coHandlers : problems[`coHandlers.${i}.organizationId`]}
              >
                <option value="">{t("tasks.new.none")}</option>
                {organizations.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </SelectField>
              <Field
                name={`coHandlers.${i}.share`}
                label={t("tasks.new.coHandlerShareN", { n: i + 1 })}
                defaultValue={v[`coHandlers.${i}.share`] ?? ""}
                error={err(`coHandlers.${i}.share`)}
                maxLength={500}
              />
            </div>
          ))}
          {coHandlerRows < MAX_ROWS ? (
            <button type="button" className="btn ghost" onClick={() => setCoHandlerRows((n) => n + 1)} data-testid="add-co-handler">
              {t("tasks.new.addCoHandler")}
            </button>
          ) : null}
        </fieldset>
        <fieldset className="stack">
          <legend>{t("tasks.new.milestonesLegend")}</legend>
          {err("milestones") ? (
            <div className="error" role="alert">
              {t(err("milestones")!)}
            </div>
          ) : null}
          {Array.from({ length: milestoneRows }, (_, i) => (
            <div key={i} className="stack" data-testid="milestone-row">
              <Field
                name={`milestones.${i}.title`}
                label={t("tasks.new.milestoneN", { n: i + 1 })}
                defaultValue={v[`milestones.${i}.title`] ?? ""}
                error={err(`milestones.${i}.title`)}
                maxLength={80}
              />
              <Field
                name={`milestones.${i}.dueAt`}
                type="datetime-local"
                label={t("tasks.new.milestoneDueN", { n: i + 1 })}
                defaultValue={v[`milestones.${i}.dueAt`] ?? ""}
                min={minDeadline}
                error={err(`milestones.${i}.dueAt`)}
              />
            </div>
          ))}
          {milestoneRows < MAX_ROWS ? (
            <button type="button" className="btn ghost" onClick={() => setMilestoneRows((n) => n + 1)} data-testid="add-milestone">
              {t("tasks.new.addMilestone")}
            </button>
          ) : null}
        </fieldset>
        {parent ? (
          <Field
            name="weight"
            type="number"
            inputMode="numeric"
            min={1}
            max={100}
            label={t("tasks.new.weight")}
            defaultValue={v.weight ?? "1"}
            error={err("weight")}
          />
        ) : null}
        <ProblemText problem={problems._form ?? problems.agendaItemId ?? problems.motionId ?? problems.topicId ?? problems.parentId} />
        <button className="btn block" type="submit" disabled={navigation.state !== "idle"} data-testid="create-task">
          {t("tasks.new.submit")}
        </button>
      </Form>
    </div>
  );
}
