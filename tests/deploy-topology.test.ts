// deploy/docker-compose.yml's topology, run by hand from the production build, since no
// container engine runs on the build machines (tests/fixtures/topology.ts: PostgreSQL, Redis,
// the one-shot migration, two nodes with Compose's environment, Caddy on deploy/Caddyfile).
// Through Caddy, as a browser would (cookies, Origin): sign in, the sticky cookie keeps a
// browser on one node, Socket.IO and the Yjs WebSocket work through the proxy and across
// nodes, a photo stored through one node is served by the other, and when a node is killed
// with SIGKILL its clients come back through Caddy on the other and lose nothing acknowledged.
//
// Needs `caddy` (Debian's 2.6 works; .ci/run installs it). Skipped only where caddy is absent
// on a developer's machine; in CI a missing caddy fails the test.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import https from "node:https";
import sharp from "sharp";
import { io as ioClient, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { addSeatedMembersTo } from "./fixtures/bulk";
import { queryRows } from "./fixtures/database";
import { startServer } from "./fixtures/server";
import { CADDY, caddyEnvForVersion, caddyVersion, startTopology, topologyEnabled, type Topology } from "./fixtures/topology";
import { addParagraph, proseText, until } from "./fixtures/yjs-client";

let topology: Topology | undefined;
let base: string; // https://localhost:<port>
let ca: string;
const sockets: Socket[] = [];
const docs: { destroy: () => void }[] = [];

// --- A browser's view: a cookie jar, Origin on state changes, Caddy's CA trusted. ---

type Jar = Map<string, string>;
type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };
const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

function request(jar: Jar | null, pathname: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<Reply> {
  const url = new URL(pathname, base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...init.headers };
    if (jar?.size) headers.cookie = cookieHeader(jar);
    if (init.method && init.method !== "GET") headers.origin = base;
    const req = https.request(url, { method: init.method ?? "GET", headers, ca, timeout: 20_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        for (const line of res.headers["set-cookie"] ?? []) {
          const [pair] = line.split(";");
          const eq = pair!.indexOf("=");
          jar?.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`${pathname}: timed out`)));
    req.on("error", reject);
    req.end(init.body);
  });
}

async function signIn(identifier: string): Promise<{ jar: Jar; setCookies: string[] }> {
  const jar: Jar = new Map();
  const body = new URLSearchParams({ identifier, password: "yishi2026", redirectTo: "/" }).toString();
  const res = await request(jar, "/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
  expect(res.status, res.body.toString()).toBe(302);
  expect(jar.has("yishi_session")).toBe(true);
  return { jar, setCookies: (res.headers["set-cookie"] as string[]) ?? [] };
}

/** A y-websocket client through Caddy with a browser's cookies and Origin. */
function connectDocThroughCaddy(docName: string, jar: Jar) {
  const headers = { cookie: cookieHeader(jar), origin: base };
  class BrowserWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { ca, headers });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(base.replace(/^https/, "wss") + "/yjs", docName, doc, {
    WebSocketPolyfill: BrowserWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.on("sync", (s: boolean) => s && resolve());
  });
  const handle = { doc, provider, synced, destroy: () => (provider.destroy(), doc.destroy()) };
  docs.push(handle);
  return handle;
}

function socketThroughCaddy(auth: { jar: Jar } | { token: string }, options: { polling?: boolean; reconnection?: boolean } = {}): Promise<Socket> {
  const socket = ioClient(base, {
    path: "/socket.io",
    transports: options.polling ? ["polling"] : ["websocket"],
    ca,
    forceNew: true,
    reconnection: options.reconnection ?? false,
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
    ...("jar" in auth ? { extraHeaders: { cookie: cookieHeader(auth.jar), origin: base } } : { auth: { token: auth.token } }),
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

type Ack = { ok: boolean; status?: number; error?: string; [k: string]: unknown };
const ask = (s: Socket, event: string, payload: unknown) =>
  new Promise<Ack>((resolve, reject) => s.timeout(15_000).emit(event, payload, (err: Error | null, reply: Ack) => (err ? reject(err) : resolve(reply))));
async function must(s: Socket, event: string, payload: unknown): Promise<Ack> {
  const reply = await ask(s, event, payload);
  if (!reply.ok) throw new Error(`${event}: ${reply.status} ${reply.error}`);
  return reply;
}

beforeAll(async () => {
  if (!topologyEnabled) return;
  topology = await startTopology("deploy_topology");
  if (topology.base) ({ base, ca } = topology);
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  for (const d of docs) d.destroy();
  await topology?.stop();
});

describe.skipIf(!topologyEnabled)(`the Compose topology by hand: PostgreSQL, Redis, migrate, two nodes, Caddy ${caddyVersion ?? "(missing)"}`, () => {
  it("Caddy's version reads the repository's Caddyfile as it stands", () => {
    const env = { ...process.env, YISHI_DOMAIN: "yishi.example.gov.cn", ACME_EMAIL: "ops@example.gov.cn", ...caddyEnvForVersion };
    const r = spawnSync(CADDY, ["validate", "--config", "deploy/Caddyfile", "--adapter", "caddyfile"], { env, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    // Without ACME_EMAIL (Compose refuses to start without it): a parse error, not a silent default.
    const { ACME_EMAIL: _omitted, ...withoutEmail } = env;
    const bad = spawnSync(CADDY, ["validate", "--config", "deploy/Caddyfile", "--adapter", "caddyfile"], { env: withoutEmail, encoding: "utf8" });
    expect(bad.status).not.toBe(0);
  });

  it("through Caddy over HTTPS: sign-in, sticky nodes, Socket.IO and Yjs across nodes, shared photos, a node killed with nothing acknowledged lost, then back in the pool", async () => {
    // --- migrate: the one-shot service, run twice (every `docker compose up` runs it again) ---
    const { migrations, databaseUrl, uploads, connectionsOn } = topology!;
    const [first, again] = migrations;
    expect(first!.status, first!.output).toBe(0);
    expect(first!.output).toContain("[db] applied migrations:");
    const expected = readdirSync("prisma/postgres/migrations").filter((d) => existsSync(`prisma/postgres/migrations/${d}/migration.sql`));
    const applied = await queryRows<{ migration_name: string }>(databaseUrl, `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`);
    expect(applied.map((m) => m.migration_name).sort()).toEqual(expected.sort());
    expect(again!.status, again!.output).toBe(0);
    expect(again!.output).toContain("[db] already up to date");

    // --- two app nodes; the migration had run, so they find nothing to apply ---
    const nodes = topology!.nodes;
    expect(nodes).toHaveLength(2);
    for (const n of nodes) expect(n.output()).not.toContain("[db] applied migrations");

    // --- Caddy with the real Caddyfile ---
    const health = await request(null, "/api/v1/health");
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body.toString())).toEqual({ ok: true });
    // Plain HTTP is redirected to HTTPS.
    const plain = await fetch(`http://localhost:${topology!.httpPort}/api/v1/health`, { redirect: "manual" });
    expect([301, 302, 307, 308]).toContain(plain.status);
    expect(plain.headers.get("location")).toMatch(/^https:\/\/localhost/);

    // --- sign in through Caddy: the session cookie (Secure, as COOKIE_SECURE=always) and Caddy's node cookie ---
    const staff = await signIn("staff");
    expect(staff.setCookies.find((c) => c.startsWith("yishi_session="))).toMatch(/;\s*Secure/i);
    expect(staff.jar.get("yishi_node")).toMatch(/^[0-9a-f]{16,}$/);
    const home = (await request(staff.jar, "/")).body.toString();
    expect(home).toContain("王芳");
    const sessionId = home.match(/\/sessions\/([A-Za-z0-9_-]+)/)![1]!;
    // A second browser, pinned to the other node: sign in, and if Caddy's first pick was the same
    // node, drop its node cookie and let Caddy pick again (as a new browser would be).
    const resident = await signIn("resident1");
    for (let i = 0; resident.jar.get("yishi_node") === staff.jar.get("yishi_node"); i++) {
      expect(i, "Caddy never picked the other node").toBeLessThan(40);
      resident.jar.delete("yishi_node");
      await request(resident.jar, "/api/v1/health");
    }
    // Sticky: the cookie, once given, is kept (Caddy does not hand out another).
    for (let i = 0; i < 5; i++) {
      const before = staff.jar.get("yishi_node");
      await request(staff.jar, "/api/v1/me");
      expect(staff.jar.get("yishi_node")).toBe(before);
    }

    // --- Yjs through Caddy: each browser's WebSocket lands on its cookie's node ---
    const items = await queryRows<{ id: string }>(databaseUrl, `SELECT "id" FROM "AgendaItem" WHERE "sessionId" = $1 ORDER BY "position"`, [sessionId]);
    const docName = `agenda-item:${items[1]!.id}`;
    const onStaff = connectDocThroughCaddy(docName, staff.jar);
    await onStaff.synced;
    await until(async () => (await Promise.all(nodes.map(connectionsOn))).reduce((a, b) => a + b, 0) === 1, "the first Yjs connection counted");
    const staffNode = (await connectionsOn(nodes[0]!)) === 1 ? nodes[0]! : nodes[1]!;
    const otherNode = staffNode === nodes[0] ? nodes[1]! : nodes[0]!;
    const onResident = connectDocThroughCaddy(docName, resident.jar);
    await onResident.synced;
    await until(async () => (await connectionsOn(otherNode)) === 1, "the second browser's Yjs connection on the other node");
    expect(await connectionsOn(staffNode)).toBe(1);
    // A second WebSocket of the same browser keeps to the same node.
    const staffAgain = connectDocThroughCaddy(docName, staff.jar);
    await staffAgain.synced;
    await until(async () => (await connectionsOn(staffNode)) === 2, "the staff browser's second WebSocket on its node");
    expect(await connectionsOn(otherNode)).toBe(1);
    staffAgain.destroy();
    // Edits made through Caddy on one node reach the connection pinned to the other, both ways.
    addParagraph(onStaff.doc, "经代理甲节点写入");
    addParagraph(onResident.doc, "经代理乙节点写入");
    await until(
      () => proseText(onResident.doc).includes("经代理甲节点写入") && proseText(onStaff.doc).includes("经代理乙节点写入"),
      "each node's edit on the other",
    );

    // --- Socket.IO long-polling (many HTTP requests, one engine.io session) works only if sticky ---
    for (const jar of [staff.jar, resident.jar]) {
      const polling = await socketThroughCaddy({ jar }, { polling: true });
      for (let i = 0; i < 6; i++) await must(polling, "session:join", { sessionId });
      expect(polling.io.engine.transport.name).toBe("polling");
      polling.disconnect();
    }

    // --- a photo stored through one node is served by the other (the shared `files` volume) ---
    const png = await sharp({ create: { width: 240, height: 160, channels: 3, background: "#a33" } })
      .png()
      .toBuffer();
    const form = new FormData();
    form.set("title", "经代理上传的照片");
    form.set("description", "楼道灯坏了，晚上看不见。");
    form.set("category", "facilities");
    form.append("photos", new File([new Uint8Array(png)], "lamp.png", { type: "image/png" }));
    const multipart = new Response(form);
    const raised = await request(resident.jar, "/api/v1/communities/xingfuli/topics", {
      method: "POST",
      headers: { "content-type": multipart.headers.get("content-type")!, "accept-language": "en" },
      body: Buffer.from(await multipart.arrayBuffer()),
    });
    expect(raised.status, raised.body.toString()).toBe(200);
    const topicId = (JSON.parse(raised.body.toString()) as { id: string }).id;
    const detail = JSON.parse((await request(staff.jar, `/api/v1/topics/${topicId}`)).body.toString()) as { photos: { url: string }[] };
    expect(detail.photos).toHaveLength(1);
    const onOther = await request(staff.jar, detail.photos[0]!.url);
    expect(onOther.status).toBe(200);
    expect(onOther.headers["content-type"]).toBe("image/webp");
    const onUploader = await request(resident.jar, detail.photos[0]!.url);
    expect(onUploader.body.equals(onOther.body)).toBe(true);
    expect(readdirSync(uploads, { recursive: true }).length).toBeGreaterThan(0);

    // --- a vote through Caddy: the chair's browser (cookie), members' phones (tokens) ---
    const seated = await addSeatedMembersTo(databaseUrl, 8, "caddy");
    const members = seated.slice(0, 4);
    const chair = await socketThroughCaddy({ jar: staff.jar }, { reconnection: true });
    await must(chair, "session:join", { sessionId });
    const phones = await Promise.all(members.map((m) => socketThroughCaddy({ token: m.token }, { reconnection: true })));
    await Promise.all(phones.map((s) => must(s, "session:join", { sessionId })));
    const heard: number[] = [];
    phones[3]!.on("vote:tally", (t: { cast: number }) => heard.push(t.cast));
    // The resident's browser, pinned to the other node by its cookie, hears what the chair does on the staff node.
    const residentScreen = await socketThroughCaddy({ jar: resident.jar });
    await must(residentScreen, "session:join", { sessionId });
    const residentHeard: number[] = [];
    residentScreen.on("vote:tally", (t: { cast: number }) => residentHeard.push(t.cast));
    const residentClosed = new Promise<{ result: { counts: Record<string, number> } }>((r) => residentScreen.once("vote:closed", r));
    await must(chair, "session:open", { sessionId });
    for (const m of seated) await must(chair, "session:checkIn", { sessionId, userId: m.userId });
    await must(chair, "session:openItem", { sessionId, itemId: items[1]!.id });
    const { id: motionId } = (await must(chair, "motion:propose", {
      sessionId,
      agendaItemId: items[1]!.id,
      text: "经代理表决",
      options: ["赞成", "反对"],
      ballot: "open",
      passRule: "majorityPresent",
    })) as unknown as { id: string };
    await must(phones[0]!, "motion:second", { motionId });
    await must(chair, "vote:open", { motionId });
    const ballots = members.map(() => ({ clientBallotId: randomBytes(9).toString("base64url"), seq: Date.now() }));
    await Promise.all([0, 1].map((i) => must(phones[i]!, "vote:cast", { motionId, ...ballots[i], choice: "赞成" })));
    await until(() => heard.includes(2), "two acknowledged ballots in the tally a phone hears");
    await until(() => residentHeard.includes(2), "the tally on the resident's browser, on the other node");

    // --- the staff browser's node dies (SIGKILL) mid-session ---
    addParagraph(onResident.doc, "杀死前最后一句");
    await until(() => proseText(onStaff.doc).includes("杀死前最后一句"), "the last edit seen through the doomed node");
    const seen = proseText(onStaff.doc);
    const deadNodeCookie = staff.jar.get("yishi_node")!;
    await staffNode.kill9();

    // The browser's clients reconnect through Caddy (same URL, same cookies) and land on the survivor.
    await until(() => onStaff.provider.wsconnected && onStaff.provider.synced, "the staff browser's Yjs client back through Caddy", 30_000);
    await until(async () => (await connectionsOn(otherNode)) === 2, "both browsers' Yjs connections on the surviving node", 30_000);
    await until(() => chair.connected, "the chair's Socket.IO back through Caddy", 30_000);
    await until(() => phones.every((p) => p.connected), "every phone back through Caddy", 30_000);
    // A browser whose node cookie names the dead node is served by the other one.
    expect((await request(staff.jar, "/api/v1/health")).status).toBe(200);

    // Nothing acknowledged is lost: a resent ballot counts once, the others count, the tally is whole.
    await must(chair, "session:join", { sessionId });
    const resent = await ask(phones[0]!, "vote:cast", { motionId, ...ballots[0], choice: "赞成" });
    expect(resent.ok).toBe(true);
    await Promise.all([2, 3].map((i) => must(phones[i]!, "vote:cast", { motionId, ...ballots[i], choice: i === 2 ? "赞成" : "反对" })));
    const result = (await must(chair, "vote:close", { motionId })) as unknown as { counts: Record<string, number> };
    expect(result.counts).toEqual({ 赞成: 3, 反对: 1 });
    expect((await residentClosed).result.counts).toEqual({ 赞成: 3, 反对: 1 });
    expect(residentScreen.connected).toBe(true); // its node lived: never disconnected

    // Every edit the dead node's client had seen is there, and co-editing goes on through Caddy.
    for (const line of ["经代理甲节点写入", "经代理乙节点写入", "杀死前最后一句"]) expect(proseText(onStaff.doc)).toContain(line);
    addParagraph(onStaff.doc, "杀死后继续");
    await until(() => proseText(onResident.doc).includes("杀死后继续"), "an edit after the kill reaching the other browser");
    const reopened = connectDocThroughCaddy(docName, staff.jar);
    await reopened.synced;
    expect(proseText(reopened.doc).length).toBeGreaterThanOrEqual(seen.length);
    for (const line of ["经代理甲节点写入", "经代理乙节点写入", "杀死前最后一句", "杀死后继续"]) expect(proseText(reopened.doc)).toContain(line);
    // The photo is still served (by the survivor, from the shared volume).
    expect((await request(staff.jar, detail.photos[0]!.url)).status).toBe(200);
    // New browsers (no node cookie) are all served while one node is down.
    for (let i = 0; i < 6; i++) expect((await request(null, "/api/v1/health")).status).toBe(200);

    // --- the dead node comes back (a container restarted on its address) ---
    // Caddy's health check returns it to the pool, and a browser whose cookie names it is led
    // there again (its Yjs connection counted on the restarted node), with the document whole.
    const restarted = await startServer(databaseUrl, staffNode.port, topology!.nodeEnv);
    nodes.push(restarted);
    const backJar: Jar = new Map([...staff.jar, ["yishi_node", deadNodeCookie]]);
    await until(
      async () => {
        const probe = connectDocThroughCaddy(docName, backJar);
        await probe.synced;
        const there = (await connectionsOn(restarted)) === 1;
        if (there) for (const line of ["杀死前最后一句", "杀死后继续"]) expect(proseText(probe.doc)).toContain(line);
        probe.destroy();
        if (!there) await new Promise((r) => setTimeout(r, 1000));
        return there;
      },
      "the restarted node back in Caddy's pool, reached by its cookie",
      60_000,
    );
  }, 240_000);
});
