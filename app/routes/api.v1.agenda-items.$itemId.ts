import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";
import { prisma } from "~/utils/db.server";
import { agendaItemDocumentName } from "~/utils/domain";
import { NotFound, can, loadAgendaItemResource, requirePermission } from "~/utils/permissions.server";

export const loader = handle(api.agendaItem, async ({ actor, params }) => {
  const resource = await loadAgendaItemResource(params.itemId);
  if (!resource) throw new NotFound("agenda item");
  requirePermission(actor, "agendaItem:view", resource);
  const item = await prisma.agendaItem.findUniqueOrThrow({ where: { id: resource.itemId } });
  return {
    id: item.id,
    sessionId: item.sessionId,
    position: item.position,
    title: item.title,
    text: item.contentText,
    html: item.contentHtml,
    renderedAt: item.renderedAt?.toISOString() ?? null,
    timeSlotMin: item.timeSlotMin,
    topicId: item.topicId,
    documentName: agendaItemDocumentName(item.id),
    canEdit: can(actor, "agendaItem:edit", resource),
  };
});
export const action = loader;
