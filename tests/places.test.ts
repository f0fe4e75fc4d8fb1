// Places (网格 → 楼栋 → 单元 → 户), the place filter on topic lists, organisations and their audit
// entries (issue 11) — against the real production server and its SQLite database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiAs, type Json } from "./fixtures/api";
import { freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";

let server: RunningServer;
const token: Record<string, string> = {};
const ids: Record<string, string> = {};
const C = "/api/v1/communities/xingfuli";
const { call, ok } = apiAs(() => server.url, token);

const tree = async (archived = false) => (await ok("GET", `${C}/places${archived ? "?archived=1" : ""}`, "staff")) as Json;
const create = async (kind: string, name: string, parentId?: string) => (await ok("POST", `${C}/places`, "staff", { kind, name, parentId })).id as string;
const auditLog = async () => (await ok("GET", `${C}/audit?limit=200`, "staff")).entries as Json[];
const myPlace = async (who: string) => ((await ok("GET", "/api/v1/me", who)).memberships as Json[]).find((m) => m.role === "resident")?.place as Json | null;
const topicIds = async (query: string, who = "staff") => ((await ok("GET", `${C}/topics?${query}`, who)).items as Json[]).map((t) => t.id as string).sort();
const raise = async (who: string, title: string, place: Json) =>
  (await ok("POST", `${C}/topics`, who, { title, description: "", category: "other", ...place })).id as string;

beforeAll(async () => {
  server = await startServer(freshDbFile("places"));
  for (const u of ["staff", "resident1", "resident2", "resident3", "outsider", "wuye"]) {
    token[u] = await tokenFor(server, u);
    ids[u] = (await ok("GET", "/api/v1/me", u)).id;
  }
});
afterAll(async () => {
  await server?.stop();
});

describe("who may change places", () => {
  it("any member reads the tree; only staff change it; others get 403, strangers 401", async () => {
    expect((await call("GET", `${C}/places`, "resident1")).status).toBe(200);
    expect((await call("GET", `${C}/places`, "outsider")).status).toBe(403);
    expect((await call("GET", `${C}/places`, null)).status).toBe(401);
    expect((await call("POST", `${C}/places`, "resident1", { kind: "grid", name: "X" })).status).toBe(403);
    expect((await call("POST", `${C}/places`, "outsider", { kind: "grid", name: "X" })).status).toBe(403);
    const someGrid = (await tree()).grids[0].id;
    expect((await call("POST", `${C}/places/grid/${someGrid}/archive`, "resident1")).status).toBe(403);
    expect((await call("POST", `${C}/places/grid/${someGrid}/explode`, "staff")).status).toBe(404);
    const bad = await call("POST", `${C}/places`, "staff", { kind: "unit", name: "1单元" });
    expect([bad.status, bad.json.issues[0].path]).toEqual([400, "parentId"]);
    expect((await call("POST", `${C}/places`, "staff", { kind: "tower", name: "X" })).status).toBe(400);
  });
});

describe("the hierarchy", () => {
  it("builds grid → building → unit → home; names are unique under their parent", async () => {
    const grid = await create("grid", "第九网格");
    const building = await create("building", "9号楼", grid);
    const unit = await create("unit", "1单元", building);
    const home = await create("household", "1201", unit);
    const t = await tree();
    const g = t.grids.find((x: Json) => x.id === grid);
    expect(g.code).toMatch(/^G\d{2}$/);
    expect(g.buildings[0]).toMatchObject({ id: building, name: "9号楼", gridId: grid });
    expect(g.buildings[0].units[0]).toMatchObject({ id: unit, name: "1单元" });
    expect(g.buildings[0].units[0].households[0]).toMatchObject({ id: home, name: "1201", members: 0 });
    const again = await call("POST", `${C}/places`, "staff", { kind: "household", name: "1201", parentId: unit });
    expect([again.status, again.json.key]).toEqual([400, "errors.placeNameTaken"]);
    // The same name under another unit is fine.
    const unit2 = await create("unit", "2单元", building);
    await create("household", "1201", unit2);
    const renamed = await ok("POST", `${C}/places/building/${building}/rename`, "staff", { name: "九号楼" });
    expect(renamed).toEqual({ kind: "building", id: building, name: "九号楼" });
  });

  it("a person's home decides their unit, building and grid; moving the building moves their grid", async () => {
    const gridA = await create("grid", "东网格");
    const gridB = await create("grid", "西网格");
    const building = await create("building", "20号楼", gridA);
    const unit = await create("unit", "1单元", building);
    const home = await create("household", "301", unit);
    const set = await ok("POST", `${C}/members/${ids.resident3}/home`, "staff", { placeId: home });
    expect(set).toMatchObject({ householdId: home, unitId: unit, buildingId: building, gridId: gridA });
    expect(await myPlace("resident3")).toMatchObject({
      householdId: home,
      unitId: unit,
      buildingId: building,
      gridId: gridA,
      label: "东网格 / 20号楼 / 1单元 / 301",
    });
    // The home is counted on the tree.
    const h = (await tree()).grids.find((g: Json) => g.id === gridA).buildings[0].units[0].households[0];
    expect(h.members).toBe(1);
    await ok("POST", `${C}/places/building/${building}/move`, "staff", { parentId: gridB });
    expect((await myPlace("resident3"))!.gridId).toBe(gridB);
    // Only residents (and others staff choose) — not another community's place, not a stranger.
    expect((await call("POST", `${C}/members/${ids.resident3}/home`, "staff", { placeId: "nope" })).json.key).toBe("errors.placeInvalid");
    expect((await call("POST", `${C}/members/${ids.outsider}/home`, "staff", { placeId: home })).status).toBe(404);
    expect((await call("POST", `${C}/members/${ids.resident3}/home`, "resident1", { placeId: home })).status).toBe(403);
  });
});

describe("merging", () => {
  it("merging building B into A moves its units (namesakes merge), homes, members, topics and seats, then archives B", async () => {
    const grid = await create("grid", "合并网格");
    const a = await create("building", "A楼", grid);
    const otherGrid = await create("grid", "另一网格");
    const b = await create("building", "B楼", otherGrid);
    const aUnit1 = await create("unit", "1单元", a);
    const bUnit1 = await create("unit", "1单元", b);
    const bUnit2 = await create("unit", "2单元", b);
    const bHome = await create("household", "101", bUnit1);
    await create("household", "101", aUnit1); // a namesake home: the two become one
    const bHome2 = await create("household", "201", bUnit2);
    await ok("POST", `${C}/members/${ids.resident1}/home`, "staff", { placeId: bHome });
    await ok("POST", `${C}/members/${ids.resident2}/home`, "staff", { placeId: bHome2 });
    const topicInUnit = await raise("resident1", "B楼1单元门禁坏了", { buildingId: b, unitId: bUnit1 });
    const topicInBuilding = await raise("resident2", "B楼外墙脱落", { buildingId: b });
    const councilId = (await ok("GET", `${C}/councils`, "staff")).councils[0].id as string;
    await ok("DELETE", `/api/v1/councils/${councilId}/seats/${ids.resident2}`, "staff");
    await ok("POST", `/api/v1/councils/${councilId}/seats`, "staff", { userId: ids.resident2, constituency: "resident", buildingId: b });

    const merged = await ok("POST", `${C}/places/building/${b}/merge`, "staff", { intoId: a });
    expect(merged.moved).toMatchObject({ units: 1, households: 0, seats: 1 });
    expect(merged.moved.members).toBeGreaterThanOrEqual(2);
    expect(merged.moved.topics).toBeGreaterThanOrEqual(2);

    const t = await tree();
    const allBuildings = [...t.grids.flatMap((g: Json) => g.buildings), ...t.ungridded];
    expect(allBuildings.find((x: Json) => x.id === b)).toBeUndefined();
    const aNode = allBuildings.find((x: Json) => x.id === a);
    expect(aNode.units.map((u: Json) => u.name).sort()).toEqual(["1单元", "2单元"]);
    // The namesake homes are one: resident1 now lives in A楼's 1单元 101, in A楼's grid.
    const home1 = aNode.units.find((u: Json) => u.name === "1单元").households;
    expect(home1.map((h: Json) => [h.name, h.members])).toEqual([["101", 1]]);
    expect(await myPlace("resident1")).toMatchObject({ unitId: aUnit1, buildingId: a, gridId: grid, householdId: home1[0].id });
    expect(await myPlace("resident2")).toMatchObject({ unitId: bUnit2, buildingId: a, gridId: grid, householdId: bHome2 });
    // Topics now belong to A (and to A's grid); B's rows remain, archived, pointing at A.
    expect(await topicIds(`place=${a}`)).toEqual([topicInUnit, topicInBuilding].sort());
    expect(await topicIds(`place=${grid}`)).toEqual([topicInUnit, topicInBuilding].sort());
    expect(await topicIds(`place=${otherGrid}`)).toEqual([]);
    const seat = (await ok("GET", `${C}/councils`, "staff")).councils[0].seats.find((s: Json) => s.userId === ids.resident2);
    expect(seat.place).toEqual({ kind: "building", id: a, name: "A楼" });
    const archived = await tree(true);
    const bArchived = [...archived.grids.flatMap((g: Json) => g.buildings), ...archived.ungridded].find((x: Json) => x.id === b);
    expect(bArchived.archived).toBe(true);
    // Merging again, into itself, or into an archived place is refused.
    expect((await call("POST", `${C}/places/building/${b}/merge`, "staff", { intoId: a })).status).toBe(409);
    expect((await call("POST", `${C}/places/building/${a}/merge`, "staff", { intoId: a })).json.key).toBe("errors.placeMergeSelf");
    expect((await call("POST", `${C}/places/building/${a}/merge`, "staff", { intoId: b })).json.key).toBe("errors.placeArchived");
  });

  it("merging grids moves the buildings, grid workers and topics", async () => {
    const g1 = await create("grid", "甲网格");
    const g2 = await create("grid", "乙网格");
    const b2 = await create("building", "乙1号楼", g2);
    const topic = await raise("resident3", "乙网格路灯", { buildingId: b2 });
    expect(await topicIds(`place=${g2}`)).toEqual([topic]);
    const merged = await ok("POST", `${C}/places/grid/${g2}/merge`, "staff", { intoId: g1 });
    expect(merged.moved.buildings).toBe(1);
    expect(await topicIds(`place=${g1}`)).toEqual([topic]);
    const g1Node = (await tree()).grids.find((g: Json) => g.id === g1);
    expect(g1Node.buildings.map((b: Json) => b.id)).toEqual([b2]);
    expect((await tree()).grids.find((g: Json) => g.id === g2)).toBeUndefined();
  });
});

describe("archiving", () => {
  it("hides a place and everything under it from pickers, keeps the topics and homes that name it", async () => {
    const grid = await create("grid", "待归档网格");
    const building = await create("building", "旧楼", grid);
    const unit = await create("unit", "1单元", building);
    const topic = await raise("resident3", "旧楼漏水", { buildingId: building, unitId: unit });
    await ok("POST", `${C}/places/grid/${grid}/archive`, "staff");
    const t = await tree();
    expect(t.grids.find((g: Json) => g.id === grid)).toBeUndefined();
    expect([...t.grids.flatMap((g: Json) => g.buildings), ...t.ungridded].find((b: Json) => b.id === building)).toBeUndefined();
    const archived = (await tree(true)).grids.find((g: Json) => g.id === grid);
    expect(archived).toMatchObject({ archived: true });
    expect(archived.buildings[0]).toMatchObject({ id: building, archived: true });
    expect(archived.buildings[0].units[0]).toMatchObject({ id: unit, archived: true });
    // History: the topic still names its place and the filter still finds it.
    expect(await topicIds(`place=${building}`)).toEqual([topic]);
    // Pickers: no new topic, home, child place or seat there.
    expect((await call("POST", `${C}/topics`, "resident3", { title: "再报一次漏水", category: "other", buildingId: building })).json.key).toBe(
      "errors.placeInvalid",
    );
    expect((await call("POST", `${C}/members/${ids.resident3}/home`, "staff", { placeId: unit })).json.key).toBe("errors.placeArchived");
    expect((await call("POST", `${C}/places`, "staff", { kind: "unit", name: "3单元", parentId: building })).json.key).toBe("errors.placeArchived");
    const councilId = (await ok("GET", `${C}/councils`, "staff")).councils[0].id as string;
    const seat = await call("POST", `/api/v1/councils/${councilId}/seats`, "staff", { userId: ids.resident3, constituency: "resident", buildingId: building });
    expect([seat.status, seat.json.key]).toEqual([400, "errors.placeInvalid"]);
  });
});

describe("the place filter", () => {
  it("a grid includes its buildings' and units' topics, a unit only its own; triage filters the same; another community's place is refused", async () => {
    const grid = await create("grid", "筛选网格");
    const b1 = await create("building", "筛1号楼", grid);
    const b2 = await create("building", "筛2号楼", grid);
    const u1 = await create("unit", "1单元", b1);
    const inUnit = await raise("resident1", "筛1号楼1单元电梯", { buildingId: b1, unitId: u1 });
    const inB1 = await raise("resident1", "筛1号楼门口积水", { buildingId: b1 });
    const inB2 = await raise("resident2", "筛2号楼停车", { buildingId: b2 });
    const inGrid = await raise("resident2", "筛选网格绿化", { gridId: grid });
    expect(await topicIds(`place=${grid}`)).toEqual([inUnit, inB1, inB2, inGrid].sort());
    expect(await topicIds(`place=${b1}`)).toEqual([inUnit, inB1].sort());
    expect(await topicIds(`place=${u1}`)).toEqual([inUnit]);
    expect(await topicIds(`place=${b2}&q=停车`)).toEqual([inB2]);
    // Any member filters the board; the staff triage queue takes the same filter.
    expect(await topicIds(`place=${b1}`, "resident3")).toEqual([inUnit, inB1].sort());
    const triage = ((await ok("GET", `${C}/triage?place=${b1}`, "staff")).items as Json[]).map((t) => t.id).sort();
    expect(triage).toEqual([inUnit, inB1].sort());
    const chunhua = await call("GET", `/api/v1/communities/chunhua/topics`, "outsider");
    expect(chunhua.status).toBe(200);
    const foreign = await call("GET", `/api/v1/communities/chunhua/topics?place=${grid}`, "outsider");
    expect([foreign.status, foreign.json.issues[0].path]).toEqual([400, "place"]);
    expect((await call("GET", `${C}/topics?place=${"x".repeat(80)}`, "staff")).status).toBe(400);
  });
});

describe("organisations", () => {
  it("staff create, rename and archive them, add members and choose who acts for them; all audited", async () => {
    expect((await call("POST", `${C}/organizations`, "resident1", { kind: "utility", name: "银川供电局" })).status).toBe(403);
    expect((await call("POST", `${C}/organizations`, "staff", { kind: "bank", name: "某银行" })).status).toBe(400);
    const org = await ok("POST", `${C}/organizations`, "staff", { kind: "utility", name: "银川供电局" });
    expect(org).toMatchObject({ kind: "utility", name: "银川供电局", archived: false });
    expect((await call("POST", `${C}/organizations`, "staff", { kind: "utility", name: "银川供电局" })).json.key).toBe("errors.organizationNameTaken");
    await ok("POST", `${C}/organizations/${org.id}/rename`, "staff", { name: "国网银川供电公司" });
    const added = await ok("POST", `${C}/organizations/${org.id}/members`, "staff", { userId: ids.resident3, actsForOrganization: true });
    expect(added).toMatchObject({ userId: ids.resident3, organization: "国网银川供电公司", actsForOrganization: true });
    const mine = ((await ok("GET", "/api/v1/me", "resident3")).memberships as Json[]).find((m) => m.organization?.id === org.id)!;
    expect(mine.organization).toEqual({ id: org.id, name: "国网银川供电公司", actsForOrganization: true });
    // Co-handling units give no role of their own: the person keeps their resident role (it carries the organisation).
    expect(mine.role).toBe("resident");
    const listed = ((await ok("GET", `${C}/organizations`, "resident1")).organizations as Json[]).find((o) => o.id === org.id)!;
    expect(listed.members).toEqual([{ userId: ids.resident3, displayName: "周明", role: "resident", actsForOrganization: true }]);
    // A property company gives its role.
    const pc = await ok("POST", `${C}/organizations`, "staff", { kind: "propertyCompany", name: "新物业" });
    expect((await ok("POST", `${C}/organizations/${pc.id}/members`, "staff", { userId: ids.resident1 })).role).toBe("propertyCompany");
    // The kinds the issue names are all known words.
    for (const kind of ["policeStation", "urbanManagement", "communityOffice", "ownersCommittee"])
      expect((await call("POST", `${C}/organizations`, "staff", { kind, name: `测试${kind}` })).status).toBe(200);

    await ok("POST", `${C}/organizations/${org.id}/archive`, "staff");
    const after = ((await ok("GET", `${C}/organizations?archived=1`, "staff")).organizations as Json[]).find((o) => o.id === org.id)!;
    expect(after.archived).toBe(true);
    expect(after.members[0].actsForOrganization).toBe(false);
    expect(((await ok("GET", `${C}/organizations`, "staff")).organizations as Json[]).find((o) => o.id === org.id)).toBeUndefined();
    // An archived organisation takes no referral.
    const topic = await raise("resident1", "小区昨晚整体停电", {});
    const refer = await call("POST", `/api/v1/topics/${topic}/moves`, "staff", {
      move: "refer",
      organizationId: org.id,
      dueAt: new Date(Date.now() + 86_400_000 * 3).toISOString().slice(0, 16),
    });
    expect([refer.status, refer.json.key]).toEqual([400, "errors.organizationInvalid"]);

    const log = await auditLog();
    const actions = log.filter((e) => e.subject?.id === org.id || e.after?.organizationId === org.id).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["organization.create", "organization.rename", "organization.member", "organization.archive"]));
    const rename = log.find((e) => e.action === "organization.rename" && e.subject.id === org.id)!;
    expect([rename.before, rename.after, rename.actor.name]).toEqual([{ name: "银川供电局" }, { name: "国网银川供电公司" }, "王芳"]);
  });
});

describe("who acts for an organisation", () => {
  it("answers its referrals only while staff let them act for it; the change takes effect at once", async () => {
    const org = await ok("POST", `${C}/organizations`, "staff", { kind: "urbanManagement", name: "金凤区城管中队" });
    await ok("POST", `${C}/organizations/${org.id}/members`, "staff", { userId: ids.resident2, actsForOrganization: false });
    const topic = await raise("resident3", "路边摊占道经营", {});
    await ok("POST", `/api/v1/topics/${topic}/moves`, "staff", {
      move: "refer",
      organizationId: org.id,
      dueAt: new Date(Date.now() + 86_400_000 * 3).toISOString().slice(0, 16),
    });
    const answer = { move: "orgAnswer", answer: "已安排执法队员每日巡查，并设置疏导点位。" };
    expect((await call("POST", `/api/v1/topics/${topic}/moves`, "resident2", answer)).status).toBe(403);
    expect((await ok("GET", `${C}/referrals`, "resident2")).items).toEqual([]);
    await ok("POST", `${C}/organizations/${org.id}/members`, "staff", { userId: ids.resident2, actsForOrganization: true });
    expect(((await ok("GET", `${C}/referrals`, "resident2")).items as Json[]).map((t) => t.id)).toEqual([topic]);
    expect((await ok("POST", `/api/v1/topics/${topic}/moves`, "resident2", answer)).status).toBe("answered");
  });
});

describe("the audit log of places", () => {
  it("has who, when, before and after for every change of place and home", async () => {
    const log = await auditLog();
    const kinds = new Set(log.map((e) => e.action));
    for (const a of ["place.create", "place.rename", "place.move", "place.merge", "place.archive", "member.place"]) expect(kinds).toContain(a);
    const rename = log.find((e) => e.action === "place.rename")!;
    expect(rename).toMatchObject({ before: { kind: "building", name: "9号楼" }, after: { kind: "building", name: "九号楼" }, actor: { name: "王芳" } });
    expect(Date.parse(rename.at)).not.toBeNaN();
    const merge = log.find((e) => e.action === "place.merge" && e.before.kind === "building")!;
    expect(merge.before.into.name).toBe("A楼");
    expect(merge.after.moved.units).toBe(1);
    const home = log.find((e) => e.action === "member.place" && e.subject.id === ids.resident3)!;
    expect(home.after.householdId).toBeTruthy();
  });
});
