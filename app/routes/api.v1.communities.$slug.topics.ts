import { communityIdBySlug } from "~/models/community.server";
import { listTopics, raiseTopic } from "~/models/topic.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { api } from "~/api/contract";

const place = (t: { grid: { name: string } | null; building: { name: string } | null }) => [t.grid?.name, t.building?.name].filter(Boolean).join(" · ");

export const loader = handle(api.listTopics, async ({ actor, params, query }) => {
  const result = await listTopics(actor!, await communityIdBySlug(params.slug), query);
  return {
    items: result.items.map((t) => ({
      id: t.id,
      title: t.title,
      category: t.category,
      status: t.status as never,
      coSignCount: t.coSignCount,
      ready: !!t.readyAt,
      createdAt: t.createdAt.toISOString(),
      raisedBy: t.raisedBy.displayName,
      place: place(t),
      photos: t._count.photos,
    })),
    total: result.total,
    page: result.page,
    pages: result.pages,
  };
});

export const action = byMethod({
  POST: handle(
    api.raiseTopic,
    async ({ actor, params, body, files }) => {
      const topic = await raiseTopic(actor!, await communityIdBySlug(params.slug), body, files);
      return { id: topic.id, title: topic.title, status: topic.status as never };
    },
    mayInCommunity("topic:raise"),
  ),
});
