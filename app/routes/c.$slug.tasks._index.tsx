// A community's tasks: by status, organisation, place and due date; staff assign new ones; CSV export.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TaskList } from "~/components/task-ui";
import { Pager } from "~/components/topic-ui";
import { PlaceFilter } from "~/components/place-filter";
import { placeOptions } from "~/models/places.server";
import { listTasks } from "~/models/task.server";
import { TASK_STATUSES } from "~/models/task-states";
import { prisma } from "~/utils/db.server";
import { communityPage } from "~/utils/forms.server";
import { can } from "~/utils/permissions.server";
import { taskListSchema } from "~/utils/task-schemas";

export const meta: MetaFunction = (args) =>
  pageMeta(args, (t, d) => t("tasks.communityTitle", { community: (d as { community?: { name?: string } } | undefined)?.community?.name ?? "" }));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "");
  const url = new URL(request.url);
  const parsed = taskListSchema.safeParse(Object.fromEntries(url.searchParams));
  // A hand-edited query that does not parse shows the whole list rather than an error page.
  const filters = parsed.success ? parsed.data : taskListSchema.parse({});
  const [list, organizations, places] = await Promise.all([
    // An unknown place (a hand-edited URL) is dropped like any other filter that does not parse.
    listTasks(actor, community.id, filters).catch((error: unknown) => {
      if ((error as { field?: string }).field !== "place") throw error;
      filters.place = undefined;
      return listTasks(actor, community.id, filters);
    }),
    prisma.organization.findMany({ where: { communityId: community.id }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    placeOptions(community.id),
  ]);
  return {
    community,
    list,
    filters,
    organizations,
    places,
    mayCreate: can(actor, "task:create", { type: "community", communityId: community.id }),
    mayConfigure: can(actor, "community:configure", { type: "community", communityId: community.id }),
  };
}

export default function CommunityTasks() {
  const { community, list, filters, organizations, places, mayCreate, mayConfigure } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const location = useLocation();
  const exportQuery = new URLSearchParams(location.search);
  exportQuery.delete("page");
  return (
    <div className="tasks-page">
      <p className="muted">
        <a href="/tasks">{t("tasks.mine")}</a>
      </p>
      <h1>{t("tasks.communityTitle", { community: community.name })}</h1>
      <div className="actions">
        {mayCreate ? (
          <a className="btn" href={`/c/${community.slug}/tasks/new`} data-testid="new-task">
            {t("tasks.new.create")}
          </a>
        ) : null}
        <a className="btn secondary" href={`/api/v1/communities/${community.slug}/tasks/export?${exportQuery.toString()}`} download>
          {t("tasks.export")}
        </a>
        {mayConfigure ? (
          <a className="btn secondary" href={`/c/${community.slug}/task-settings`}>
            {t("tasks.settings.heading")}
          </a>
        ) : null}
      </div>
      <form method="get" className="card stack filters">
        <label htmlFor="f-status">{t("tasks.filters.status")}</label>
        <select id="f-status" name="status" defaultValue={filters.status ?? ""}>
          <option value="">{t("tasks.filters.all")}</option>
          <option value="open">{t("tasks.filters.open")}</option>
          <option value="overdue">{t("tasks.filters.overdue")}</option>
          {TASK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`tasks.status.${s}`)}
            </option>
          ))}
        </select>
        <label htmlFor="f-org">{t("tasks.filters.organization")}</label>
        <select id="f-org" name="organizationId" defaultValue={filters.organizationId ?? ""}>
          <option value="">{t("tasks.filters.all")}</option>
          {organizations.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
        {filters.gridId || filters.buildingId || filters.unitId ? (
          <>
            {/* A link from elsewhere (the dashboard) may name a place by its kind: kept until the form is sent again. */}
            {filters.gridId ? <input type="hidden" name="gridId" value={filters.gridId} /> : null}
            {filters.buildingId ? <input type="hidden" name="buildingId" value={filters.buildingId} /> : null}
            {filters.unitId ? <input type="hidden" name="unitId" value={filters.unitId} /> : null}
          </>
        ) : null}
        <PlaceFilter places={places} value={filters.place} id="f-place" />
        <label htmlFor="f-due">{t("tasks.filters.dueBy")}</label>
        <input id="f-due" type="date" name="dueBy" defaultValue={filters.dueBy ?? ""} />
        <button className="btn secondary block" type="submit">
          {t("tasks.filters.apply")}
        </button>
      </form>
      <p className="muted">{t("tasks.count", { count: list.total })}</p>
      <TaskList items={list.items} />
      <Pager page={list.page} pages={list.pages} search={location.search} />
    </div>
  );
}
