// 议题板: a community's topics, searchable and filterable, newest first.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Age, Pager, StatusPill, categoryName, placeText } from "~/components/topic-ui";
import { TOPIC_STATUSES } from "~/models/topic-states";
import { listTopics } from "~/models/topic.server";
import { categoriesOf, communityPage } from "~/utils/forms.server";
import { orHttpError } from "~/utils/http.server";
import { can } from "~/utils/permissions.server";
import { topicListSchema } from "~/utils/schemas";
import { PlaceFilter } from "~/components/place-filter";
import { placeOptions } from "~/models/places.server";

export const meta: MetaFunction = (args) => pageMeta(args, "topics.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "");
  const query = Object.fromEntries(new URL(request.url).searchParams);
  // A filter that does not parse (a hand-edited URL) is dropped rather than refused.
  let parsed = topicListSchema.safeParse(query);
  let invalid = false;
  if (!parsed.success) {
    invalid = true;
    const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
    parsed = topicListSchema.safeParse(Object.fromEntries(Object.entries(query).filter(([k]) => !bad.has(k))));
  }
  const filters = parsed.success ? parsed.data : topicListSchema.parse({});
  const [list, categories, places] = await Promise.all([
    // An unknown place (a hand-edited URL) is dropped like any other filter that does not parse.
    orHttpError(() =>
      listTopics(actor, community.id, filters).catch((error: unknown) => {
        if ((error as { field?: string }).field !== "place") throw error;
        invalid = true;
        filters.place = undefined;
        return listTopics(actor, community.id, filters);
      }),
    ),
    categoriesOf(community.id, { archived: true }),
    placeOptions(community.id),
  ]);
  const here = { type: "community" as const, communityId: community.id };
  const triage = can(actor, "topic:triage", here);
  return {
    community,
    list,
    filters: { ...filters, mine: filters.mine ?? false },
    invalid,
    categories,
    places,
    now: Date.now(),
    may: {
      raise: can(actor, "topic:raise", here),
      triage,
      // An organisation's representatives answer what is referred to it; staff see referrals in their own queue.
      referrals: !triage && actor.memberships.some((m) => m.communityId === community.id && m.organizationId),
    },
  };
}

export default function TopicBoard() {
  const { community, list, filters, invalid, categories, places, now, may } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const base = `/c/${community.slug}/topics`;
  const filtered = !!(filters.q || filters.status || filters.category || filters.gridId || filters.place || filters.from || filters.to);
  return (
    <div>
      <p className="muted">
        <a href="/">{t("nav.home")}</a> · {community.name}
      </p>
      <h1>{filters.mine ? t("topics.mineTitle") : t("topics.title")}</h1>
      <div className="actions">
        {may.raise ? (
          <a className="btn" href={`${base}/new`}>
            {t("topics.raise")}
          </a>
        ) : null}
        {filters.mine ? (
          <a className="btn secondary" href={base}>
            {t("topics.all")}
          </a>
        ) : (
          <a className="btn secondary" href={`${base}?mine=1`}>
            {t("topics.mine")}
          </a>
        )}
        {may.triage ? (
          <a className="btn secondary" href={`/c/${community.slug}/triage`}>
            {t("topics.triage")}
          </a>
        ) : null}
        {may.referrals ? (
          <a className="btn secondary" href={`/c/${community.slug}/referrals`}>
            {t("topics.referrals")}
          </a>
        ) : null}
      </div>

      <Form method="get" className="card stack filters" role="search">
        {filters.mine ? <input type="hidden" name="mine" value="1" /> : null}
        <div className="search-row">
          <label htmlFor="topic-q" className="visually-hidden">
            {t("topics.search")}
          </label>
          <input id="topic-q" type="search" name="q" defaultValue={filters.q ?? ""} placeholder={t("topics.searchPlaceholder")} enterKeyHint="search" />
          <button className="btn" type="submit">
            {t("topics.search")}
          </button>
        </div>
        <details open={filtered && !filters.q ? true : undefined}>
          <summary>{t("topics.filters")}</summary>
          <div className="stack">
            <div>
              <label htmlFor="filter-status">{t("topics.status")}</label>
              <select id="filter-status" name="status" defaultValue={filters.status ?? ""}>
                <option value="">{t("topics.statusAll")}</option>
                <option value="open">{t("topics.statusOpen")}</option>
                <option value="closed">{t("topics.statusClosed")}</option>
                {TOPIC_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`topicStatus.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="filter-category">{t("topics.category")}</label>
              <select id="filter-category" name="category" defaultValue={filters.category ?? ""}>
                <option value="">{t("topics.categoryAll")}</option>
                {categories
                  .filter((c) => !c.archived)
                  .map((c) => (
                    <option key={c.key} value={c.key}>
                      {categoryName(categories, c.key, i18n.language)}
                    </option>
                  ))}
              </select>
            </div>
            {filters.gridId ? <input type="hidden" name="gridId" value={filters.gridId} /> : null}
            <PlaceFilter places={places} value={filters.place} />
            <div className="two">
              <div>
                <label htmlFor="filter-from">{t("topics.from")}</label>
                <input id="filter-from" type="date" name="from" defaultValue={filters.from ?? ""} />
              </div>
              <div>
                <label htmlFor="filter-to">{t("topics.to")}</label>
                <input id="filter-to" type="date" name="to" defaultValue={filters.to ?? ""} />
              </div>
            </div>
            <button className="btn block" type="submit">
              {t("topics.filter")}
            </button>
          </div>
        </details>
        {filtered ? <a href={filters.mine ? `${base}?mine=1` : base}>{t("topics.reset")}</a> : null}
      </Form>

      {invalid ? <p className="notice">{t("topics.filterIgnored")}</p> : null}
      <p className="muted" aria-live="polite" data-testid="topic-total">
        {t("topics.total", { count: list.total })}
      </p>
      {list.items.length === 0 ? (
        <p className="card muted">{filters.mine ? t("topics.mineEmpty") : t("topics.empty")}</p>
      ) : (
        <ul className="list card topic-list">
          {list.items.map((topic) => {
            const place = placeText(topic);
            return (
              <li key={topic.id}>
                <a className="item-link" href={`/topics/${topic.id}`} data-testid="topic-row">
                  <span className="title">{topic.title}</span>
                  <span className="row-meta">
                    <StatusPill status={topic.status} />
                    {topic.readyAt && topic.status === "raised" ? <span className="pill ok">{t("topics.ready")}</span> : null}
                    <span>{categoryName(categories, topic.category, i18n.language)}</span>
                    <span>{t("topics.coSigns", { count: topic.coSignCount })}</span>
                  </span>
                  <span className="muted">
                    {place ? `${place} · ` : ""}
                    <Age date={topic.createdAt} now={now} />
                    {topic._count.photos ? ` · ${t("topics.photos", { count: topic._count.photos })}` : ""}
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
      )}
      <Pager page={list.page} pages={list.pages} search={location.search} />
    </div>
  );
}
