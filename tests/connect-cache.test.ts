// The short cache of what opening a realtime connection reads (server/realtime/connect-cache.ts):
// a cached actor is dropped when its right changes, on this process and when the change is heard
// from another one; a refusal is never decided from it. The runtime runs in this process on a real
// port, with stock clients; changes are made in the database and announced as the domain does.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { io as ioClient, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import { rightsChanged, type RightsChange } from "~/utils/rights.server";
import { actors, forget, identities, resources, ShortCache } from "../server/realtime/connect-cache";
import { enforceRightsChanges } from "../server/realtime/rights";
import { startRuntime, type Runtime } from "../server/runtime";
import { demo } from "./fixtures/demo";
import { addParagraph, connectDoc, until } from "./fixtures/yjs-client";

let runtime: Runtime;
let server: http.Server;
let url: string;
let d: Awaited<ReturnType<typeof demo>>;
const opened: { close(): void }[] = [];

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
afterEach(() => opened.splice(0).forEach((c) => c.close()));
afterAll(async () => {
  await runtime?.stop();
  server?.close();
});

const tokenOf = async (username: string) => (await createApiToken(d.users[username]!, "test", 1)).token;

/** Opens an agenda item's document and tells whether the server takes an edit from it (stored) or refuses it (read-only). */
async function editTakes(docName: string, token: string, text: string): Promise<boolean> {
  const editor = connectDoc(url, docName, token);
  opened.push({ close: () => editor.destroy() });
  let denied = false;
  (editor.provider as unknown as { messageHandlers: unknown[] }).messageHandlers[2] = () => void (denied = true);
  await editor.synced;
  const before = await prisma.yUpdate.count({ where: { docName } });
  addParagraph(editor.doc, text);
  await until(async () => denied || (await prisma.yUpdate.count({ where: { docName } })) > before, `the edit "${text}" to be stored or refused`);
  return !denied;
}

async function follow(token: string): Promise<Socket> {
  const socket: Socket = ioClient(url, { path: "/socket.io", transports: ["websocket"], auth: { token }, forceNew: true, reconnection: false });
  opened.push(socket);
  await new Promise((r, reject) => (socket.once("connect", () => r(null)), socket.once("connect_error", reject)));
  return socket;
}
const join = (socket: Socket, sessionId: string) => new Promise<{ ok: boolean; status?: number }>((r) => socket.emit("session:join", { sessionId }, r));

describe("the connect cache", () => {
  it("keeps a seated member's actor for the next connection, and drops it once the seat ends (rightsChanged)", async () => {
    const docName = `agenda-item:${d.items[0]!.id}`;
    const token = await tokenOf("wuye");
    expect(await editTakes(docName, token, "有席位")).toBe(true);
    expect(actors.size).toBeGreaterThan(0);

    // The seat ends without telling anyone: the next connection is decided on the kept actor, as an
    // open one would be (this is the cache at work; the domain always calls rightsChanged).
    await prisma.councilSeat.updateMany({ where: { councilId: d.council.id, userId: d.users.wuye }, data: { current: false } });
    expect(await editTakes(docName, token, "缓存中的席位")).toBe(true);

    // Told: the kept actor goes, and the very next connection is read-only.
    await rightsChanged({ userId: d.users.wuye! });
    expect(await editTakes(docName, token, "席位结束后")).toBe(false);
  });

  it("a membership that ends (rightsChanged) refuses the next session:join (403), though the actor was kept", async () => {
    const token = await tokenOf("resident2");
    expect((await join(await follow(token), d.session.id)).ok).toBe(true);
    await prisma.membership.updateMany({ where: { userId: d.users.resident2, communityId: d.council.communityId }, data: { deactivatedAt: new Date() } });
    await rightsChanged({ userId: d.users.resident2! });
    const socket = await follow(token);
    expect(await join(socket, d.session.id)).toMatchObject({ ok: false, status: 403 });
  });

  it("never refuses from the cache: a membership granted without rightsChanged is seen at the next join", async () => {
    const outsider = await prisma.user.create({ data: { username: `newcomer${Date.now()}`, displayName: "新居民", passwordHash: "x" } });
    const token = (await createApiToken(outsider.id, "test", 1)).token;
    const socket = await follow(token);
    expect(await join(socket, d.session.id)).toMatchObject({ ok: false, status: 403 });
    await prisma.membership.create({ data: { userId: outsider.id, communityId: d.council.communityId, role: "resident" } });
    // Nobody called rightsChanged (a grant need not): the refusal was re-read, so the join goes through.
    expect((await join(socket, d.session.id)).ok).toBe(true);
  });

  it("drops what a change heard from another process touches, before the live connections are re-checked", async () => {
    const keep = (userId: string) => actors.get(userId, async () => ({ userId, displayName: userId, memberships: [], seats: [] }));
    await keep("u1");
    await keep("u2");
    let heard: ((change: RightsChange) => void) | undefined;
    let sizeAtRecheck = -1;
    const stop = await enforceRightsChanges(
      [
        async () => {
          sizeAtRecheck = actors.size;
        },
      ],
      { publish: () => {}, subscribe: async (handler) => void (heard = handler) },
    );
    try {
      const before = actors.size;
      heard!({ userId: "u1" }); // as the Redis subscription delivers another process's change
      await until(() => sizeAtRecheck >= 0, "the re-check to run");
      expect(sizeAtRecheck).toBe(before - 1);
      // u2 is still kept: loading it again does not call the loader.
      let loaded = false;
      await actors.get("u2", async () => ((loaded = true), null));
      expect(loaded).toBe(false);
    } finally {
      stop();
      forget({ everyone: true });
    }
    expect(identities.size + actors.size + resources.size).toBe(0);
  });
});

describe("ShortCache", () => {
  it("shares one load between concurrent askers, and does not keep a load that was in flight when something was dropped", async () => {
    const cache = new ShortCache<string, number | null>(60_000);
    let loads = 0;
    let release!: (n: number) => void;
    const slow = () => (loads++, new Promise<number>((r) => (release = r)));
    const a = cache.get("k", slow);
    const b = cache.get("k", slow);
    expect(loads).toBe(1);
    cache.drop(); // a change lands while the read is in flight
    release(1);
    expect([await a, await b]).toEqual([1, 1]);
    expect(cache.size).toBe(0);
    expect(await cache.get("k", async () => 2)).toBe(2);
    expect(await cache.get("k", async () => 3)).toBe(2); // kept now
  });

  it("keeps nothing past the entry's own end (a token's expiry), nothing null, and nothing with a TTL of 0", async () => {
    const cache = new ShortCache<string, { until: number } | null>(60_000);
    await cache.get(
      "expired",
      async () => ({ until: Date.now() - 1 }),
      (v) => v.until,
    );
    await cache.get("none", async () => null);
    expect(cache.size).toBe(0);
    const off = new ShortCache<string, number>(0);
    await off.get("k", async () => 1);
    expect(await off.get("k", async () => 2)).toBe(2);
  });
});
