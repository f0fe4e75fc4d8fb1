// Durability as a user would test it: a stock y-websocket client edits, the
// server is killed without warning (SIGKILL), started again on the same
// database, and every update any client had seen is there.
import { afterEach, describe, expect, it } from "vitest";
import { queryRows } from "./fixtures/database";
import { METRICS_TOKEN, databaseUrlOf, freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";
import { addParagraph, connectDoc, proseText, until } from "./fixtures/yjs-client";

let server: RunningServer | undefined;
afterEach(async () => server?.stop());

async function firstItem(s: RunningServer, token: string): Promise<string> {
  const html = await (await fetch(`${s.url}/`, { headers: { Authorization: `Bearer ${token}` } })).text();
  const sessionId = html.match(/\/sessions\/([A-Za-z0-9_-]+)/)![1]!;
  const session = (await (await fetch(`${s.url}/api/v1/sessions/${sessionId}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
    agendaItems: { id: string }[];
  };
  return session.agendaItems[0]!.id;
}

const health = async (s: RunningServer) =>
  (await (await fetch(`${s.url}/api/v1/health`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).json()) as {
    documentsLoaded: number;
    connections: number;
  };

describe("co-edited documents", () => {
  it("lose nothing any client has seen when the server is killed with SIGKILL", async () => {
    const dbFile = freshDbFile("persistence");
    server = await startServer(dbFile);
    const [staff, resident] = [await tokenFor(server, "staff"), await tokenFor(server, "resident1")];
    const itemId = await firstItem(server, staff);
    const docName = `agenda-item:${itemId}`;

    const writer = connectDoc(server.url, docName, staff);
    const watcher = connectDoc(server.url, docName, resident);
    await Promise.all([writer.synced, watcher.synced]);
    const seeded = proseText(watcher.doc);
    expect(seeded).toContain("消防通道");

    for (let i = 0; i < 40; i++) {
      addParagraph(writer.doc, `第${i}条意见`);
      if (i % 5 === 0) await new Promise((r) => setImmediate(r));
    }
    // The watcher sees the last edit only after the server has stored it.
    await until(() => proseText(watcher.doc).includes("第39条意见"), "the watcher to see every edit");
    await server.kill9();
    writer.destroy();
    watcher.destroy();

    server = await startServer(dbFile);
    const reader = connectDoc(server.url, docName, await tokenFor(server, "observer"));
    await reader.synced;
    const text = proseText(reader.doc);
    expect(text.startsWith(seeded)).toBe(true);
    for (let i = 0; i < 40; i++) expect(text).toContain(`第${i}条意见`);
    expect(text.split("\n").filter((l) => l.includes("条意见"))).toHaveLength(40);
    reader.destroy();

    // When its last client leaves, the document is compacted and unloaded, and the rendered copy is current.
    await until(async () => (await health(server!)).documentsLoaded === 0, "the document to unload");
    // The unload's compaction finishes a moment after the room leaves the count (and later on a busy PostgreSQL).
    const pending = async () =>
      (await queryRows<{ n: number }>(databaseUrlOf(dbFile), `SELECT CAST(COUNT(*) AS INTEGER) AS "n" FROM "YUpdate" WHERE "docName" = $1`, [docName]))[0]!.n;
    await until(async () => (await pending()) === 0, "the unloaded document to be compacted");
    const [item] = await queryRows<{ contentText: string }>(databaseUrlOf(dbFile), `SELECT "contentText" FROM "AgendaItem" WHERE "id" = $1`, [itemId]);
    expect(item!.contentText).toContain("第39条意见");
  });

  it("does not let a read-only member change the text", async () => {
    server = await startServer(freshDbFile("readonly"));
    const staff = await tokenFor(server, "staff");
    const docName = `agenda-item:${await firstItem(server, staff)}`;
    const observer = connectDoc(server.url, docName, await tokenFor(server, "observer"));
    const member = connectDoc(server.url, docName, staff);
    await Promise.all([observer.synced, member.synced]);
    addParagraph(observer.doc, "列席者试图修改");
    addParagraph(member.doc, "成员的修改");
    await until(() => proseText(observer.doc).includes("成员的修改"), "the member's edit to reach the observer");
    observer.destroy();
    member.destroy();
    await until(async () => (await health(server!)).documentsLoaded === 0, "the document to unload");
    const check = connectDoc(server.url, docName, staff);
    await check.synced;
    expect(proseText(check.doc)).toContain("成员的修改");
    expect(proseText(check.doc)).not.toContain("列席者试图修改");
    check.destroy();
  });

  it("shows each person's own name and a colour of their own in presence, whatever the client claims", async () => {
    server = await startServer(freshDbFile("presence"));
    const staff = await tokenFor(server, "staff");
    const docName = `agenda-item:${await firstItem(server, staff)}`;
    const a = connectDoc(server.url, docName, staff);
    const b = connectDoc(server.url, docName, await tokenFor(server, "resident1"));
    await Promise.all([a.synced, b.synced]);
    a.provider.awareness.setLocalStateField("user", { name: "冒充者", color: "#000" });
    await until(() => [...b.provider.awareness.getStates().values()].some((s) => (s.user as { name?: string })?.name === "王芳"), "staff's presence at b");
    const names = [...b.provider.awareness.getStates().values()].map((s) => (s.user as { name?: string })?.name);
    expect(names).not.toContain("冒充者");
    b.provider.awareness.setLocalStateField("user", { name: "随便", color: "#000" });
    const c = connectDoc(server.url, docName, await tokenFor(server, "observer"));
    await c.synced;
    const seenByC = () =>
      [...c.provider.awareness.getStates().values()].map((s) => s.user as { name: string; color: string } | undefined).filter((u) => u?.name);
    await until(() => seenByC().length === 2, "both presences at c");
    expect(
      seenByC()
        .map((u) => u!.name)
        .sort(),
    ).toEqual(["刘建国", "王芳"].sort());
    expect(new Set(seenByC().map((u) => u!.color)).size).toBe(2); // two people never share a caret colour
    c.destroy();
    a.destroy();
    b.destroy();
  });
});
