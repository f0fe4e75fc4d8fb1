// Rights that change take effect on connections already open (issue 8): a
// stock y-websocket client that connected while it could edit, and a Socket.IO
// client that connected while signed in, are re-checked the moment the session
// adjourns, the item leaves the agenda, or the person signs out — on the
// process that made the change and on another process sharing Redis.
import { queryRows } from "./fixtures/database";
import { io as ioClient, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrlOf, freshDbFile, startRedis, startServer, tokenFor, type RunningServer } from "./fixtures/server";
import { addParagraph, connectDoc, proseText, until } from "./fixtures/yjs-client";

let redis: Awaited<ReturnType<typeof startRedis>>;
let a: RunningServer;
let b: RunningServer;
let staff: string;
let sessionId: string;

beforeAll(async () => {
  redis = await startRedis();
  const dbFile = freshDbFile("rights");
  a = await startServer(dbFile, undefined, { REDIS_URL: redis.url });
  b = await startServer(dbFile, undefined, { REDIS_URL: redis.url });
  staff = await tokenFor(a, "staff");
  const html = await (await fetch(`${a.url}/`, { headers: { Authorization: `Bearer ${staff}` } })).text();
  sessionId = html.match(/\/sessions\/([A-Za-z0-9_-]+)/)![1]!;
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await redis?.stop();
});

const api = (s: RunningServer, token: string, path: string, body?: unknown, method = body === undefined ? "GET" : "POST") =>
  fetch(`${s.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function items(): Promise<{ id: string; title: string }[]> {
  return ((await (await api(a, staff, `/api/v1/sessions/${sessionId}`)).json()) as { agendaItems: { id: string; title: string }[] }).agendaItems;
}

function closeOf(doc: ReturnType<typeof connectDoc>): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    doc.provider.on("connection-close", (event: { code: number; reason: string } | null) => {
      if (event) resolve({ code: event.code, reason: String(event.reason) });
    }),
  );
}

/** Whether the server answered with y-protocols' permission-denied (the stock client logs it). */
function deniedOf(doc: ReturnType<typeof connectDoc>): { denied: boolean } {
  const seen = { denied: false };
  // y-websocket keeps its handlers per provider: index 2 is the auth message.
  const handlers = (doc.provider as unknown as { messageHandlers: unknown[] }).messageHandlers;
  handlers[2] = () => void (seen.denied = true);
  return seen;
}

/** Updates stored for an item's document beside its snapshot (compaction only ever lowers it). */
async function storedUpdates(s: RunningServer, itemId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(databaseUrlOf(s.dbFile), `SELECT CAST(COUNT(*) AS INTEGER) AS "n" FROM "YUpdate" WHERE "docName" = $1`, [
    `agenda-item:${itemId}`,
  ]);
  return row!.n;
}

describe("rights that change reach open connections", () => {
  it("removing an agenda item closes its open editors with 4404 and logs no storage error", async () => {
    const res = await api(a, staff, `/api/v1/sessions/${sessionId}/agenda`, { title: "临时议程项：楼道堆物", text: "待删除" });
    expect(res.status).toBe(200);
    const itemId = (await items()).find((i) => i.title === "临时议程项：楼道堆物")!.id;
    const onA = connectDoc(a.url, `agenda-item:${itemId}`, staff);
    const onB = connectDoc(b.url, `agenda-item:${itemId}`, await tokenFor(b, "secretary"));
    await Promise.all([onA.synced, onB.synced]);
    const [closedA, closedB] = [closeOf(onA), closeOf(onB)];

    expect((await api(a, staff, `/api/v1/sessions/${sessionId}/agenda/${itemId}`, undefined, "DELETE")).status).toBe(200);
    expect((await closedA).code).toBe(4404);
    expect((await closedB).code).toBe(4404); // the other process heard it through Redis
    addParagraph(onB.doc, "删除之后的编辑");
    await new Promise((r) => setTimeout(r, 300));
    onA.destroy();
    onB.destroy();
    expect(a.output() + b.output()).not.toMatch(/storing agenda-item:\S+ failed|Foreign key|P2003/);
  });

  it("adjourning makes open editors read-only on both processes: later edits are refused and stored nowhere", async () => {
    const itemId = (await items())[0]!.id;
    const resident = await tokenFor(b, "resident1");
    const editor = connectDoc(b.url, `agenda-item:${itemId}`, resident); // on the other process
    const sameProcess = connectDoc(a.url, `agenda-item:${itemId}`, staff);
    const denied = deniedOf(editor);
    const deniedToo = deniedOf(sameProcess);
    await Promise.all([editor.synced, sameProcess.synced]);
    addParagraph(editor.doc, "休会前的修改");
    await until(
      async () => (await (await api(a, staff, `/api/v1/agenda-items/${itemId}`)).text()).includes("休会前的修改"),
      "the edit before adjournment to be stored",
    );

    expect((await api(a, staff, "/api/v1/live/session:open", { sessionId })).status).toBe(200);
    expect((await api(a, staff, "/api/v1/live/session:adjourn", { sessionId })).status).toBe(200);
    await until(() => denied.denied && deniedToo.denied, "both editors to be told they are read-only");

    const before = await storedUpdates(a, itemId);
    addParagraph(editor.doc, "休会后的修改");
    addParagraph(sameProcess.doc, "休会后主持人的修改");
    await new Promise((r) => setTimeout(r, 800));
    expect(await storedUpdates(a, itemId)).toBe(before);
    const item = (await (await api(a, staff, `/api/v1/agenda-items/${itemId}`)).json()) as { text: string; canEdit: boolean };
    expect(item.canEdit).toBe(false);
    expect(item.text).not.toContain("休会后");
    // Nobody else was sent the refused edits either.
    const reader = connectDoc(a.url, `agenda-item:${itemId}`, staff);
    await reader.synced;
    expect(proseText(reader.doc)).toContain("休会前的修改");
    expect(proseText(reader.doc)).not.toContain("休会后");
    for (const d of [editor, sameProcess, reader]) d.destroy();
  });

  it("signing out closes that browser's Yjs connection (4401) and Socket.IO connection, on every process, and no other", async () => {
    // A browser session: the cookie from signing in on the page.
    const signIn = await fetch(`${a.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: a.url },
      body: new URLSearchParams({ identifier: "resident2", password: "yishi2026", redirectTo: "/" }),
    });
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    expect(cookie).toMatch(/^yishi_session=/);
    const itemId = (await items())[1]!.id;
    const doc = connectDoc(b.url, `agenda-item:${itemId}`);
    // The stock client in Node cannot set a cookie; reconnect it with one.
    doc.provider.disconnect();
    (doc.provider as unknown as { _WS: unknown })._WS = class extends (await import("ws")).default {
      constructor(url: string) {
        super(url, { headers: { Cookie: cookie, Origin: b.url } });
      }
    };
    doc.provider.connect();
    await doc.synced;
    const closed = closeOf(doc);
    const socket: Socket = ioClient(b.url, {
      path: "/socket.io",
      transports: ["websocket"],
      extraHeaders: { Cookie: cookie, Origin: b.url },
      forceNew: true,
      reconnection: false,
    });
    await new Promise((r) => socket.on("connect", () => r(null)));
    const revoked = new Promise<{ status: number; key: string }>((r) => socket.on("rights:revoked", r));
    const disconnected = new Promise<string>((r) => socket.on("disconnect", r));
    // Another session of someone else stays connected.
    const bystander = connectDoc(b.url, `agenda-item:${itemId}`, await tokenFor(b, "resident1"));
    await bystander.synced;
    let bystanderClosed = false;
    bystander.provider.on("connection-close", () => (bystanderClosed = true));

    const out = await fetch(`${a.url}/logout`, { method: "POST", redirect: "manual", headers: { Cookie: cookie, Origin: a.url } });
    expect(out.status).toBe(302);
    expect((await closed).code).toBe(4401);
    expect(await revoked).toMatchObject({ status: 401, key: "errors.signedOut" });
    expect(await disconnected).toBe("io server disconnect");
    expect(bystanderClosed).toBe(false);
    doc.destroy();
    bystander.destroy();
  });
});
