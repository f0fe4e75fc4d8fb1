// Keeps the server's rendered copy of each co-edited document (HTML and plain
// text in the agenda item's row) a moment behind the live text, and tells the
// session's Socket.IO room, so lists and search never need to load Yjs.
import { parseDocumentName } from "~/utils/domain";
import type { Db } from "~/utils/db.server";
import { renderProse } from "~/utils/prose.server";
import type { Room, RoomHooks } from "./room";

export type Publish = (room: string, event: string, payload: unknown) => void;

const RENDER_DELAY_MS = 250;

export function renderedCopyHooks(db: Db, publish: Publish): RoomHooks {
  const timers = new Map<string, NodeJS.Timeout>();
  const lastHtml = new Map<string, string>();

  async function write(room: Room): Promise<void> {
    const target = parseDocumentName(room.name);
    if (target?.kind !== "agenda-item") return;
    const { html, text } = renderProse(room.doc);
    if (lastHtml.get(room.name) === html) return;
    lastHtml.set(room.name, html);
    // updateMany: the item may have left the agenda while its document was open.
    const { count } = await db.agendaItem.updateMany({ where: { id: target.id }, data: { contentHtml: html, contentText: text, renderedAt: new Date() } });
    if (count === 0) return;
    const item = await db.agendaItem.findUniqueOrThrow({ where: { id: target.id }, select: { id: true, sessionId: true } });
    publish(`session:${item.sessionId}`, "agendaItem:rendered", { itemId: item.id, text, html });
  }

  return {
    onStored(room) {
      if (timers.has(room.name)) return;
      timers.set(
        room.name,
        setTimeout(() => {
          timers.delete(room.name);
          if (!room.closed) write(room).catch((e) => console.error(`[yjs] rendering ${room.name}`, e));
        }, RENDER_DELAY_MS),
      );
    },
    async onUnload(room) {
      clearTimeout(timers.get(room.name));
      timers.delete(room.name);
      await write(room);
      lastHtml.delete(room.name);
    },
  };
}
