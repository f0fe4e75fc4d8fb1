// Keeps the server's rendered copy of each co-edited document (HTML and plain
// text in the agenda item's row) a moment behind the live text, and tells the
// session's Socket.IO room, so lists and search never need to load Yjs.
// The copy is bounded (LIMITS.maxRenderedChars) and a bigger document is
// rendered less often (renderDelayFor), so one large document cannot keep the
// process busy rendering or fill every page that shows it.
import { databaseProvider } from "~/utils/database-url.server";
import { parseDocumentName } from "~/utils/domain";
import { socketRooms } from "~/utils/realtime.server";
import type { Db } from "~/utils/db.server";
import { renderProse } from "~/utils/prose.server";
import { sqliteDateTime, sqliteWriter } from "~/utils/sqlite-writer.server";
import { LIMITS, renderDelayFor } from "./limits";
import type { Room, RoomHooks } from "./room";

export type Publish = (room: string, event: string, payload: unknown) => void;

/** Where the copy is kept: the agenda item's row. */
export interface RenderedCopyRows {
  /** Writes the copy; false if the item is gone (it left the agenda while its document was open). */
  write(itemId: string, html: string, text: string): Promise<boolean>;
  /** Whether the row holds this HTML; null if the item is gone. Compared in the database, not read back. */
  holds(itemId: string, html: string): Promise<boolean | null>;
}

/**
 * On SQLite, through the writer's connection (sqlite-writer.server.ts) with prepared statements:
 * profiled under the long-document bench (issue 16), Prisma spent 160-250 ms of CPU writing a
 * 100 000-character copy (its query compiler walks every argument) and 25 ms comparing it, again
 * every 1.25 s while such a document is edited; the prepared statement writes it in ~1 ms.
 * PostgreSQL keeps to Prisma, which does not block the event loop there.
 */
export function renderedCopyRows(db: Db): RenderedCopyRows {
  const writer = sqliteWriter(databaseProvider());
  if (writer) {
    return {
      write: (itemId, html, text) =>
        writer.write(
          (w) =>
            w
              .statement(`UPDATE "AgendaItem" SET "contentHtml" = ?, "contentText" = ?, "renderedAt" = ? WHERE "id" = ?`)
              .run(html, text, sqliteDateTime(), itemId).changes > 0,
        ),
      holds: async (itemId, html) => {
        const row = writer.statement(`SELECT ("contentHtml" = ?) AS "same" FROM "AgendaItem" WHERE "id" = ?`).get(html, itemId) as { same: number } | undefined;
        return row ? row.same === 1 : null;
      },
    };
  }
  return {
    write: async (itemId, html, text) =>
      // updateMany: the item may have left the agenda while its document was open.
      (await db.agendaItem.updateMany({ where: { id: itemId }, data: { contentHtml: html, contentText: text, renderedAt: new Date() } })).count > 0,
    holds: async (itemId, html) => {
      const rows = await db.$queryRaw<{ same: number | bigint | boolean | null }[]>`
        SELECT ("contentHtml" = ${html}) AS "same" FROM "AgendaItem" WHERE "id" = ${itemId}`;
      return rows.length === 0 ? null : Number(rows[0]!.same) === 1;
    },
  };
}

export function renderedCopyHooks(db: Db, publish: Publish, rows: RenderedCopyRows = renderedCopyRows(db)): RoomHooks {
  const timers = new Map<string, NodeJS.Timeout>();
  /** The HTML last committed to each row: an unchanged render is not written again. */
  const lastHtml = new Map<string, string>();

  function render(room: Room): { itemId: string; html: string; text: string } | null {
    const target = parseDocumentName(room.name);
    if (target?.kind !== "agenda-item") return null;
    const { html, text } = renderProse(room.doc, LIMITS.maxRenderedChars);
    return { itemId: target.id, html, text };
  }

  async function write(room: Room): Promise<void> {
    const copy = render(room);
    if (!copy || lastHtml.get(room.name) === copy.html) return;
    if (!(await rows.write(copy.itemId, copy.html, copy.text))) return;
    const item = await db.agendaItem.findUniqueOrThrow({ where: { id: copy.itemId }, select: { id: true, sessionId: true } });
    // Only once committed: a write that failed must be retried by the next edit, even if the text is unchanged.
    lastHtml.set(room.name, copy.html);
    // Every screen of the session gets this on every render: a preview, not the whole copy (pages load that from the row).
    publish(socketRooms.session(item.sessionId), "agendaItem:rendered", { itemId: item.id, text: copy.text.slice(0, LIMITS.renderedPreviewChars) });
  }

  /**
   * A crash can leave the row behind the stored document (the render runs a
   * moment after the commit). Compared in the database, so a stale copy of any
   * size is not read back into memory to find that out.
   */
  async function refreshIfStale(room: Room): Promise<void> {
    const copy = render(room);
    if (!copy) return;
    const same = await rows.holds(copy.itemId, copy.html);
    if (same === null) return;
    if (same) lastHtml.set(room.name, copy.html);
    else await write(room);
  }

  function schedule(room: Room, delay: number, job: (room: Room) => Promise<void>): void {
    if (timers.has(room.name)) return;
    timers.set(
      room.name,
      setTimeout(() => {
        timers.delete(room.name);
        if (!room.closed) job(room).catch((e) => console.error(`[yjs] rendering ${room.name}`, e));
      }, delay),
    );
  }

  return {
    onLoad(room) {
      lastHtml.delete(room.name);
      schedule(room, 0, refreshIfStale);
    },
    onStored(room) {
      schedule(room, renderDelayFor(room.byteSize), write);
    },
    async onUnload(room) {
      clearTimeout(timers.get(room.name));
      timers.delete(room.name);
      try {
        await write(room);
      } finally {
        lastHtml.delete(room.name);
      }
    },
  };
}
