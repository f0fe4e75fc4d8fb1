// Room.catchUp: a node re-reads a loaded document from the store (after a Redis outage, or when
// another node died between its commit and its publish) and must end with what the store holds,
// telling its own clients only what they lacked. The tail it reads can be long: a node that was
// cut off while others typed, or a document nobody compacted (issue 16's 100 000-update document).
import { describe, expect, it } from "vitest";
import * as decoding from "lib0/decoding";
import * as Y from "yjs";
import { MemoryDocumentStore } from "../server/yjs/memory-store";
import { Room, type Peer } from "../server/yjs/room";
import { MESSAGE_SYNC } from "../server/yjs/protocol";

/** A client connected to the room: applies every update the room sends it. */
function client(room: Room): Peer & { doc: Y.Doc; updates: number } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc));
  const c = {
    user: { id: "viewer", name: "viewer" },
    readOnly: true,
    doc,
    updates: 0,
    send(message: Uint8Array) {
      const d = decoding.createDecoder(message);
      if (decoding.readVarUint(d) !== MESSAGE_SYNC) return;
      decoding.readVarUint(d); // step 2 or update: both carry an update
      c.updates++;
      Y.applyUpdate(doc, decoding.readVarUint8Array(d));
    },
    close() {},
  };
  room.peers.set(c, new Set());
  return c;
}

/** Another node's editor typing `keystrokes` characters into paragraphs of 50, one stored update per keystroke. */
function typeElsewhere(from: Uint8Array[], keystrokes: number): Uint8Array[] {
  const doc = new Y.Doc();
  for (const u of from) Y.applyUpdate(doc, u);
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  const fragment = doc.getXmlFragment("default");
  let text = new Y.XmlText();
  for (let i = 0; i < keystrokes; i++) {
    if (i % 50 === 0) {
      const paragraph = new Y.XmlElement("paragraph");
      text = new Y.XmlText();
      paragraph.insert(0, [text]);
      fragment.push([paragraph]);
    }
    text.insert(text.length, "议");
  }
  return updates;
}

const textOf = (doc: Y.Doc) => doc.getXmlFragment("default").toString();

describe("Room.catchUp", () => {
  it("applies a long stored tail this node never saw, and its clients get exactly that", async () => {
    const store = new MemoryDocumentStore();
    await store.append("doc", typeElsewhere([], 100));
    const room = new Room("doc", store, {}, await store.load("doc"), () => {});
    const viewer = client(room);
    // 30 000 keystrokes stored by another node while this one heard nothing.
    await store.append("doc", typeElsewhere(await store.load("doc"), 30_000));
    const stored = await store.load("doc");
    expect(stored.length).toBeGreaterThan(30_000);
    room.catchUp(stored);

    const expected = new Y.Doc();
    for (const u of stored) Y.applyUpdate(expected, u);
    expect(textOf(room.doc)).toBe(textOf(expected));
    expect(textOf(room.doc).match(/议/g)?.length).toBe(30_100);
    // One message carried the tail, and the client now has the same document as the store.
    expect(viewer.updates).toBe(1);
    expect(textOf(viewer.doc)).toBe(textOf(expected));
    expect(Buffer.from(Y.encodeStateVector(viewer.doc)).equals(Buffer.from(Y.encodeStateVector(expected)))).toBe(true);

    // Read again with nothing new: nothing is sent.
    room.catchUp(await store.load("doc"));
    expect(viewer.updates).toBe(1);
  });

  it("passes on a deletion another node stored, though it adds no new clock to the state vector", async () => {
    const store = new MemoryDocumentStore();
    await store.append("doc", typeElsewhere([], 120));
    const room = new Room("doc", store, {}, await store.load("doc"), () => {});
    const viewer = client(room);
    const elsewhere = new Y.Doc();
    for (const u of await store.load("doc")) Y.applyUpdate(elsewhere, u);
    const deletion: Uint8Array[] = [];
    elsewhere.on("update", (u: Uint8Array) => deletion.push(u));
    elsewhere.getXmlFragment("default").delete(0, 1); // the first paragraph: 50 characters
    await store.append("doc", deletion);

    room.catchUp(await store.load("doc"));
    expect(textOf(room.doc)).toBe(textOf(elsewhere));
    expect(viewer.updates).toBe(1);
    expect(textOf(viewer.doc)).toBe(textOf(elsewhere));
    expect(textOf(viewer.doc).match(/议/g)?.length).toBe(70);
  });
});
