// How the minutes' server code changes or reads a co-edited document. With the realtime
// runtime running (server/runtime.ts attaches it), the change goes through the document's
// Room: applied in memory, committed by the store, then relayed to every open screen and
// every process (store-then-relay, decision 0005), exactly like a client's update. Without
// it (a script, a model test), the change is applied to the stored document and appended to
// the store, so the next Room to load it sees it.
import * as Y from "yjs";
import { prisma } from "~/utils/db.server";
import { PrismaDocumentStore, foldUpdates } from "../../../server/yjs/store";

export type DocumentAccessor = {
  change(docName: string, fn: (doc: Y.Doc) => void): Promise<void>;
  read<T>(docName: string, fn: (doc: Y.Doc) => T): Promise<T>;
};

let attached: DocumentAccessor | null = null;

/** Called by the realtime layer when it starts (and with null when it stops). */
export function attachDocumentAccessor(accessor: DocumentAccessor | null): void {
  attached = accessor;
}

const storeOnly: DocumentAccessor = {
  async change(docName, fn) {
    const store = new PrismaDocumentStore(prisma);
    const doc = new Y.Doc();
    const parts = await store.load(docName);
    if (parts.length) Y.applyUpdate(doc, foldUpdates(parts));
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    fn(doc);
    if (updates.length) await store.append(docName, [updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates)]);
    doc.destroy();
  },
  async read(docName, fn) {
    const parts = await new PrismaDocumentStore(prisma).load(docName);
    const doc = new Y.Doc();
    if (parts.length) Y.applyUpdate(doc, foldUpdates(parts));
    try {
      return fn(doc);
    } finally {
      doc.destroy();
    }
  },
};

export function documents(): DocumentAccessor {
  return attached ?? storeOnly;
}
