// Staff assign a joint-handling task: directly, from a resolution (?agendaItemId=), from a
// topic (?topicId=), or as a sub-task (?parentId=).
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
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
  const { coHandlerOrganizationId, coHandlerShare, milestoneTitle, milestoneDue, ...rest } = form;
  const input = {
    ...rest,
    coHandlers: coHandlerOrganizationId ? [{ organizationId: coHandlerOrganizationId, share: coHandlerShare ?? "" }] : [],
    milestones: milestoneTitle ? [{ title: milestoneTitle, dueAt: milestoneDue ?? "" }] : [],
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
        <SelectField name="coHandlerOrganizationId" label={t("tasks.new.coHandler")} defaultValue={v.coHandlerOrganizationId ?? ""} error={problems.coHandlers}>
          <option value="">{t("tasks.new.none")}</option>
          {organizations.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </SelectField>
        <Field name="coHandlerShare" label={t("tasks.new.coHandlerShare")} defaultValue={v.coHandlerShare ?? ""} maxLength={500} />
        <Field name="milestoneTitle" label={t("tasks.new.milestone")} defaultValue={v.milestoneTitle ?? ""} error={err("milestones.0.title")} maxLength={80} />
        <Field
          name="milestoneDue"
          type="datetime-local"
          label={t("tasks.new.milestoneDue")}
          defaultValue={v.milestoneDue ?? ""}
          min={minDeadline}
          error={err("milestones") ?? err("milestones.0.dueAt")}
        />
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
