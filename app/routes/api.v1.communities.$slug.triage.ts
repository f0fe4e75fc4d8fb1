import { communityIdBySlug } from "~/models/community.server";
import { triageQueue } from "~/models/topic.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.triage, async ({ actor, params, query }) => {
  const queue = await triageQueue(actor!, await communityIdBySlug(params.slug), query);
  return {
    items: queue.map((t) => ({
      id: t.id,
      title: t.title,
      status: t.status as never,
      coSignCount: t.coSignCount,
      ready: !!t.readyAt,
      createdAt: t.createdAt.toISOString(),
      overdue: t.overdue,
      urgency: t.urgency,
    })),
  };
});
export const action = loader;
