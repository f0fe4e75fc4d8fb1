// The real server process: upgrade routing, who may connect, the JSON API.
import { io as ioClient } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";
import { tryUpgrade } from "./fixtures/yjs-client";

let server: RunningServer;
let ws: string;
let session: { id: string; agendaItems: { id: string; title: string }[] };
let staffToken: string;

beforeAll(async () => {
  server = await startServer(freshDbFile("server"));
  ws = server.url.replace("http", "ws");
  staffToken = await tokenFor(server, "staff");
  const me = await (await fetch(`${server.url}/`, { headers: { Authorization: `Bearer ${staffToken}` } })).text();
  const sessionId = me.match(/\/sessions\/([A-Za-z0-9_-]+)/)![1]!;
  session = (await (
    await fetch(`${server.url}/api/v1/sessions/${sessionId}`, { headers: { Authorization: `Bearer ${staffToken}` } })
  ).json()) as typeof session;
});
afterAll(() => server?.stop());

describe("WebSocket upgrades", () => {
  it("refuses an unknown path", async () => {
    const answer = await tryUpgrade(`${ws}/nope`);
    expect(answer.status).toBe(404);
  });

  it("refuses anonymous Yjs connections before sending anything", async () => {
    const answer = await tryUpgrade(`${ws}/yjs/agenda-item:${session.agendaItems[0]!.id}`);
    expect(answer).toMatchObject({ status: 401 });
  });

  it("refuses a signed-in user without rights to the document", async () => {
    const outsider = await tokenFor(server, "outsider");
    expect(await tryUpgrade(`${ws}/yjs/agenda-item:${session.agendaItems[0]!.id}?token=${outsider}`)).toMatchObject({ status: 403 });
  });

  it("answers 404 for a document that does not exist and 401 for a bad token", async () => {
    expect(await tryUpgrade(`${ws}/yjs/agenda-item:missing?token=${staffToken}`)).toMatchObject({ status: 404 });
    expect(await tryUpgrade(`${ws}/yjs/agenda-item:${session.agendaItems[0]!.id}?token=yst_forged`)).toMatchObject({ status: 401 });
  });

  it("accepts a member with a token, in the header or the query", async () => {
    const url = `${ws}/yjs/agenda-item:${session.agendaItems[0]!.id}`;
    expect(await tryUpgrade(`${url}?token=${staffToken}`)).toEqual({ status: 101 });
    expect(await tryUpgrade(url, { Authorization: `Bearer ${staffToken}` })).toEqual({ status: 101 });
  });

  it("accepts the browser's session cookie", async () => {
    const res = await fetch(`${server.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ identifier: "13800000006", password: "yishi2026" }),
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    const cookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith("yishi_session="))!
      .split(";")[0]!;
    expect(await tryUpgrade(`${ws}/yjs/agenda-item:${session.agendaItems[0]!.id}`, { Cookie: cookie })).toEqual({ status: 101 });
  });
});

describe("Socket.IO", () => {
  const connect = (auth?: { token: string }) =>
    ioClient(server.url, { path: "/socket.io", transports: ["websocket"], auth, reconnection: false, forceNew: true });

  it("refuses a connection without credentials", async () => {
    const socket = connect();
    const error = await new Promise<Error>((resolve) => socket.on("connect_error", resolve));
    expect(error.message).toMatch(/unauthorized/);
    socket.close();
  });

  it("validates event payloads and checks rights to follow a session", async () => {
    const socket = connect({ token: staffToken });
    await new Promise((resolve) => socket.on("connect", () => resolve(null)));
    const ask = (payload: unknown) => new Promise<{ ok: boolean; status?: number; error?: string }>((resolve) => socket.emit("session:join", payload, resolve));
    expect(await ask({ sessionId: 42 })).toMatchObject({ ok: false, status: 400 });
    expect(await ask({ sessionId: session.id, extra: 1 })).toMatchObject({ ok: false, status: 400 });
    expect(await ask({ sessionId: "nosuchsession" })).toMatchObject({ ok: false, status: 404 });
    const viewers = new Promise<{ viewers: { name: string }[] }>((resolve) => socket.on("session:viewers", resolve));
    expect(await ask({ sessionId: session.id })).toMatchObject({ ok: true, state: { sessionId: session.id } });
    expect((await viewers).viewers.map((v) => v.name)).toContain("王芳");
    socket.close();

    const outsider = connect({ token: await tokenFor(server, "outsider") });
    await new Promise((resolve) => outsider.on("connect", () => resolve(null)));
    const denied = await new Promise((resolve) => outsider.emit("session:join", { sessionId: session.id }, resolve));
    expect(denied).toMatchObject({ ok: false, status: 403 });
    outsider.close();
  });
});

describe("JSON API", () => {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it("gives tokens for good credentials only, with clear errors", async () => {
    const wrong = await post("/api/v1/auth/token", { identifier: "staff", password: "nope" }, { "Accept-Language": "en" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await wrong.json()).toEqual({
      type: "urn:yishi:problem:login.failed",
      title: "Unauthorized",
      status: 401,
      key: "login.failed",
      detail: "Wrong phone number, username or password.",
      message: "Wrong phone number, username or password.",
    });
    const missing = await post("/api/v1/auth/token", { identifier: "staff" }, { "Accept-Language": "en" });
    expect(missing.status).toBe(400);
    const missingBody = (await missing.json()) as { key: string; field: string; issues: { path: string; key: string; message: string }[] };
    expect(missingBody).toMatchObject({ key: "errors.invalidRequest", field: "password" });
    expect(missingBody.issues[0]).toEqual({ path: "password", key: "errors.passwordRequired", message: "Enter your password." });
    const malformed = await post("/api/v1/auth/token", "{not json");
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ status: 400, key: "errors.bodyNotJson" });
    const zh = await post("/api/v1/auth/token", { identifier: "staff", password: "nope" });
    expect(((await zh.json()) as { detail: string }).detail).toBe("手机号/用户名或密码不正确。");
  });

  it("locks an account name after repeated failed sign-ins from one address, without touching other accounts", async () => {
    for (let i = 0; i < 8; i++) expect((await post("/api/v1/auth/token", { identifier: "resident3", password: `guess-${i}` })).status).toBe(401);
    const locked = await post("/api/v1/auth/token", { identifier: "resident3", password: "yishi2026" }, { "Accept-Language": "en" });
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ status: 429, key: "errors.tooManyAttempts", detail: expect.stringMatching(/Too many failed sign-ins/) });
    const page = await fetch(`${server.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ identifier: "resident3", password: "yishi2026" }),
      redirect: "manual",
    });
    expect(page.status).toBe(429); // the form comes back with the message and Retry-After, no session cookie
    expect(page.headers.get("retry-after")).toBeTruthy();
    expect(page.headers.getSetCookie().some((c) => c.startsWith("yishi_session="))).toBe(false);
    expect((await post("/api/v1/auth/token", { identifier: "13800000007", password: "yishi2026" })).status).toBe(200);
  });

  it("needs authentication, checks permissions and says 404 in JSON for unknown paths", async () => {
    expect((await fetch(`${server.url}/api/v1/me`)).status).toBe(401);
    const me = (await (await fetch(`${server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${staffToken}` } })).json()) as {
      username: string;
      seats: unknown[];
    };
    expect(me.username).toBe("staff");
    expect(me.seats).toHaveLength(1);
    const outsider = await tokenFor(server, "outsider");
    expect((await fetch(`${server.url}/api/v1/sessions/${session.id}`, { headers: { Authorization: `Bearer ${outsider}` } })).status).toBe(403);
    expect((await fetch(`${server.url}/api/v1/sessions/bad!id`, { headers: { Authorization: `Bearer ${staffToken}` } })).status).toBe(400);
    const unknown = await fetch(`${server.url}/api/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toMatch(/json/);
    expect((await fetch(`${server.url}/api/v1/me`, { method: "POST", headers: { Authorization: `Bearer ${staffToken}` } })).status).toBe(405);
  });

  it("serves an OpenAPI 3 document generated from the request schemas", async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: { content: { "application/json": { schema: { required: string[] } } } } }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/auth/token", "/api/v1/sessions/{sessionId}", "/api/v1/communities/{slug}/invites"]),
    );
    expect(doc.paths["/api/v1/auth/token"]!.post!.requestBody!.content["application/json"].schema.required).toEqual(["identifier", "password"]);
  });

  it("invites: staff create a link, a newcomer signs up once, and the link is then used up", async () => {
    const resident = await tokenFor(server, "resident1");
    expect((await post("/api/v1/communities/xingfuli/invites", { role: "resident" }, { Authorization: `Bearer ${resident}` })).status).toBe(403);
    const badRole = await post("/api/v1/communities/xingfuli/invites", { role: "king" }, { Authorization: `Bearer ${staffToken}` });
    expect(badRole.status).toBe(400);
    const created = (await (
      await post("/api/v1/communities/xingfuli/invites", { role: "ownersCommittee" }, { Authorization: `Bearer ${staffToken}` })
    ).json()) as { token: string };
    const weak = await post(`/api/v1/invites/${created.token}/accept`, { displayName: "新成员", username: "newbie", password: "short" });
    expect(weak.status).toBe(400);
    const ok = await post(`/api/v1/invites/${created.token}/accept`, { displayName: "新成员", username: "newbie", password: "long enough 1" });
    expect(ok.status).toBe(200);
    const again = await post(`/api/v1/invites/${created.token}/accept`, { displayName: "又一个", username: "newbie2", password: "long enough 2" });
    expect(again.status).toBe(410);
    const token = await tokenFor(server, "newbie", "long enough 1");
    const me = (await (await fetch(`${server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      memberships: { role: string }[];
    };
    expect(me.memberships.map((m) => m.role)).toEqual(["ownersCommittee"]);
  });
});

describe("the process", () => {
  it("survives garbage on every channel", async () => {
    const { default: WebSocket } = await import("ws");
    const sock = new WebSocket(`${ws}/yjs/agenda-item:${session.agendaItems[0]!.id}?token=${staffToken}`);
    await new Promise((r) => sock.on("open", r));
    const closed = new Promise<number>((resolve) => sock.on("close", resolve));
    sock.send(Buffer.from([0, 9, 9, 9, 255, 255]));
    expect(await closed).toBe(1007);
    const health = (await (await fetch(`${server.url}/api/v1/health`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
    expect(server.proc.exitCode).toBeNull();
  });
});
