// The realtime layer re-checks live connections when the domain says a right
// changed, here for the changes that have no page yet (a seat or a membership
// taken away by staff, issue 11): the runtime runs in this process on a real
// port, with stock clients, and the change is made in the database and
// announced the way the domain does it (rightsChanged).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { io as ioClient, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import { rightsChanged } from "~/utils/rights.server";
import { startRuntime, type Runtime } from "../server/runtime";
import { demo } from "./fixtures/demo";
import { addParagraph, connectDoc, proseText, until } from "./fixtures/yjs-client";

let runtime: Runtime;
let server: http.Server;
let url: string;
let d: Awaited<ReturnType<typeof demo>>;

beforeAll(async () => {
  runtime = await startRuntime();
  d = await demo();
  server = http.createServer((req, res) => {
    if (!runtime.handleRequest(req, res)) res.writeHead(404).end();
  });
  server.on("upgrade", (req, socket, head) => {
    if (!runtime.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await runtime?.stop();
  server?.close();
});

const tokenOf = async (username: string) => (await createApiToken(d.users[username]!, "test", 1)).token;

describe("a right taken away while connected", () => {
  it("an unseated member's open editor becomes read-only; their edits are refused and stored nowhere", async () => {
    const item = d.items[2]!;
    const docName = `agenda-item:${item.id}`;
    const editor = connectDoc(url, docName, await tokenOf("grid1"));
    const handlers = (editor.provider as unknown as { messageHandlers: unknown[] }).messageHandlers;
    let denied = false;
    handlers[2] = () => void (denied = true);
    await editor.synced;
    addParagraph(editor.doc, "有席位时的修改");
    await until(async () => (await prisma.yUpdate.count({ where: { docName } })) > 0, "the seated edit to be stored");

    await prisma.councilSeat.deleteMany({ where: { councilId: d.council.id, userId: d.users.grid1 } });
    rightsChanged({ userId: d.users.grid1! });
    await until(() => denied, "grid1 to be told the document is read-only");
    const stored = await prisma.yUpdate.count({ where: { docName } });
    addParagraph(editor.doc, "失去席位后的修改");
    await new Promise((r) => setTimeout(r, 500));
    expect(await prisma.yUpdate.count({ where: { docName } })).toBe(stored);

    const reader = connectDoc(url, docName, await tokenOf("staff"));
    await reader.synced;
    expect(proseText(reader.doc)).toContain("有席位时的修改");
    expect(proseText(reader.doc)).not.toContain("失去席位后的修改");
    editor.destroy();
    reader.destroy();
  });

  it("a person removed from the community is closed out of its documents (4403) and leaves its Socket.IO rooms", async () => {
    const item = d.items[1]!;
    const token = await tokenOf("resident3");
    const doc = connectDoc(url, `agenda-item:${item.id}`, token);
    await doc.synced;
    const closed = new Promise<number>((r) => doc.provider.on("connection-close", (e: { code: number } | null) => e && r(e.code)));
    const socket: Socket = ioClient(url, { path: "/socket.io", transports: ["websocket"], auth: { token }, forceNew: true, reconnection: false });
    await new Promise((r) => socket.on("connect", () => r(null)));
    const joined = await new Promise<{ ok: boolean }>((r) => socket.emit("session:join", { sessionId: d.session.id }, r));
    expect(joined.ok).toBe(true);
    const left = new Promise<{ room: string; status: number }>((r) => socket.on("rights:left", r));
    let states = 0;
    socket.on("session:state", () => states++);

    await prisma.membership.deleteMany({ where: { userId: d.users.resident3, communityId: d.council.communityId } });
    rightsChanged({ userId: d.users.resident3! });
    expect(await closed).toBe(4403);
    expect(await left).toEqual({ room: `session:${d.session.id}`, status: 403, key: "errors.forbidden" });
    // No longer in the room: the session's next pushes don't reach them.
    const staff = await tokenOf("staff");
    const chair: Socket = ioClient(url, { path: "/socket.io", transports: ["websocket"], auth: { token: staff }, forceNew: true, reconnection: false });
    await new Promise((r) => chair.on("connect", () => r(null)));
    const reply = await new Promise<{ ok: boolean }>((r) => chair.emit("session:checkIn", { sessionId: d.session.id, userId: d.users.resident1 }, r));
    expect(reply.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(states).toBe(0);
    doc.destroy();
    socket.close();
    chair.close();
  });
});
