import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";
import { prisma } from "~/utils/db.server";
import { renderedCopyOf } from "~/models/agenda-item.server";
import { agendaItemDocumentName } from "~/utils/domain";
import { NotFound, can, loadAgendaItemResource, requirePermission } from "~/utils/permissions.server";

export const loader = handle(api.agendaItem, async ({ actor, params }) => {
  const resource = await loadAgendaItemResource(params.itemId);
  if (!resource) throw new NotFound("agenda item");
  requirePermission(actor, "agendaItem:view", resource);
  const item = await prisma.agendaItem.findUniqueOrThrow({
    where: { id: resource.itemId },
    select: { id: true, sessionId: true, position: true, title: true, renderedAt: true, timeSlotMin: true, topicId: true },
  });
  // Bounded: a copy over MAX_RENDERED_CHARS (written before there was a bound) comes back as "" and cut text.
  const copy = await renderedCopyOf(item.id);
  return {
    id: item.id,
    sessionId: item.sessionId,
    position: item.position,
    title: item.title,
    text: copy?.text ?? "",
    html: copy?.html ?? "",
    renderedAt: item.renderedAt?.toISOString() ?? null,
    timeSlotMin: item.timeSlotMin,
    topicId: item.topicId,
    documentName: agendaItemDocumentName(item.id),
    canEdit: can(actor, "agendaItem:edit", resource),
  };
});
export const action = loader;
