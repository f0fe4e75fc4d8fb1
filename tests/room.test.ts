// The protocol rules of one document room. The store is the in-memory one
// (it passes the same contract as the database: tests/document-store.test.ts);
// the database's own behaviour is tested there and in tests/persistence.test.ts.
import { describe, expect, it } from "vitest";
import * as decoding from "lib0/decoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { CLOSE, LIMITS, TokenBucket, connectionRate, renderDelayFor } from "../server/yjs/limits";
import { MemoryDocumentStore } from "../server/yjs/memory-store";
import { Room, type Peer, type RoomHooks } from "../server/yjs/room";
import type { DocumentStore } from "../server/yjs/store";
import { MESSAGE_AUTH, MESSAGE_AWARENESS, MESSAGE_SYNC, encodeAwarenessEntries } from "../server/yjs/protocol";

/** A store with a gate a test opens to decide when commits finish. */
class GatedStore implements DocumentStore {
  private inner = new MemoryDocumentStore();
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => {};
  appends = 0;
  close() {
    this.gate = new Promise((r) => (this.open = r));
  }
  release() {
    this.open();
  }
  load(name: string) {
    return this.inner.load(name);
  }
  async append(name: string, updates: Uint8Array[]) {
    this.appends++;
    await this.gate;
    return this.inner.append(name, updates);
  }
  compact(name: string) {
    return this.inner.compact(name);
  }
  pendingCount(name: string) {
    return this.inner.pendingCount(name);
  }
}

function peer(name: string, readOnly = false, userId = name) {
  const received: { kind: string; data: Uint8Array }[] = [];
  const p: Peer & { received: typeof received; closedWith?: number } = {
    user: { id: userId, name },
    readOnly,
    received,
    send(message) {
      const d = decoding.createDecoder(message);
      const type = decoding.readVarUint(d);
      const kind =
        type === MESSAGE_SYNC
          ? ["step1", "step2", "update"][decoding.readVarUint(d)]!
          : type === MESSAGE_AUTH
            ? "denied"
            : type === MESSAGE_AWARENESS
              ? "awareness"
              : "other";
      received.push({ kind, data: message });
    },
    close(code) {
      p.closedWith = code;
    },
  };
  return p;
}

function editUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

async function openRoom(store: DocumentStore, name: string, hooks: RoomHooks = {}) {
  return new Room(name, store, hooks, await store.load(name), () => {});
}

const count = (p: { received: { kind: string }[] }, kind: string) => p.received.filter((m) => m.kind === kind).length;

/** A text of n bytes that Yjs cannot shrink (it stores strings as they are). */
function bulk(n: number, seed: string): string {
  return (seed + "0123456789abcdef".repeat(Math.ceil(n / 16))).slice(0, n);
}

async function storedBytes(store: DocumentStore, name: string): Promise<number> {
  return (await store.load(name)).reduce((n, u) => n + u.length, 0);
}

describe("Room", () => {
  it("relays an update only after the store has committed it", async () => {
    const store = new GatedStore();
    const room = await openRoom(store, "room:relay");
    const [a, b] = [peer("a"), peer("b")];
    room.join(a);
    room.join(b);
    b.received.length = 0;
    store.close();
    room.acceptUpdate(a, editUpdate("你好"));
    await new Promise((r) => setTimeout(r, 50));
    expect(store.appends).toBe(1);
    expect(b.received.filter((m) => m.kind === "update")).toHaveLength(0);
    // A newcomer's sync reply reflects the update too, so it must wait as well.
    const c = peer("c");
    room.join(c);
    room.answerSyncStep1(c, Y.encodeStateVector(new Y.Doc()));
    expect(c.received.filter((m) => m.kind === "step2")).toHaveLength(0);
    store.release();
    await room.durable();
    expect(b.received.filter((m) => m.kind === "update")).toHaveLength(1);
    expect(c.received.filter((m) => m.kind === "step2")).toHaveLength(1);
    expect(a.received.filter((m) => m.kind === "update")).toHaveLength(0); // not echoed to its author
    expect(await store.pendingCount("room:relay")).toBe(1);
  });

  it("commits updates that arrive during a write together, in order", async () => {
    const store = new GatedStore();
    const room = await openRoom(store, "room:batch");
    const a = peer("a");
    room.join(a);
    store.close();
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    for (const ch of "一二三四五") doc.getText("t").insert(doc.getText("t").length, ch);
    room.acceptUpdate(a, updates[0]!);
    await new Promise((r) => setImmediate(r)); // the first commit is now in flight
    expect(store.appends).toBe(1);
    for (const u of updates.slice(1)) room.acceptUpdate(a, u);
    store.release();
    await room.durable();
    expect(store.appends).toBe(2); // the first alone, the other four in one commit
    const stored = new Y.Doc();
    for (const u of await store.load("room:batch")) Y.applyUpdate(stored, u);
    expect(stored.getText("t").toString()).toBe("一二三四五");
  });

  it("commits the updates of one turn of the event loop together and relays them as one message", async () => {
    const store = new GatedStore();
    const room = await openRoom(store, "room:turn");
    const [a, b, c] = [peer("a"), peer("b"), peer("c")];
    for (const p of [a, b, c]) room.join(p);
    for (const p of [a, b, c]) p.received.length = 0;
    const [docA, docB] = [new Y.Doc(), new Y.Doc()];
    const fromA: Uint8Array[] = [];
    const fromB: Uint8Array[] = [];
    docA.on("update", (u: Uint8Array) => fromA.push(u));
    docB.on("update", (u: Uint8Array) => fromB.push(u));
    docA.getText("t").insert(0, "甲");
    docB.getText("u").insert(0, "乙");
    docA.getText("t").insert(1, "丙");
    room.acceptUpdate(a, fromA[0]!);
    room.acceptUpdate(b, fromB[0]!);
    room.acceptUpdate(a, fromA[1]!);
    expect(store.appends).toBe(0); // nothing is written before the turn ends
    await room.durable();
    expect(store.appends).toBe(1);
    // One message per peer, the authors included (the batch has two authors); it holds all three edits.
    for (const p of [a, b, c]) expect(p.received.filter((m) => m.kind === "update")).toHaveLength(1);
    const seen = new Y.Doc();
    for (const m of c.received.filter((m) => m.kind === "update")) {
      const d = decoding.createDecoder(m.data);
      decoding.readVarUint(d); // sync
      decoding.readVarUint(d); // update
      Y.applyUpdate(seen, decoding.readVarUint8Array(d));
    }
    expect(seen.getText("t").toString()).toBe("甲丙");
    expect(seen.getText("u").toString()).toBe("乙");
  });

  it("rejects a malformed update without changing the document", async () => {
    const store = new MemoryDocumentStore();
    const room = await openRoom(store, "room:bad");
    const a = peer("a");
    room.join(a);
    expect(() => room.acceptUpdate(a, new Uint8Array([7, 7, 7, 200, 1]))).toThrow();
    expect(Y.encodeStateAsUpdate(room.doc)).toEqual(Y.encodeStateAsUpdate(new Y.Doc()));
    expect(await store.pendingCount("room:bad")).toBe(0);
  });

  it("closes every client when the database refuses a write, and keeps nothing unstored", async () => {
    let emptied = false;
    const failing: DocumentStore = {
      load: async () => [],
      append: async () => Promise.reject(new Error("disk full")),
      compact: async () => {},
      pendingCount: async () => 0,
    };
    const room = new Room("room:fail", failing, {}, [], () => (emptied = true));
    const [a, b] = [peer("a"), peer("b")];
    room.join(a);
    room.join(b);
    room.acceptUpdate(a, editUpdate("x"));
    await new Promise((r) => setTimeout(r, 10));
    expect(a.closedWith).toBe(1011);
    expect(b.closedWith).toBe(1011);
    expect(b.received.filter((m) => m.kind === "update")).toHaveLength(0);
    expect(emptied).toBe(true);
  });
});

describe("Room: read-only is the room's rule, at every update", () => {
  it("refuses edits once a peer turns read-only mid-connection: denied once, nothing stored or relayed", async () => {
    const store = new MemoryDocumentStore();
    const room = await openRoom(store, "room:ro");
    const [a, b] = [peer("a"), peer("b")];
    room.join(a);
    room.join(b);
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    doc.getText("t").insert(0, "可以");
    room.acceptUpdate(a, updates[0]!);
    await room.durable();
    expect(count(b, "update")).toBe(1);

    a.readOnly = true; // what the lead's re-authorisation does when a session adjourns
    doc.getText("t").insert(2, "不行");
    doc.getText("t").insert(4, "还是不行");
    room.acceptUpdate(a, updates[1]!);
    room.acceptUpdate(a, updates[2]!);
    await room.durable();
    expect(count(a, "denied")).toBe(1);
    expect(count(b, "update")).toBe(1);
    expect(room.doc.getText("t").toString()).toBe("可以");
    expect(await store.pendingCount("room:ro")).toBe(1);
  });

  it("lets a read-only peer's empty sync step 2 through without a denial", async () => {
    const room = await openRoom(new MemoryDocumentStore(), "room:ro-empty");
    const o = peer("observer", true);
    room.join(o);
    room.acceptUpdate(o, Y.encodeStateAsUpdate(new Y.Doc()));
    expect(count(o, "denied")).toBe(0);
    expect(o.closedWith).toBeUndefined();
  });
});

describe("Room: limits (server/yjs/limits.ts)", () => {
  it("closes with 1009 on an update over maxUpdateBytes, before applying or storing it", async () => {
    const store = new MemoryDocumentStore();
    const room = await openRoom(store, "room:big-update");
    const [a, b] = [peer("a"), peer("b")];
    room.join(a);
    room.join(b);
    room.acceptUpdate(a, editUpdate(bulk(LIMITS.maxUpdateBytes + 1, "x")));
    await room.durable();
    expect(a.closedWith).toBe(CLOSE.messageTooBig);
    expect(count(a, "denied")).toBe(1);
    expect(count(b, "update")).toBe(0);
    expect(room.doc.getText("t").length).toBe(0);
    expect(await store.pendingCount("room:big-update")).toBe(0);
  });

  it("refuses (4413) the update that would take a document over maxDocumentBytes; the store stays under the cap", async () => {
    const store = new MemoryDocumentStore();
    const room = await openRoom(store, "room:full");
    const [a, b] = [peer("a"), peer("b")];
    room.join(a);
    room.join(b);
    const doc = new Y.Doc();
    const chunk = LIMITS.maxUpdateBytes - 1024;
    const rounds = Math.ceil(LIMITS.maxDocumentBytes / chunk) + 2;
    for (let i = 0; i < rounds && a.closedWith === undefined; i++) {
      const updates: Uint8Array[] = [];
      const on = (u: Uint8Array) => updates.push(u);
      doc.on("update", on);
      doc.getText("t").insert(doc.getText("t").length, bulk(chunk, String(i)));
      doc.off("update", on);
      room.acceptUpdate(a, updates[0]!);
    }
    await room.durable();
    expect(a.closedWith).toBe(CLOSE.documentFull);
    expect(await storedBytes(store, "room:full")).toBeLessThanOrEqual(LIMITS.maxDocumentBytes);
    expect(Y.encodeStateAsUpdate(room.doc).length).toBeLessThanOrEqual(LIMITS.maxDocumentBytes);
    // Everything the others were sent is what is stored: the refused update was neither.
    const relayed = new Y.Doc();
    for (const m of b.received.filter((x) => x.kind === "update")) {
      const d = decoding.createDecoder(m.data);
      decoding.readVarUint(d);
      decoding.readVarUint(d);
      Y.applyUpdate(relayed, decoding.readVarUint8Array(d));
    }
    const stored = new Y.Doc();
    for (const u of await store.load("room:full")) Y.applyUpdate(stored, u);
    expect(relayed.getText("t").toString()).toBe(stored.getText("t").toString());
  });

  it("does not load a stored document over its cap: opening it is refused (4413), nothing is compacted or rendered", async () => {
    const store = new MemoryDocumentStore();
    const name = "room:legacy-huge";
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    // Written straight into the store, as an unpatched server would have done.
    for (let i = 0; i * LIMITS.maxUpdateBytes <= LIMITS.maxDocumentBytes; i++) doc.getText("t").insert(0, bulk(LIMITS.maxUpdateBytes, String(i)));
    await store.append(name, updates);
    let loaded = 0;
    let unloaded = 0;
    const room = await openRoom(store, name, { onLoad: () => void loaded++, onUnload: async () => void unloaded++ });
    expect(room.oversize).toBe(true);
    expect(room.doc.getText("t").length).toBe(0);
    const a = peer("a");
    room.join(a);
    expect(a.closedWith).toBe(CLOSE.documentFull);
    expect(count(a, "step1")).toBe(0);
    expect(room.peers.size).toBe(0);
    await room.unload();
    expect([loaded, unloaded]).toEqual([0, 0]);
    expect(await store.pendingCount(name)).toBe(updates.length); // not merged into a snapshot
  });

  it("drops pending structs over maxPendingBytes and closes their sender (4409); nothing is stored", async () => {
    const store = new MemoryDocumentStore();
    const room = await openRoom(store, "room:pending");
    const [a, b] = [peer("a"), peer("b")];
    room.join(a);
    room.join(b);
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    doc.getText("t").insert(0, "missing history");
    // Later edits that depend on the first, which the server never gets.
    for (let i = 0; i < 8; i++) doc.getText("t").insert(0, bulk(LIMITS.maxPendingBytes / 4, String(i)));
    // A keystroke's worth of pending structs is tolerated (it may be history in flight from another process)…
    room.acceptUpdate(a, updates[1]!);
    expect(a.closedWith).toBeUndefined();
    expect(room.doc.store.pendingStructs).not.toBeNull();
    // …a pile of them is not.
    for (const u of updates.slice(2)) room.acceptUpdate(a, u);
    expect(a.closedWith).toBe(CLOSE.resyncNeeded);
    expect(room.doc.store.pendingStructs).toBeNull();
    expect(room.doc.store.pendingDs).toBeNull();
    await room.durable();
    expect(await store.pendingCount("room:pending")).toBe(0);
    expect(count(b, "update")).toBe(0);
  });
});

describe("Room: presence", () => {
  function awarenessUpdate(entries: { clientId: number; clock: number; state: Record<string, unknown> | null }[]) {
    return encodeAwarenessEntries(entries);
  }

  it("lets a client set only its own client ids, at most a couple, within the size cap", async () => {
    const room = await openRoom(new MemoryDocumentStore(), "room:presence");
    const [editor, observer] = [peer("editor"), peer("observer", true)];
    room.join(editor);
    room.join(observer);
    room.acceptAwareness(editor, awarenessUpdate([{ clientId: 100, clock: 1, state: { cursor: 1 } }]));
    room.acceptAwareness(observer, awarenessUpdate([{ clientId: 200, clock: 1, state: { cursor: 2 } }]));
    expect(room.awareness.getStates().get(100)).toMatchObject({ cursor: 1, user: { id: "editor" } });

    // The observer overwrites, then clears, the editor's entry (a higher clock wins in y-protocols).
    room.acceptAwareness(observer, awarenessUpdate([{ clientId: 100, clock: 5, state: { cursor: 99, user: { name: "假冒" } } }]));
    room.acceptAwareness(observer, awarenessUpdate([{ clientId: 100, clock: 6, state: null }]));
    // 2 000 fake entries, and one state over the size cap.
    room.acceptAwareness(observer, awarenessUpdate(Array.from({ length: 2000 }, (_, i) => ({ clientId: 1000 + i, clock: 1, state: { fake: i } }))));
    room.acceptAwareness(observer, awarenessUpdate([{ clientId: 200, clock: 2, state: { blob: "x".repeat(LIMITS.maxAwarenessStateBytes) } }]));

    const states = room.awareness.getStates();
    expect(states.get(100)).toMatchObject({ cursor: 1, user: { id: "editor", name: "editor" } });
    expect(states.get(200)).toMatchObject({ cursor: 2, user: { id: "observer" } });
    const observers = [...states.values()].filter((s) => (s.user as { id?: string }).id === "observer");
    expect(observers.length).toBeLessThanOrEqual(LIMITS.awarenessClientsPerConnection);
    expect(states.size).toBeLessThanOrEqual(1 + LIMITS.awarenessClientsPerConnection);
    // What the editor was sent about others stays small: no fake or oversized entry reached it.
    const bytes = editor.received.filter((m) => m.kind === "awareness").reduce((n, m) => n + m.data.length, 0);
    expect(bytes).toBeLessThan(4 * LIMITS.maxAwarenessStateBytes);
  });

  it("lets the same person's new connection take over their client id (a stock client keeps it on reconnect)", async () => {
    const room = await openRoom(new MemoryDocumentStore(), "room:presence-reconnect");
    const [old, fresh] = [peer("王芳", false, "u1"), peer("王芳", false, "u1")];
    room.join(old);
    room.join(fresh);
    room.acceptAwareness(old, awarenessUpdate([{ clientId: 7, clock: 1, state: { cursor: 1 } }]));
    room.acceptAwareness(fresh, awarenessUpdate([{ clientId: 7, clock: 2, state: { cursor: 2 } }]));
    expect(room.awareness.getStates().get(7)).toMatchObject({ cursor: 2 });
    room.leave(old); // the old connection is noticed gone: the entry now belongs to the new one
    expect(room.awareness.getStates().get(7)).toMatchObject({ cursor: 2 });
    expect(awarenessProtocol.encodeAwarenessUpdate(room.awareness, [7]).length).toBeGreaterThan(0);
  });
});

describe("Room: presence relayed from another process", () => {
  it("lets a person's reconnect take over their id from another process's entry, and nobody else", async () => {
    const room = await openRoom(new MemoryDocumentStore(), "room:presence-relayed");
    // What another process stamped and relayed for 王芳's client 9.
    const other = new awarenessProtocol.Awareness(new Y.Doc());
    other.setLocalState(null);
    awarenessProtocol.applyAwarenessUpdate(
      other,
      encodeAwarenessEntries([{ clientId: 9, clock: 1, state: { cursor: 1, user: { id: "u1", name: "王芳" } } }]),
      null,
    );
    room.applyRelayed("awareness", awarenessProtocol.encodeAwarenessUpdate(other, [9]));
    const [stranger, same] = [peer("赵强", false, "u2"), peer("王芳", false, "u1")];
    room.join(stranger);
    room.join(same);
    room.acceptAwareness(stranger, encodeAwarenessEntries([{ clientId: 9, clock: 5, state: { cursor: 66 } }]));
    expect(room.awareness.getStates().get(9)).toMatchObject({ cursor: 1, user: { id: "u1" } });
    room.acceptAwareness(same, encodeAwarenessEntries([{ clientId: 9, clock: 6, state: { cursor: 2 } }]));
    expect(room.awareness.getStates().get(9)).toMatchObject({ cursor: 2, user: { id: "u1" } });
  });
});

describe("Room: compaction by size", () => {
  it("keeps a document that is pasted into and emptied again and again small in the store and loadable", async () => {
    const store = new MemoryDocumentStore();
    const name = "room:paste-delete";
    const room = await openRoom(store, name);
    const a = peer("a");
    room.join(a);
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    const rounds = Math.ceil((LIMITS.maxLoadBytes * 1.5) / LIMITS.maxUpdateBytes);
    for (let i = 0; i < rounds; i++) {
      doc.getText("t").insert(0, bulk(LIMITS.maxUpdateBytes - 1024, String(i)));
      doc.getText("t").delete(0, doc.getText("t").length);
      for (const u of updates.splice(0)) room.acceptUpdate(a, u);
      await room.durable();
    }
    expect(a.closedWith).toBeUndefined();
    await room.unload();
    expect(await storedBytes(store, name)).toBeLessThan(LIMITS.compactEveryBytes + LIMITS.maxUpdateBytes);
    const reloaded = await openRoom(store, name);
    expect(reloaded.oversize).toBe(false);
  });
});

describe("limits.ts helpers (a driven clock, no waiting)", () => {
  it("a token bucket allows its burst, refuses beyond it, and refills at its rate", () => {
    let t = 0;
    const bucket = new TokenBucket(5, 10, () => t);
    for (let i = 0; i < 5; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    t += 100; // a tenth of a second at 10/s: one token
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    t += 10_000; // never more than the capacity
    for (let i = 0; i < 5; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it("a connection may send a full-size update twice at once, and typing for ever at a held key's pace", () => {
    let t = 0;
    const rate = connectionRate(() => t);
    expect(rate.admit(LIMITS.maxMessageBytes)).toBe(true);
    expect(rate.admit(LIMITS.maxMessageBytes)).toBe(true);
    expect(rate.admit(LIMITS.maxMessageBytes)).toBe(false);
    t += 60_000;
    for (let i = 0; i < 100 * 60; i++) {
      t += 10; // 100 small messages a second for a minute
      expect(rate.admit(40)).toBe(true);
    }
  });

  it("renders a bigger document less often, within bounds", () => {
    expect(renderDelayFor(0)).toBe(LIMITS.renderDelayMs);
    expect(renderDelayFor(LIMITS.renderBytesPerStep * 3)).toBe(LIMITS.renderDelayMs * 4);
    expect(renderDelayFor(LIMITS.maxDocumentBytes * 10)).toBe(LIMITS.renderMaxDelayMs);
  });
});
