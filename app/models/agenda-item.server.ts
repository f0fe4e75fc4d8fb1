import type { Prisma } from "~/generated/prisma/client";
import { bytes } from "~/utils/bytes";
import { agendaItemDocumentName } from "~/utils/domain";
import { proseFromText } from "~/utils/prose.server";
import { prisma } from "~/utils/db.server";

type Tx = Prisma.TransactionClient;

/**
 * An agenda item and its co-edited document are born together, in one
 * transaction: the document's first state is written here, once, rather than
 * by whichever server process first opens it (two would double the text).
 */
export async function createAgendaItem(
  input: { sessionId: string; title: string; text: string; position?: number; topicId?: string; timeSlotMin?: number },
  tx?: Tx,
): Promise<{ id: string; position: number }> {
  // The next position is read and taken in one transaction: two adds at once never share one.
  if (!tx) return prisma.$transaction((t) => createAgendaItem(input, t));
  const position =
    input.position ?? ((await tx.agendaItem.aggregate({ where: { sessionId: input.sessionId }, _max: { position: true } }))._max.position ?? 0) + 1;
  const prose = proseFromText(input.text);
  const item = await tx.agendaItem.create({
    data: {
      sessionId: input.sessionId,
      title: input.title,
      position,
      topicId: input.topicId,
      timeSlotMin: input.timeSlotMin,
      contentText: prose.text,
      contentHtml: prose.html,
      renderedAt: new Date(),
    },
  });
  await tx.yDocument.create({ data: { name: agendaItemDocumentName(item.id), snapshot: bytes(prose.update) } });
  return item;
}

export async function getSessionWithAgenda(sessionId: string) {
  return prisma.councilSession.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      title: true,
      scheduledAt: true,
      place: true,
      mode: true,
      status: true,
      council: { select: { id: true, name: true, community: { select: { id: true, name: true, slug: true } } } },
      agendaItems: {
        orderBy: { position: "asc" },
        select: { id: true, position: true, title: true, contentText: true, timeSlotMin: true, topicId: true },
      },
    },
  });
}
