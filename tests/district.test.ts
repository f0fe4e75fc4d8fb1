// The street office's super-user (docs/decisions/0009-district-super-user.md) creates a community
// and its first staff; staff of one community cannot touch another (403, checked on the server);
// a new council's seats carry their constituency's place, quorum reads the current seats, and an
// adjourned session keeps its roll — against the real production server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiAs, type Json } from "./fixtures/api";
import { freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";

let server: RunningServer;
const token: Record<string, string> = {};
const ids: Record<string, string> = {};
const { call, ok } = apiAs(() => server.url, token);
const X = "/api/v1/communities/xingfuli";
const CH = "/api/v1/communities/chunhua";
const N = "/api/v1/communities/xinyuan";

beforeAll(async () => {
  server = await startServer(freshDbFile("district"));
  for (const u of ["jiedao", "staff", "outsider", "resident1"]) {
    token[u] = await tokenFor(server, u);
    ids[u] = (await ok("GET", "/api/v1/me", u)).id;
  }
});
afterAll(async () => {
  await server?.stop();
});

describe("the street office", () => {
  it("its super-user sees its district's communities only; nobody else has a district", async () => {
    const me = await ok("GET", "/api/v1/me", "jiedao");
    expect(me).toMatchObject({ superUser: true, district: { name: "金凤区", city: "银川市", communities: ["xingfuli"] }, memberships: [] });
    expect((await ok("GET", "/api/v1/me", "staff")).superUser).toBe(false);
    const d = await ok("GET", "/api/v1/district", "jiedao");
    expect(d.communities.map((c: Json) => c.slug)).toEqual(["xingfuli"]);
    expect(d.communities[0].staff.map((s: Json) => s.displayName).sort()).toEqual(["李敏", "王芳"]);
    const refused = await call("GET", "/api/v1/district", "staff");
    expect([refused.status, refused.json.key]).toEqual([403, "errors.notDistrictUser"]);
    expect((await call("GET", "/api/v1/district", null)).status).toBe(401);
  });

  it("creates a community with a new staff account; the page's form and the API refuse bad input precisely", async () => {
    const asStaff = await call("POST", "/api/v1/district/communities", "staff", {
      staffMode: "existing",
      communityName: "越权社区",
      slug: "yuequan",
      staffIdentifier: "staff",
    });
    expect(asStaff.status).toBe(403);
    const bad = await call("POST", "/api/v1/district/communities", "jiedao", { staffMode: "new", communityName: "新", slug: "X Y" });
    expect(bad.status).toBe(400);
    expect(bad.json.issues.map((i: Json) => i.path).sort()).toEqual(expect.arrayContaining(["communityName", "slug", "username", "password"]));
    const taken = await call("POST", "/api/v1/district/communities", "jiedao", {
      staffMode: "new",
      communityName: "重名社区",
      slug: "xingfuli",
      displayName: "某人",
      username: "someone",
      password: "a-long-enough-pass",
    });
    expect([taken.status, taken.json.key]).toEqual([400, "errors.slugTaken"]);
    const created = await ok("POST", "/api/v1/district/communities", "jiedao", {
      staffMode: "new",
      communityName: "新苑社区",
      slug: "xinyuan",
      displayName: "马丽",
      username: "mali",
      phone: "13900000001",
      password: "xinyuan-staff-2026",
    });
    expect(created).toMatchObject({ slug: "xinyuan", name: "新苑社区", council: { name: "新苑社区议事会" }, staff: { displayName: "马丽" } });
    token.mali = await tokenFor(server, "13900000001", "xinyuan-staff-2026");
    const me = await ok("GET", "/api/v1/me", "mali");
    expect(me.communities).toEqual([{ id: created.id, slug: "xinyuan", name: "新苑社区", roles: expect.arrayContaining(["communityStaff", "chair"]) }]);
    expect((await ok("GET", "/api/v1/district", "jiedao")).communities.map((c: Json) => c.slug).sort()).toEqual(["xingfuli", "xinyuan"]);
    // The new community's log starts with its creation and the first roles, by the street office.
    const log = (await ok("GET", `${N}/audit`, "mali")).entries as Json[];
    expect(log.map((e) => [e.action, e.actor.name]).sort()).toEqual([
      ["community.create", "金凤区街道办"],
      ["role.grant", "金凤区街道办"],
    ]);
  });

  it("can make an existing person the first staff of another new community", async () => {
    const created = await ok("POST", "/api/v1/district/communities", "jiedao", {
      staffMode: "existing",
      communityName: "老街社区",
      slug: "laojie",
      staffIdentifier: "13800000006", // resident1 of 幸福里, by phone
    });
    expect(created.staff.userId).toBe(ids.resident1);
    const unknown = await call("POST", "/api/v1/district/communities", "jiedao", {
      staffMode: "existing",
      communityName: "空社区",
      slug: "kong",
      staffIdentifier: "nobody-here",
    });
    expect([unknown.status, unknown.json.key]).toEqual([400, "errors.userUnknown"]);
  });
});

describe("each community's staff see and change only their own community", () => {
  it("staff of A get 403 in B, for reading and for every change; the super-user only within the district", async () => {
    const grid = (await ok("POST", `${X}/places`, "staff", { kind: "grid", name: "幸福网格" })).id;
    const cases: [string, string, unknown?][] = [
      ["GET", `${N}/places`],
      ["POST", `${N}/places`, { kind: "grid", name: "越权网格" }],
      ["POST", `${N}/organizations`, { kind: "propertyCompany", name: "越权物业" }],
      ["GET", `${N}/audit`],
      ["GET", `${N}/members`],
      ["GET", `${N}/councils`],
    ];
    for (const [method, path, body] of cases) expect([path, (await call(method, path, "staff", body)).status]).toEqual([path, 403]);
    // …and the new community's staff get the same in 幸福里.
    for (const [method, path, body] of [
      ["POST", `${X}/places/grid/${grid}/rename`, { name: "越权改名" }],
      ["POST", `${X}/places/grid/${grid}/archive`],
      ["POST", `${X}/places`, { kind: "grid", name: "越权网格" }],
      ["GET", `${X}/audit`],
    ] as [string, string, unknown?][])
      expect([path, (await call(method, path, "mali", body)).status]).toEqual([path, 403]);
    const council = (await ok("GET", `${X}/councils`, "staff")).councils[0].id;
    expect((await call("POST", `/api/v1/councils/${council}/seats`, "mali", { userId: ids.resident1, constituency: "resident" })).status).toBe(403);
    // The super-user acts in their district's communities, not in 春华 (兴庆区).
    expect((await call("POST", `${X}/places`, "jiedao", { kind: "grid", name: "街道建的网格" })).status).toBe(200);
    expect((await call("POST", `${N}/organizations`, "jiedao", { kind: "propertyCompany", name: "新苑物业" })).status).toBe(200);
    expect((await call("GET", `${CH}/places`, "jiedao")).status).toBe(403);
    expect((await call("POST", `${CH}/places`, "jiedao", { kind: "grid", name: "越区网格" })).status).toBe(403);
    expect((await call("GET", `/api/v1/sessions?community=chunhua`, "jiedao")).status).toBe(403);
    // Nothing was written by any refused call.
    const names = (await ok("GET", `${N}/places`, "mali")).grids.map((g: Json) => g.name);
    expect(names).not.toContain("越权网格");
  });
});

describe("a new council: seats with their place, quorum and the roll", () => {
  it("seats carry the building or grid they speak for; quorum counts current seats; an adjourned session keeps its roll", async () => {
    const grid = (await ok("POST", `${N}/places`, "mali", { kind: "grid", name: "新苑一网格" })).id;
    const building = (await ok("POST", `${N}/places`, "mali", { kind: "building", name: "1号楼", parentId: grid })).id;
    // Two residents join through an invitation.
    const residents: string[] = [];
    for (const [n, name] of [
      [1, "赵一"],
      [2, "钱二"],
      [3, "孙三"],
    ] as const) {
      const invite = await ok("POST", `${N}/invites`, "mali", { role: "resident" });
      const joined = await ok("POST", `/api/v1/invites/${invite.token}/accept`, "mali", {
        displayName: name,
        username: `xinyuan${n}`,
        password: `resident-pass-${n}-2026`,
      });
      residents.push(joined.userId);
    }
    const councils = (await ok("GET", `${N}/councils`, "mali")).councils;
    expect(councils).toHaveLength(1);
    const councilId = councils[0].id;
    const seat = await ok("POST", `/api/v1/councils/${councilId}/seats`, "mali", { userId: residents[0], constituency: "resident", buildingId: building });
    expect(seat.place).toEqual({ kind: "building", id: building, name: "1号楼" });
    await ok("POST", `/api/v1/councils/${councilId}/seats`, "mali", { userId: residents[1], constituency: "resident", gridId: grid });
    const both = await call("POST", `/api/v1/councils/${councilId}/seats`, "mali", {
      userId: ids.staff,
      constituency: "resident",
      gridId: grid,
      buildingId: building,
    });
    expect([both.status, both.json.issues[0].key]).toEqual([400, "errors.seatOnePlace"]);
    const staffWithPlace = await call("POST", `/api/v1/councils/${councilId}/seats`, "mali", {
      userId: residents[0],
      constituency: "communityStaff",
      buildingId: building,
    });
    expect([staffWithPlace.status, staffWithPlace.json.issues[0].key]).toEqual([400, "errors.seatPlaceResidentOnly"]);
    const foreignPlace = await call("POST", `/api/v1/councils/${councilId}/seats`, "mali", {
      userId: residents[1],
      constituency: "resident",
      buildingId: (await ok("GET", `${X}/places`, "staff")).grids[0].buildings[0].id,
    });
    expect([foreignPlace.status, foreignPlace.json.key]).toEqual([400, "errors.placeInvalid"]);
    await ok("POST", `/api/v1/councils/${councilId}/seats`, "mali", { userId: residents[2], constituency: "ownersCommittee" });
    const listed = (await ok("GET", `${N}/councils`, "mali")).councils[0].seats as Json[];
    expect(listed.map((s) => [s.displayName, s.constituency, s.place?.name ?? null]).sort()).toEqual([
      ["孙三", "ownersCommittee", null],
      ["赵一", "resident", "1号楼"],
      ["钱二", "resident", "新苑一网格"],
    ]);

    // A session on the new council: quorum reads the three current seats.
    const session = await ok("POST", "/api/v1/sessions", "mali", { councilId, title: "新苑社区第一次议事会", scheduledAt: "2026-12-20T14:30" });
    const quorum = async () => (await ok("GET", `/api/v1/sessions/${session.id}/live`, "mali")).quorum as Json;
    expect((await quorum()).seated).toBe(3);
    await ok("DELETE", `/api/v1/councils/${councilId}/seats/${residents[2]}`, "mali");
    await expect.poll(async () => (await quorum()).seated).toBe(2);
    await ok("POST", "/api/v1/live/session:open", "mali", { sessionId: session.id });
    await ok("POST", "/api/v1/live/session:adjourn", "mali", { sessionId: session.id });
    const roll = await quorum();
    expect(roll.seated).toBe(2);
    // Seats changed after the session: its roll does not.
    await ok("DELETE", `/api/v1/councils/${councilId}/seats/${residents[1]}`, "mali");
    await ok("POST", `/api/v1/councils/${councilId}/seats`, "mali", { userId: residents[2], constituency: "ownersCommittee" });
    const mali = (await ok("GET", "/api/v1/me", "mali")).id;
    await ok("POST", `/api/v1/councils/${councilId}/seats`, "mali", { userId: mali, constituency: "communityStaff" });
    expect(await quorum()).toEqual(roll);
    // The seat changes are in the audit log with the place.
    const log = (await ok("GET", `${N}/audit?limit=200`, "mali")).entries as Json[];
    const start = log.find((e) => e.action === "seat.start" && e.subject.id === residents[0])!;
    expect(start.after.place).toEqual({ kind: "building", id: building, name: "1号楼" });
  });
});
