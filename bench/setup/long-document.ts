// A 100 000-update document (issue 16): run under tsx with DATABASE_URL=file:<tmp>/bench.db.
//
//   tsx bench/setup/long-document.ts write <compactedItemId> <rawItemId> <updates>
//     types <updates> single-character keystrokes into each item's document, one Yjs update per
//     keystroke. The first item's are stored as the server stores them (PrismaDocumentStore.append
//     in group commits of 20, a compaction every COMPACT_EVERY updates, as Room.flush does); the
//     second's are appended with no compaction at all (what a server that never got to compact
//     leaves: the worst case a load can meet).
//   tsx bench/setup/long-document.ts time <docName> [runs]
//     times the server's load of a document in this process: PrismaDocumentStore.load and the
//     Room's apply, as Rooms.open does it. Prints JSON {wallMs:[...], cpuMs:[...], rows, bytes}.
import * as Y from "yjs";
import { agendaItemDocumentName } from "~/utils/domain";
import { prisma } from "~/utils/db.server";
import { PrismaDocumentStore } from "../../server/yjs/store";
import { COMPACT_EVERY } from "../../server/yjs/room";

const [mode, ...rest] = process.argv.slice(2);
const store = new PrismaDocumentStore(prisma);

async function typeInto(name: string, count: number, compact: boolean): Promise<void> {
  const doc = new Y.Doc();
  for (const u of await store.load(name)) Y.applyUpdate(doc, u);
  const paragraph = new Y.XmlElement("paragraph");
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  const batch: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => batch.push(u));
  doc.getXmlFragment("default").push([paragraph]);
  let sinceCompaction = 0;
  for (let i = 0; i < count; i++) {
    text.insert(text.length, i % 50 === 49 ? "。" : "议");
    if (batch.length >= 20 || i === count - 1) {
      const updates = batch.splice(0);
      await store.append(name, updates);
      sinceCompaction += updates.length;
      if (compact && sinceCompaction >= COMPACT_EVERY) {
        sinceCompaction = 0;
        await store.compact(name);
      }
    }
  }
}

if (mode === "write") {
  const [compactedItemId, rawItemId, countArg] = rest;
  const count = Number(countArg ?? 100_000);
  await typeInto(agendaItemDocumentName(compactedItemId!), count, true);
  await typeInto(agendaItemDocumentName(rawItemId!), count, false);
} else if (mode === "time") {
  const [name, runsArg] = rest;
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  let rows = 0;
  let bytes = 0;
  let length = 0;
  for (let i = 0; i < Number(runsArg ?? 5); i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const stored = await store.load(name!);
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const u of stored) Y.applyUpdate(doc, u);
    });
    const c = process.cpuUsage(c0);
    wallMs.push(performance.now() - t0);
    cpuMs.push((c.user + c.system) / 1000);
    rows = stored.length;
    bytes = stored.reduce((n, u) => n + u.length, 0);
    length = doc.getXmlFragment("default").toString().length;
    doc.destroy();
  }
  console.log(JSON.stringify({ wallMs, cpuMs, rows, bytes, length }));
} else throw new Error("usage: long-document.ts write|time …");
await prisma.$disconnect();
