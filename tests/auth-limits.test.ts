// Sign-in, tokens and accounts against the real production server (issue 8 items 3 and 8,
// issue 10 items 2, 8 and 10). Client addresses come from X-Forwarded-For, which the server
// believes from loopback (TRUST_PROXY's default), as it would from a proxy on the same machine.
import { createHmac } from "node:crypto";
import { io as ioClient, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";
import { tryUpgrade } from "./fixtures/yjs-client";

let server: RunningServer;
let staffToken: string;
let itemId: string;

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
const from = (address: string) => ({ "X-Forwarded-For": address });
const signInPage = (identifier: string, password: string, address: string) =>
  fetch(`${server.url}/login`, { method: "POST", body: new URLSearchParams({ identifier, password }), redirect: "manual", headers: from(address) });

beforeAll(async () => {
  server = await startServer(freshDbFile("auth-limits"));
  staffToken = await tokenFor(server, "staff");
  const home = await (await fetch(`${server.url}/`, { headers: { Authorization: `Bearer ${staffToken}` } })).text();
  const sessionId = home.match(/\/sessions\/([A-Za-z0-9_-]+)/)![1]!;
  const session = (await (await fetch(`${server.url}/api/v1/sessions/${sessionId}`, { headers: { Authorization: `Bearer ${staffToken}` } })).json()) as {
    agendaItems: { id: string }[];
  };
  itemId = session.agendaItems[0]!.id;
});
afterAll(() => server?.stop());

describe("sign-in throttling", () => {
  it("counts 20 parallel wrong guesses, so the right password is refused afterwards from that address, and not from the owner's", async () => {
    const attacker = from("203.0.113.7");
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post("/api/v1/auth/token", { identifier: "resident2", password: `guess-${i}` }, attacker)),
    );
    const statuses = guesses.map((r) => r.status);
    // At most 8 guesses are ever checked; the rest are refused unevaluated.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(8);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(12);
    const right = await post("/api/v1/auth/token", { identifier: "resident2", password: "yishi2026" }, { ...attacker, "Accept-Language": "en" });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(60);
    expect((await right.json()) as { key: string; message: string }).toMatchObject({
      key: "errors.tooManyAttempts",
      message: expect.stringMatching(/Too many failed sign-ins/),
    });
    // Switching to the phone number does not give the attacker a fresh budget.
    expect((await post("/api/v1/auth/token", { identifier: "13800000007", password: "yishi2026" }, attacker)).status).toBe(429);
    // The attacker cannot lock the owner out: from the owner's phone, the password still works.
    expect((await post("/api/v1/auth/token", { identifier: "resident2", password: "yishi2026" }, from("198.51.100.20"))).status).toBe(200);
  });

  it("does not let a few addresses hammering one account add up to locking its owner out", async () => {
    for (const address of ["203.0.113.11", "203.0.113.12"])
      for (let i = 0; i < 60; i++) await post("/api/v1/auth/token", { identifier: "wuye", password: `hammer-${i}` }, from(address));
    expect((await post("/api/v1/auth/token", { identifier: "wuye", password: "yishi2026" }, from("198.51.100.23"))).status).toBe(200);
  });

  it("limits one address guessing many accounts", async () => {
    const sprayer = from("203.0.113.8");
    const names = ["grid1", "wuye", "yeweihui", "resident1", "observer", "outsider"];
    for (let i = 0; i < 30; i++) await post("/api/v1/auth/token", { identifier: names[i % names.length], password: `spray-${i}` }, sprayer);
    const next = await post("/api/v1/auth/token", { identifier: "observer", password: "yishi2026" }, sprayer);
    expect(next.status).toBe(429);
    expect(next.headers.get("retry-after")).toBeTruthy();
    expect((await post("/api/v1/auth/token", { identifier: "observer", password: "yishi2026" }, from("198.51.100.21"))).status).toBe(200);
  });

  it("answers the sign-in page with 429 and Retry-After once an address sends too many requests", async () => {
    const address = "203.0.113.9";
    let last: Response | null = null;
    for (let i = 0; i < 61; i++) last = await signInPage(`nobody${i}`, "wrong password", address);
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(last!.headers.getSetCookie().some((c) => c.startsWith("yishi_session="))).toBe(false);
    // Another address is not affected.
    expect((await signInPage("staff", "yishi2026", "198.51.100.22")).status).toBe(302);
  });
});

describe("invite acceptance", () => {
  const invite = async (maxUses = 5) =>
    (
      (await (await post("/api/v1/communities/xingfuli/invites", { role: "resident", maxUses }, { Authorization: `Bearer ${staffToken}` })).json()) as {
        token: string;
      }
    ).token;

  it("says the same thing for a taken username and a registered phone (also another community's), and keeps the invite", async () => {
    const token = await invite(1);
    const en = { "Accept-Language": "en", ...from("198.51.100.30") };
    const takenName = await post(`/api/v1/invites/${token}/accept`, { displayName: "某人", username: "resident1", password: "a long passphrase" }, en);
    const otherCommunityPhone = await post(
      `/api/v1/invites/${token}/accept`,
      { displayName: "某人", username: "fresh-name", phone: "13800000010", password: "a long passphrase" },
      en,
    );
    const ownPhone = await post(
      `/api/v1/invites/${token}/accept`,
      { displayName: "某人", username: "fresh-name", phone: "13800000006", password: "a long passphrase" },
      en,
    );
    const bodies = await Promise.all([takenName, otherCommunityPhone, ownPhone].map(async (r) => ({ status: r.status, body: await r.json() })));
    for (const b of bodies) {
      expect(b.status).toBe(409);
      expect(b.body).toMatchObject({ key: "errors.inviteAccountRefused", message: expect.stringMatching(/could not be created with these details/) });
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b.body))).size).toBe(1);
    const page = await fetch(`${server.url}/invite/${token}`, {
      method: "POST",
      body: new URLSearchParams({ displayName: "某人", username: "fresh-name", phone: "13800000010", password: "a long passphrase" }),
      headers: from("198.51.100.30"),
    });
    const html = await page.text();
    expect(html).not.toMatch(/已注册|已被使用/);
    expect(html).toContain("无法用这些信息创建账号");
    // The invite is still there for its rightful user.
    expect(
      (await post(`/api/v1/invites/${token}/accept`, { displayName: "新人", username: "fresh-name", password: "a long passphrase" }, from("198.51.100.30")))
        .status,
    ).toBe(200);
  });

  it("refuses common and blank passwords", async () => {
    const token = await invite();
    for (const password of ["12345678", "password", "        ", "Password1", "qwertyuiop", "1234567 "]) {
      const res = await post(`/api/v1/invites/${token}/accept`, { displayName: "某人", username: "weakling", password }, from("198.51.100.31"));
      expect(res.status, password).toBe(400);
    }
  });

  it("bounds refusals through one invite link, whatever the addresses", async () => {
    const token = await invite();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push(
        (
          await post(
            `/api/v1/invites/${token}/accept`,
            { displayName: "某人", username: "resident1", password: "a long passphrase" },
            from(`198.18.0.${i + 1}`),
          )
        ).status,
      );
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(409));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it("rate-limits acceptance per address with 429 and Retry-After", async () => {
    const token = await invite();
    let last: Response | null = null;
    for (let i = 0; i < 21; i++)
      last = await post(`/api/v1/invites/${token}/accept`, { displayName: "某人", username: "resident1", password: "a long passphrase" }, from("203.0.113.40"));
    expect(last!.status).toBe(429);
    expect(last!.headers.get("retry-after")).toBeTruthy();
  });
});

describe("API tokens and realtime tickets", () => {
  it("lists tokens without their secrets, revokes one, and a revoked token no longer works", async () => {
    const extra = (await (await post("/api/v1/auth/token", { identifier: "secretary", password: "yishi2026", name: "laptop", expiresInDays: 7 })).json()) as {
      token: string;
    };
    const auth = { Authorization: `Bearer ${extra.token}` };
    const list = await fetch(`${server.url}/api/v1/tokens`, { headers: auth });
    expect(list.status).toBe(200);
    const text = await list.text();
    expect(text).not.toContain(extra.token);
    const { tokens } = JSON.parse(text) as { tokens: { id: string; name: string; expiresAt: string }[] };
    const mine = tokens.find((t) => t.name === "laptop")!;
    expect(new Date(mine.expiresAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);
    // Someone else cannot revoke it (and learns nothing: 404).
    expect((await fetch(`${server.url}/api/v1/tokens/${mine.id}`, { method: "DELETE", headers: { Authorization: `Bearer ${staffToken}` } })).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/tokens/${mine.id}`, { method: "DELETE", headers: auth })).status).toBe(200);
    expect((await fetch(`${server.url}/api/v1/me`, { headers: auth })).status).toBe(401);
    // Expiry has a maximum.
    expect((await post("/api/v1/auth/token", { identifier: "secretary", password: "yishi2026", expiresInDays: 4000 })).status).toBe(400);
  });

  it("gives a single-use ticket for a Yjs connection: one connection only, even when two race", async () => {
    const ticketFor = async () => {
      const res = await fetch(`${server.url}/api/v1/realtime/ticket`, { method: "POST", headers: { Authorization: `Bearer ${staffToken}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { ticket: string; expiresAt: string };
      expect(new Date(body.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(60_000);
      return body.ticket;
    };
    const ws = server.url.replace("http", "ws");
    const ticket = await ticketFor();
    expect(await tryUpgrade(`${ws}/yjs/agenda-item:${itemId}?ticket=${ticket}`)).toEqual({ status: 101 });
    expect((await tryUpgrade(`${ws}/yjs/agenda-item:${itemId}?ticket=${ticket}`)).status).toBe(401);
    const raced = await ticketFor();
    const answers = await Promise.all(Array.from({ length: 5 }, () => tryUpgrade(`${ws}/yjs/agenda-item:${itemId}?ticket=${raced}`)));
    expect(answers.filter((a) => a.status === 101)).toHaveLength(1);
    // Anonymous callers get no ticket.
    expect((await fetch(`${server.url}/api/v1/realtime/ticket`, { method: "POST" })).status).toBe(401);
  });

  it("keeps a ticket-opened connection through re-checks, and closes it when the token it was issued from is revoked", async () => {
    const tokenNamed = async (name: string) =>
      ((await (await post("/api/v1/auth/token", { identifier: "yeweihui", password: "yishi2026", name })).json()) as { token: string }).token;
    const tablet = { Authorization: `Bearer ${await tokenNamed("tablet")}` };
    const phone = { Authorization: `Bearer ${await tokenNamed("phone")}` };
    const { ticket } = (await (await fetch(`${server.url}/api/v1/realtime/ticket`, { method: "POST", headers: tablet })).json()) as { ticket: string };
    const { default: WebSocket } = await import("ws");
    const sock = new WebSocket(`${server.url.replace("http", "ws")}/yjs/agenda-item:${itemId}?ticket=${ticket}`);
    await new Promise((resolve, reject) => (sock.once("open", resolve), sock.once("error", reject)));
    let closeCode: number | null = null;
    sock.once("close", (code) => (closeCode = code));
    const { tokens } = (await (await fetch(`${server.url}/api/v1/tokens`, { headers: tablet })).json()) as { tokens: { id: string; name: string }[] };
    const revoke = (name: string) => fetch(`${server.url}/api/v1/tokens/${tokens.find((t) => t.name === name)!.id}`, { method: "DELETE", headers: tablet });
    // Revoking another token re-checks this person's connections: this one is re-checked against the
    // tablet's token it was issued from (the spent ticket is not presented again), so it stays open.
    expect((await revoke("phone")).status).toBe(200);
    expect((await fetch(`${server.url}/api/v1/me`, { headers: phone })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 1500));
    expect(closeCode).toBeNull();
    expect((await revoke("tablet")).status).toBe(200);
    const start = Date.now();
    while (closeCode === null && Date.now() - start < 3000) await new Promise((r) => setTimeout(r, 50));
    expect(closeCode).toBe(4401);
  });

  it("opens one Socket.IO connection with a ticket passed where a token goes, and only one", async () => {
    const { ticket } = (await (
      await fetch(`${server.url}/api/v1/realtime/ticket`, { method: "POST", headers: { Authorization: `Bearer ${staffToken}` } })
    ).json()) as {
      ticket: string;
    };
    const outcome = (socket: Socket) =>
      new Promise<string>((resolve) => (socket.once("connect", () => resolve("connected")), socket.once("connect_error", (e) => resolve(e.message))));
    const open = (auth: Record<string, string>) =>
      ioClient(server.url, { path: "/socket.io", transports: ["websocket"], auth, reconnection: false, forceNew: true });
    const first = open({ token: ticket });
    expect(await outcome(first)).toBe("connected");
    const second = open({ token: ticket });
    expect(await outcome(second)).toMatch(/unauthorized/);
    first.close();
    second.close();
  });

  it("lists the new endpoints in the OpenAPI document", async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/tokens", "/api/v1/tokens/{id}", "/api/v1/realtime/ticket"]));
  });
});

describe("the QR check-in link", () => {
  it("rotates every minute and is refused a few minutes later", async () => {
    const home = await (await fetch(`${server.url}/`, { headers: { Authorization: `Bearer ${staffToken}` } })).text();
    const sessionId = home.match(/\/sessions\/([A-Za-z0-9_-]+)/)![1]!;
    const link = (await (
      await fetch(`${server.url}/api/v1/sessions/${sessionId}/check-in-link`, { headers: { Authorization: `Bearer ${staffToken}` } })
    ).json()) as { url: string; expiresAt: string };
    expect(new Date(link.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(3 * 60_000);
    const token = new URL(link.url).searchParams.get("t")!;
    const resident = await tokenFor(server, "resident3");
    const checkIn = (t: string) =>
      post("/api/v1/live/session:checkIn", { sessionId, token: t }, { Authorization: `Bearer ${resident}`, "Accept-Language": "en" });
    // A link as the screen showed it six hours' worth ago (the old lifetime) or four minutes ago: refused.
    const signed = (expires: number) => `${expires}.${createHmac("sha256", "test-secret").update(`check-in:${sessionId}:${expires}`).digest("base64url")}`;
    const longLived = await checkIn(signed(Date.now() + 6 * 3600_000));
    expect(longLived.status).toBe(409);
    expect((await checkIn(signed(Date.now() - 60_000))).status).toBe(409);
    expect((await checkIn(token)).status).toBe(200);
  });
});

describe("a real install (no YISHI_DEMO)", () => {
  let bare: RunningServer;
  beforeAll(async () => {
    bare = await startServer(freshDbFile("setup"), undefined, { YISHI_DEMO: "0" });
  });
  afterAll(() => bare?.stop());

  it("has no demo account, and is set up once with the code from its log", async () => {
    const demo = await fetch(`${bare.url}/api/v1/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ identifier: "secretary", password: "yishi2026" }),
    });
    expect(demo.status).toBe(401);
    const code = bare.output().match(/one-time code ([A-Z0-9x]{4}-[A-Z0-9x]{4}-[A-Z0-9x]{4})/i)?.[1];
    expect(code).toBeTruthy();
    expect((await fetch(`${bare.url}/setup`)).status).toBe(200);
    const form = { communityName: "春风社区", slug: "chunfeng", displayName: "管理员", username: "admin", password: "a long passphrase" };
    const setup = (fields: Record<string, string>) => fetch(`${bare.url}/setup`, { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });
    const wrong = await setup({ ...form, code: "AAAA-BBBB-CCCC" });
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toContain("设置码不正确");
    const done = await setup({ ...form, code: code! });
    expect(done.status).toBe(302);
    expect(done.headers.getSetCookie().some((c) => c.startsWith("yishi_session="))).toBe(true);
    // Once: the page is gone and the code is spent.
    expect((await fetch(`${bare.url}/setup`, { redirect: "manual" })).status).toBe(302);
    expect((await setup({ ...form, username: "intruder", code: code! })).status).toBe(302);
    const token = await tokenFor(bare, "admin", "a long passphrase");
    const me = (await (await fetch(`${bare.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { memberships: { role: string }[] };
    expect(me.memberships.map((m) => m.role).sort()).toEqual(["chair", "communityStaff"]);
    // The audit log starts with those first roles.
    const log = (await (await fetch(`${bare.url}/api/v1/communities/chunfeng/audit`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      entries: { action: string; actor: { name: string }; after: unknown }[];
    };
    expect(log.entries).toEqual([
      expect.objectContaining({
        action: "role.grant",
        actor: expect.objectContaining({ name: "管理员" }),
        after: { roles: ["communityStaff", "chair"], setup: true },
      }),
    ]);
  });
});
