import { getTopic } from "~/models/topic.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.topic, async ({ actor, params }) => {
  const t = await getTopic(actor!, params.topicId);
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    category: t.category,
    status: t.status as never,
    coSignCount: t.coSignCount,
    coSignedByMe: t.coSignedByMe,
    ready: !!t.readyAt,
    answer: t.answer,
    referredTo: t.referredOrg?.name ?? null,
    referralDue: t.referralDue?.toISOString() ?? null,
    overdue: t.overdue,
    photos: t.photos.map((p) => ({ url: `/photos/${p.file}`, width: p.width, height: p.height })),
    timeline: t.events.map((e) => ({ type: e.type, at: e.createdAt.toISOString(), by: e.actor?.displayName ?? null, data: e.data })),
    moves: t.moves,
  };
});
export const action = loader;
