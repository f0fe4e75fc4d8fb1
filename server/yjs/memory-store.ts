// A DocumentStore held in memory: for tests where the database is not the
// point (Room rules, the fuzz test), and the second implementation that keeps
// the contract honest (tests/document-store.test.ts runs the same suite on both).
// It yields to the event loop inside every call, as a database would, so races
// between appends and compactions happen here too.
import { foldUpdates, type DocumentStore } from "./store";

type Stored = { snapshot: Uint8Array | null; compactedTo: number; updates: { id: number; data: Uint8Array }[] };

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export class MemoryDocumentStore implements DocumentStore {
  private readonly docs = new Map<string, Stored>();
  private nextId = 1;

  private doc(name: string): Stored {
    let doc = this.docs.get(name);
    if (!doc) this.docs.set(name, (doc = { snapshot: null, compactedTo: 0, updates: [] }));
    return doc;
  }

  async load(name: string): Promise<Uint8Array[]> {
    await tick();
    const doc = this.doc(name);
    // Copies, as a database would return: a caller that mutates what it loaded must not change the store.
    return [...(doc.snapshot ? [doc.snapshot.slice()] : []), ...doc.updates.map((u) => u.data.slice())];
  }

  async append(name: string, updates: Uint8Array[]): Promise<void> {
    await tick();
    const doc = this.doc(name);
    for (const data of updates) doc.updates.push({ id: this.nextId++, data: data.slice() });
  }

  async compact(name: string): Promise<void> {
    const doc = this.docs.get(name);
    if (!doc || doc.updates.length === 0) return;
    // Read, yield (the merge would be outside any lock in a database), then swap
    // guarded on compactedTo, like the Prisma store.
    const seen = doc.compactedTo;
    const folded = doc.updates.slice();
    const parts = [...(doc.snapshot ? [doc.snapshot] : []), ...folded.map((u) => u.data)];
    await tick();
    const snapshot = foldUpdates(parts);
    await tick();
    if (doc.compactedTo !== seen) return;
    const lastId = folded[folded.length - 1]!.id;
    doc.snapshot = snapshot;
    doc.compactedTo = lastId;
    doc.updates = doc.updates.filter((u) => u.id > lastId);
  }

  async pendingCount(name: string): Promise<number> {
    await tick();
    return this.docs.get(name)?.updates.length ?? 0;
  }
}
