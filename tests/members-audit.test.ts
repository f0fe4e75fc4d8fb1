// Roles granted and revoked by staff, members deactivated without losing their
// history, the community's last staff member kept, and the audit log of every
// change of role, seat and setting (issue 11) — against the real production server.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiAs, type Json } from "./fixtures/api";
import { connectSocket } from "./fixtures/live";
import { freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";

let server: RunningServer;
const token: Record<string, string> = {};
const ids: Record<string, string> = {};
const sockets: Socket[] = [];
const C = "/api/v1/communities/xingfuli";

const { call, ok } = apiAs(() => server.url, token);
const memberOf = async (userId: string, who = "staff") => ((await ok("GET", `${C}/members`, who)).members as Json[]).find((m) => m.userId === userId);
const auditLog = async () => (await ok("GET", `${C}/audit`, "staff")).entries as Json[];

beforeAll(async () => {
  server = await startServer(freshDbFile("members-audit"));
  for (const u of ["staff", "secretary", "resident1", "resident3", "outsider"]) {
    token[u] = await tokenFor(server, u);
    ids[u] = (await ok("GET", "/api/v1/me", u)).id;
  }
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.stop();
});

describe("who may manage members and read the log", () => {
  it("members see the list; only staff change roles and read the audit log", async () => {
    expect((await call("GET", `${C}/members`, "resident1")).status).toBe(200);
    expect((await call("GET", `${C}/members`, "outsider")).status).toBe(403);
    expect((await call("GET", `${C}/members`, null)).status).toBe(401);
    expect((await call("POST", `${C}/members/${ids.resident3}/roles`, "resident1", { role: "buildingHead" })).status).toBe(403);
    expect((await call("DELETE", `${C}/members/${ids.resident1}/roles/resident`, "resident3")).status).toBe(403);
    expect((await call("POST", `${C}/members/${ids.resident3}/status`, "resident1", { active: false })).status).toBe(403);
    expect((await call("GET", `${C}/audit`, "resident1")).status).toBe(403);
    expect((await call("GET", `${C}/audit`, "outsider")).status).toBe(403);
    expect((await call("POST", `${C}/members/${ids.outsider}/roles`, "staff", { role: "resident" })).status).toBe(404);
    expect((await call("POST", `${C}/members/${ids.resident3}/roles`, "staff", { role: "mayor" })).status).toBe(400);
  });
});

describe("roles", () => {
  it("staff grant and revoke roles; a held role, an only role and a missing one are refused", async () => {
    expect(await ok("POST", `${C}/members/${ids.resident3}/roles`, "staff", { role: "buildingHead" })).toEqual({
      userId: ids.resident3,
      roles: ["resident", "buildingHead"],
      active: true,
    });
    expect((await call("POST", `${C}/members/${ids.resident3}/roles`, "staff", { role: "buildingHead" })).json.key).toBe("errors.roleHeld");
    expect((await ok("GET", "/api/v1/me", "resident3")).memberships.map((m: Json) => m.role).sort()).toEqual(["buildingHead", "resident"]);
    expect((await ok("DELETE", `${C}/members/${ids.resident3}/roles/buildingHead`, "staff")).roles).toEqual(["resident"]);
    const only = await call("DELETE", `${C}/members/${ids.resident3}/roles/resident`, "staff");
    expect([only.status, only.json.key]).toEqual([409, "errors.lastRole"]);
    expect((await call("DELETE", `${C}/members/${ids.resident3}/roles/chair`, "staff")).status).toBe(404);
  });

  it("the community's last staff member can neither give up the role nor deactivate themselves", async () => {
    await ok("DELETE", `${C}/members/${ids.secretary}/roles/communityStaff`, "staff");
    const revoke = await call("DELETE", `${C}/members/${ids.staff}/roles/communityStaff`, "staff");
    expect([revoke.status, revoke.json.key]).toEqual([409, "errors.lastStaff"]);
    const deactivate = await call("POST", `${C}/members/${ids.staff}/status`, "staff", { active: false });
    expect([deactivate.status, deactivate.json.key]).toEqual([409, "errors.lastStaff"]);
    // The secretary lost the staff role at once: managing members is refused now.
    expect((await call("POST", `${C}/members/${ids.resident3}/roles`, "secretary", { role: "observer" })).status).toBe(403);
    await ok("POST", `${C}/members/${ids.secretary}/roles`, "staff", { role: "communityStaff" });
  });
});

describe("deactivating a member", () => {
  it("stops them at once, live connections included, ends their seats and keeps their history; reactivating restores the roles, not the seat", async () => {
    const raised = await ok("POST", `${C}/topics`, "resident1", { title: "停用前提出的议题：2号楼楼道灯坏了", category: "other" });
    const html = await (await fetch(`${server.url}/`, { headers: { Authorization: `Bearer ${token.staff}` } })).text();
    const sessionId = html.match(/\/sessions\/([A-Za-z0-9_-]+)/)![1]!;
    const councilId = (await ok("GET", `/api/v1/sessions/${sessionId}`, "staff")).council.id;

    const socket = await connectSocket(server, token.resident1!, sockets);
    const left = new Promise<Json>((resolve) => socket.on("rights:left", resolve));
    const joined = await new Promise<Json>((resolve) => socket.emit("session:join", { sessionId }, resolve));
    expect(joined.ok).toBe(true);

    expect(await ok("POST", `${C}/members/${ids.resident1}/status`, "staff", { active: false })).toEqual({
      userId: ids.resident1,
      roles: ["resident"],
      active: false,
    });
    expect(await left).toEqual(expect.objectContaining({ status: 403 }));
    expect((await call("GET", `${C}/topics`, "resident1")).status).toBe(403);
    expect((await ok("GET", "/api/v1/me", "resident1")).memberships).toEqual([]);
    expect(await memberOf(ids.resident1!)).toEqual(expect.objectContaining({ active: false, roles: ["resident"] }));
    expect(await memberOf(ids.resident1!, "resident3")).toBeUndefined();
    const seats = await ok("GET", `/api/v1/councils/${councilId}/seats`, "staff");
    expect(seats.current.map((s: Json) => s.userId)).not.toContain(ids.resident1);
    expect(seats.history.map((s: Json) => s.userId)).toContain(ids.resident1);
    // Their topic stays, with their name on it.
    expect((await ok("GET", `/api/v1/topics/${raised.id}`, "staff")).title).toBe("停用前提出的议题：2号楼楼道灯坏了");
    expect((await call("POST", `${C}/members/${ids.resident1}/roles`, "staff", { role: "unitHead" })).json.key).toBe("errors.memberDeactivated");

    expect((await ok("POST", `${C}/members/${ids.resident1}/status`, "staff", { active: true })).active).toBe(true);
    expect((await call("GET", `${C}/topics`, "resident1")).status).toBe(200);
    expect((await ok("GET", "/api/v1/me", "resident1")).seats).toEqual([]);
  });
});

describe("the audit log", () => {
  it("keeps who changed which role, seat and setting, when, before and after, newest first", async () => {
    await ok("POST", `${C}/settings`, "staff", { coSignThreshold: 7 });
    await ok("POST", `${C}/settings`, "staff", { coSignThreshold: 7 }); // no change, no entry
    const entries = await auditLog();
    expect(entries.map((e) => e.action).slice(0, 5)).toEqual(["settings.update", "member.reactivate", "member.deactivate", "seat.end", "role.grant"]);
    expect(entries[0]).toEqual(
      expect.objectContaining({ actor: { id: ids.staff, name: "王芳" }, subject: null, before: { coSignThreshold: 5 }, after: { coSignThreshold: 7 } }),
    );
    expect(entries[3]).toEqual(
      expect.objectContaining({ subject: { id: ids.resident1, name: "刘建国" }, before: expect.objectContaining({ constituency: "resident", to: null }) }),
    );
    expect(entries[3]!.after.to).toEqual(expect.any(String));
    const grant = entries.find((e) => e.action === "role.grant" && e.subject?.id === ids.resident3)!;
    expect(grant).toEqual(expect.objectContaining({ before: { roles: ["resident"] }, after: { roles: ["resident", "buildingHead"] } }));
    expect(Date.parse(grant.at)).toBeLessThanOrEqual(Date.now());
    expect(entries.filter((e) => e.action === "role.revoke").map((e) => e.subject.name)).toEqual(["李敏", "周明"]);

    const before = entries.length;
    await ok("POST", `/api/v1/councils/${(await ok("GET", `${C}/settings`, "staff")).councils[0].id}/seats`, "staff", {
      userId: ids.resident3,
      constituency: "resident",
    });
    const now = await auditLog();
    expect(now.length).toBe(before + 1);
    expect(now[0]).toEqual(expect.objectContaining({ action: "seat.start", subject: { id: ids.resident3, name: "周明" }, before: null }));
  });

  it("records a role that came through an invite link", async () => {
    const invite = await ok("POST", `${C}/invites`, "staff", { role: "resident", maxUses: 5 });
    const joined = await ok("POST", `/api/v1/invites/${invite.token}/accept`, "staff", {
      username: "newcomer1",
      displayName: "新住户",
      phone: "13900000123",
      password: "a-long-password-1",
    });
    const entry = (await auditLog())[0]!;
    expect(entry).toEqual(
      expect.objectContaining({
        action: "role.grant",
        actor: { id: joined.userId, name: "新住户" },
        before: { roles: [] },
        after: { roles: ["resident"], invite: expect.any(String) },
      }),
    );
  });

  it("cannot be edited through the app: no endpoint but GET, and no update or delete of entries anywhere in the code", async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, object> };
    expect(Object.keys(doc.paths[`/api/v1/communities/{slug}/audit`]!)).toEqual(["get"]);
    for (const method of ["POST", "DELETE"]) expect((await call(method, `${C}/audit`, "staff")).status).toBe(405);
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const p = path.join(dir, f);
        return statSync(p).isDirectory() ? (f === "generated" ? [] : files(p)) : [p];
      });
    const writers = [...files("app"), ...files("server")].filter((f) =>
      /auditEntry\.(update|updateMany|upsert|delete|deleteMany)\b/.test(readFileSync(f, "utf8")),
    );
    expect(writers).toEqual([]);
  });
});
