import type { Prisma } from "~/generated/prisma/client";
import { bytes } from "~/utils/bytes";
import { agendaItemDocumentName } from "~/utils/domain";
import { MAX_RENDERED_CHARS, proseFromText } from "~/utils/prose.server";
import { prisma, provider } from "~/utils/db.server";

type Tx = Prisma.TransactionClient;

/**
 * Serialises changes to one session's agenda order. SQLite has one writer, so its transactions
 * already do; PostgreSQL's READ COMMITTED lets two adds read the same highest position, so the
 * session's row is locked first (an add and a reorder then take turns).
 */
export async function lockAgenda(tx: Tx, sessionId: string): Promise<void> {
  if (provider === "postgresql") await tx.$executeRaw`SELECT 1 FROM "CouncilSession" WHERE "id" = ${sessionId} FOR UPDATE`;
}

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
  await lockAgenda(tx, input.sessionId);
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

/**
 * An item's rendered copy as a page or the API may embed it. The copy is bounded
 * when written, but a row written before that bound could be tens of megabytes:
 * such HTML is withheld (`tooLong`) and the text cut, in the database, so the
 * whole value is never read into this process.
 */
export async function renderedCopyOf(itemId: string): Promise<{ html: string; text: string; tooLong: boolean } | null> {
  const rows = await prisma.$queryRaw<{ html: string | null; text: string | null; tooLong: number | bigint | boolean | null }[]>`
    SELECT CASE WHEN length("contentHtml") <= ${MAX_RENDERED_CHARS} THEN "contentHtml" END AS "html",
           substr("contentText", 1, ${MAX_RENDERED_CHARS}) AS "text",
           (length("contentHtml") > ${MAX_RENDERED_CHARS}) AS "tooLong"
    FROM "AgendaItem" WHERE "id" = ${itemId}`;
  const row = rows[0];
  if (!row) return null;
  return { html: row.html ?? "", text: row.text ?? "", tooLong: Number(row.tooLong) === 1 };
}

export async function getSessionWithAgenda(sessionId: string) {
  const session = await prisma.councilSession.findUnique({
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
        select: { id: true, position: true, title: true, timeSlotMin: true, topicId: true },
      },
    },
  });
  if (!session) return null;
  // The texts, cut in the database (see renderedCopyOf): a row written before the bound must not fill the page.
  const texts = new Map(
    (
      await prisma.$queryRaw<{ id: string; text: string | null }[]>`
        SELECT "id", substr("contentText", 1, ${MAX_RENDERED_CHARS}) AS "text" FROM "AgendaItem" WHERE "sessionId" = ${sessionId}`
    ).map((r) => [r.id, r.text ?? ""]),
  );
  return { ...session, agendaItems: session.agendaItems.map((item) => ({ ...item, contentText: texts.get(item.id) ?? "" })) };
}
