// Two server processes on one database and one Redis, as a city deployment
// runs them: a document co-edited through both stays one document, and live
// events reach people connected to the other process.
import { queryRows } from "./fixtures/database";
import { io as ioClient } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrlOf, freshDbFile, startRedis, startServer, tokenFor, type RunningServer } from "./fixtures/server";
import { addParagraph, connectDoc, proseText, until } from "./fixtures/yjs-client";

let redis: Awaited<ReturnType<typeof startRedis>>;
let a: RunningServer;
let b: RunningServer;
let dbFile: string;

beforeAll(async () => {
  redis = await startRedis();
  dbFile = freshDbFile("multi");
  a = await startServer(dbFile, undefined, { REDIS_URL: redis.url });
  b = await startServer(dbFile, undefined, { REDIS_URL: redis.url });
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await redis?.stop();
});

async function firstItem(s: RunningServer, token: string) {
  const html = await (await fetch(`${s.url}/`, { headers: { Authorization: `Bearer ${token}` } })).text();
  const sessionId = html.match(/\/sessions\/([A-Za-z0-9_-]+)/)![1]!;
  const session = (await (await fetch(`${s.url}/api/v1/sessions/${sessionId}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
    agendaItems: { id: string }[];
  };
  return session.agendaItems[1]!.id;
}

describe("two processes", () => {
  it("co-edit one document: each side sees the other's edits and presence, and the database has both", async () => {
    const staff = await tokenFor(a, "staff");
    const resident = await tokenFor(b, "resident1");
    const docName = `agenda-item:${await firstItem(a, staff)}`;
    const onA = connectDoc(a.url, docName, staff);
    const onB = connectDoc(b.url, docName, resident);
    await Promise.all([onA.synced, onB.synced]);
    addParagraph(onA.doc, "从进程甲写入");
    addParagraph(onB.doc, "从进程乙写入");
    await until(() => proseText(onB.doc).includes("从进程甲写入"), "b to see a's edit");
    await until(() => proseText(onA.doc).includes("从进程乙写入"), "a to see b's edit");
    expect(proseText(onA.doc)).toBe(proseText(onB.doc));
    onA.provider.awareness.setLocalStateField("user", { name: "x" });
    await until(() => [...onB.provider.awareness.getStates().values()].some((s) => (s.user as { name?: string })?.name === "王芳"), "a's presence at b");
    onA.destroy();
    onB.destroy();

    // Whoever opens it next, on either process, gets both edits from the database.
    await new Promise((r) => setTimeout(r, 500));
    const again = connectDoc(b.url, docName, staff);
    await again.synced;
    expect(proseText(again.doc)).toContain("从进程甲写入");
    expect(proseText(again.doc)).toContain("从进程乙写入");
    again.destroy();
  });

  it("delivers a live event to a person connected to the other process", async () => {
    const r1 = await tokenFor(a, "resident1");
    const r2 = await tokenFor(b, "resident2");
    const [topic] = await queryRows<{ id: string }>(databaseUrlOf(dbFile), `SELECT "id" FROM "Topic" WHERE "title" = $1`, ["小区东门路灯不亮"]);
    const socket = ioClient(a.url, { path: "/socket.io", transports: ["websocket"], auth: { token: r1 }, forceNew: true });
    await new Promise((r) => socket.on("connect", () => r(null)));
    await new Promise((r) => socket.emit("topic:join", { topicId: topic!.id }, r));
    const heard = new Promise<{ count: number }>((r) => socket.on("topic:coSigns", r));
    await fetch(`${b.url}/api/v1/topics/${topic!.id}/co-sign`, { method: "DELETE", headers: { Authorization: `Bearer ${r2}` } });
    expect((await heard).count).toBe(1); // resident2's co-sign withdrawn on process b, heard on process a
    socket.close();
  });
});
