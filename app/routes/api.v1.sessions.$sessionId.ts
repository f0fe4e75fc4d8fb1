import { getSessionWithAgenda } from "~/models/agenda-item.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";
import { NotFound, loadSessionResource, requirePermission } from "~/utils/permissions.server";

export const loader = handle(api.session, async ({ actor, params }) => {
  const resource = await loadSessionResource(params.sessionId);
  if (!resource) throw new NotFound("session");
  requirePermission(actor, "session:view", resource);
  const s = (await getSessionWithAgenda(resource.sessionId))!;
  return {
    id: s.id,
    title: s.title,
    scheduledAt: s.scheduledAt.toISOString(),
    place: s.place,
    mode: s.mode,
    status: s.status,
    council: { id: s.council.id, name: s.council.name },
    community: s.council.community,
    agendaItems: s.agendaItems.map(({ contentText, ...item }) => ({ ...item, text: contentText })),
  };
});
export const action = loader;
