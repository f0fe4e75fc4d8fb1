// Forgotten passwords (issue 15): staff issue a one-time reset link; the member sets a new
// password through it and every other sign-in of theirs ends. Model rules against the real
// database first, then the page, the API and a live socket over the real server.
import { io as ioClient } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "~/models/audit.server";
import { findUsableReset, issuePasswordReset, RESET_TTL_MS, spendPasswordReset } from "~/models/password-reset.server";
import { issueActivationLink } from "~/models/activation.server";
import { checkCredentials, createApiToken, hashToken } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import { isRefusal } from "~/utils/errors";
import { loadActor } from "~/utils/permissions.server";
import { resetPasswordSchema } from "~/utils/reset-schemas";
import { onRightsChanged, type RightsChange } from "~/utils/rights.server";
import { actorOf, demo } from "./fixtures/demo";
import { freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";

const ORIGIN = "https://yishi.example";
const tokenOf = (url: string) => url.split("/reset/")[1]!;

async function refusal(p: Promise<unknown>): Promise<{ status: number; key: string }> {
  try {
    await p;
  } catch (error) {
    if (isRefusal(error)) return { status: error.status, key: error.key };
    throw error;
  }
  throw new Error("not refused");
}

let communityId: string;
let users: Record<string, string>;
beforeAll(async () => {
  const d = await demo();
  communityId = d.council.communityId;
  users = d.users as Record<string, string>;
});

describe("issuing a reset link", () => {
  it("gives staff a one-time link and QR code; only the token's hash is stored; audited", async () => {
    const staff = await actorOf("staff");
    const issued = await issuePasswordReset(staff, communityId, users.resident1!, ORIGIN);
    expect(issued.url).toMatch(/^https:\/\/yishi\.example\/reset\/[A-Za-z0-9_-]{32}$/);
    expect(issued.qr).toContain("<svg");
    const token = tokenOf(issued.url);
    const row = await prisma.passwordReset.findFirstOrThrow({ where: { userId: users.resident1! } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(row.tokenHash).not.toContain(token);
    const ttl = row.expiresAt.getTime() - row.createdAt.getTime();
    expect(Math.abs(ttl - RESET_TTL_MS)).toBeLessThan(60_000);
    const { entries } = await auditLog(staff, communityId);
    expect(entries.find((e) => e.action === "member.passwordReset")).toMatchObject({ subject: { id: users.resident1 }, actor: { id: users.staff } });
  });

  it("is refused to a member who is not staff, and for a member of another community", async () => {
    expect(await refusal(issuePasswordReset(await actorOf("resident1"), communityId, users.resident3!, ORIGIN))).toMatchObject({ status: 403 });
    expect(await refusal(issuePasswordReset(await actorOf("grid1"), communityId, users.resident3!, ORIGIN))).toMatchObject({ status: 403 });
    // outsider belongs to 春华社区 only: not a member here.
    expect(await refusal(issuePasswordReset(await actorOf("staff"), communityId, users.outsider!, ORIGIN))).toMatchObject({ status: 404 });
    // The street office's super-user is nobody's member: staff cannot take over that account.
    expect(await refusal(issuePasswordReset(await actorOf("staff"), communityId, users.jiedao!, ORIGIN))).toMatchObject({ status: 404 });
  });

  it("is refused for a member who also belongs to a community the actor does not manage, and for a super-user", async () => {
    const other = await prisma.community.findUniqueOrThrow({ where: { slug: "chunhua" } });
    await prisma.membership.create({ data: { userId: users.resident2!, communityId: other.id, role: "resident" } });
    expect(await refusal(issuePasswordReset(await actorOf("staff"), communityId, users.resident2!, ORIGIN))).toEqual({
      status: 409,
      key: "errors.resetNotHere",
    });
    await prisma.membership.deleteMany({ where: { userId: users.resident2!, communityId: other.id } });
  });

  it("lets the street office's super-user reset a member of a community it oversees", async () => {
    const jiedao = (await loadActor(users.jiedao!))!;
    const issued = await issuePasswordReset(jiedao, communityId, users.yeweihui!, ORIGIN);
    expect(await findUsableReset(tokenOf(issued.url))).toMatchObject({ userId: users.yeweihui });
  });

  it("sends an account that was never activated to an activation link instead", async () => {
    const fresh = await prisma.user.create({
      data: {
        username: "xinzhuhu",
        displayName: "新住户",
        phone: "13900000099",
        passwordHash: "!activation-pending",
        memberships: { create: { communityId, role: "resident" } },
      },
    });
    expect(await refusal(issuePasswordReset(await actorOf("staff"), communityId, fresh.id, ORIGIN))).toEqual({ status: 409, key: "errors.resetUseActivation" });
    await expect(issueActivationLink(await actorOf("staff"), communityId, fresh.id, ORIGIN)).resolves.toMatchObject({ userId: fresh.id });
  });
});

describe("using a reset link", () => {
  it("sets the new password once, ends every other sign-in and API token, and tells the live layer", async () => {
    const staff = await actorOf("staff");
    const first = await issuePasswordReset(staff, communityId, users.wuye!, ORIGIN);
    const second = await issuePasswordReset(staff, communityId, users.wuye!, ORIGIN);
    // A new link voids the earlier unused one.
    expect(await findUsableReset(tokenOf(first.url))).toBeNull();
    await prisma.authSession.create({ data: { userId: users.wuye!, expiresAt: new Date(Date.now() + 3600_000) } });
    await createApiToken(users.wuye!, "script", 30);
    const changes: RightsChange[] = [];
    const stop = onRightsChanged((c) => void changes.push(c));
    try {
      expect(await spendPasswordReset(tokenOf(second.url), "a-new-long-password-7")).toEqual({ ok: true, userId: users.wuye });
    } finally {
      stop();
    }
    expect(changes).toContainEqual({ userId: users.wuye });
    expect(await prisma.authSession.count({ where: { userId: users.wuye! } })).toBe(0);
    expect(await prisma.apiToken.count({ where: { userId: users.wuye! } })).toBe(0);
    expect(await checkCredentials("wuye", "yishi2026", "198.51.100.1")).toMatchObject({ ok: false, reason: "invalid" });
    expect(await checkCredentials("wuye", "a-new-long-password-7", "198.51.100.1")).toMatchObject({ ok: true });
    // Single use.
    expect(await spendPasswordReset(tokenOf(second.url), "another-long-password-8")).toEqual({ ok: false });
    expect(await checkCredentials("wuye", "a-new-long-password-7", "198.51.100.1")).toMatchObject({ ok: true });
  });

  it("gives one answer for unknown, malformed, expired and used links", async () => {
    const issued = await issuePasswordReset(await actorOf("staff"), communityId, users.resident3!, ORIGIN);
    await prisma.passwordReset.updateMany({ where: { userId: users.resident3! }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await findUsableReset(tokenOf(issued.url))).toBeNull();
    expect(await spendPasswordReset(tokenOf(issued.url), "a-new-long-password-7")).toEqual({ ok: false });
    expect(await findUsableReset("x".repeat(32))).toBeNull();
    expect(await findUsableReset("../../etc/passwd")).toBeNull();
    expect(await checkCredentials("resident3", "yishi2026", "198.51.100.2")).toMatchObject({ ok: true });
  });

  it("stops working when the member is deactivated after it was issued", async () => {
    const issued = await issuePasswordReset(await actorOf("staff"), communityId, users.resident3!, ORIGIN);
    expect(await findUsableReset(tokenOf(issued.url))).not.toBeNull();
    await prisma.membership.updateMany({ where: { userId: users.resident3!, communityId }, data: { deactivatedAt: new Date() } });
    expect(await findUsableReset(tokenOf(issued.url))).toBeNull();
    await prisma.membership.updateMany({ where: { userId: users.resident3!, communityId }, data: { deactivatedAt: null } });
  });

  it("keeps the sign-up password rules", () => {
    expect(resetPasswordSchema.safeParse({ password: "12345" }).error?.issues[0]?.message).toBe("errors.passwordTooShort");
    expect(resetPasswordSchema.safeParse({ password: "password123" }).error?.issues[0]?.message).toBe("errors.passwordTooCommon");
    expect(resetPasswordSchema.safeParse({}).error?.issues[0]?.message).toBe("errors.passwordRequired");
    expect(resetPasswordSchema.safeParse({ password: "a-fine-long-password" }).success).toBe(true);
  });
});

describe("over the real server", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(freshDbFile("password-reset"));
  });
  afterAll(async () => {
    await server?.stop();
  });

  const post = (token: string, path: string) => fetch(`${server.url}${path}`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });

  it("issues by API, refuses others, and the page signs the member in and everyone else out", async () => {
    const staff = await tokenFor(server, "staff");
    const resident = await tokenFor(server, "resident1");
    const me = (await (await fetch(`${server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${resident}` } })).json()) as { id: string };
    expect((await post(resident, `/api/v1/communities/xingfuli/members/${me.id}/password-reset`)).status).toBe(403);
    const res = await post(staff, `/api/v1/communities/xingfuli/members/${me.id}/password-reset`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { url: string; qr: string; expiresAt: string };
    const path = new URL(body.url).pathname;
    expect(path).toMatch(/^\/reset\//);

    // The member's phone is connected live with the old sign-in.
    const socket = ioClient(server.url, { path: "/socket.io", transports: ["websocket"], auth: { token: resident }, forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    const closed = new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));

    const page = await fetch(`${server.url}${path}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toContain("no-store");
    expect(await page.text()).toContain("刘建国");

    const weak = await fetch(`${server.url}${path}`, { method: "POST", body: new URLSearchParams({ password: "123" }), redirect: "manual" });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain("密码");

    const done = await fetch(`${server.url}${path}`, { method: "POST", body: new URLSearchParams({ password: "brand-new-password-9" }), redirect: "manual" });
    expect(done.status).toBe(302);
    const cookie = done.headers.get("set-cookie")!.split(";")[0]!;
    expect((await fetch(`${server.url}/api/v1/me`, { headers: { Cookie: cookie } })).status).toBe(200);
    // The old token is gone and the live connection closes.
    expect((await fetch(`${server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${resident}` } })).status).toBe(401);
    expect(await closed).toBeTruthy();
    socket.close();
    await expect(tokenFor(server, "resident1", "brand-new-password-9")).resolves.toMatch(/^yst_/);

    // Used, unknown and malformed links all get the same page.
    const texts = [];
    for (const p of [path, "/reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/reset/%3Cscript%3E"]) {
      const r = await fetch(`${server.url}${p}`);
      expect(r.status).toBe(410);
      texts.push((await r.text()).replace(/<script[\s\S]*?<\/script>/g, "").match(/data-testid="reset-invalid">([^<]*)</)![1]);
    }
    expect(new Set(texts).size).toBe(1);
    const again = await fetch(`${server.url}${path}`, {
      method: "POST",
      body: new URLSearchParams({ password: "yet-another-password-1" }),
      redirect: "manual",
    });
    expect(again.status).toBe(410);
  });
});
