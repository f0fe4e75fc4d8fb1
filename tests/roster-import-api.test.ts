// The roster import, activation links, invites with a place and sign-in of deactivated
// members over HTTP, against the real production server: multipart files, limits,
// problem documents, the activation page.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiAs } from "./fixtures/api";
import { freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";

let server: RunningServer;
let api: ReturnType<typeof apiAs>;
const tokens: Record<string, string> = {};
const slug = "xingfuli";

beforeAll(async () => {
  server = await startServer(freshDbFile("roster-api"));
  for (const who of ["staff", "resident1", "grid1"]) tokens[who] = await tokenFor(server, who);
  api = apiAs(() => server.url, tokens);
}, 60_000);
afterAll(() => server?.stop());

async function xlsx(rows: (string | number)[][]): Promise<Blob> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("花名册");
  for (const r of rows) sheet.addRow(r);
  return new Blob([await workbook.xlsx.writeBuffer()], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
}

async function postFile(path: string, who: string | null, file: Blob, name: string) {
  const form = new FormData();
  form.append("file", file, name);
  const res = await fetch(server.url + path, { method: "POST", headers: who ? { Authorization: `Bearer ${tokens[who]}` } : {}, body: form });
  return { status: res.status, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const memberCount = async () => (await api.ok("GET", `/api/v1/communities/${slug}/members`, "staff")).members.length as number;

describe("over the API", () => {
  it("previews a multipart .xlsx, imports it by its upload id, and refuses a changed file with an error (422, nothing written)", async () => {
    const file = await xlsx([
      ["姓名", "手机号", "楼栋", "单元", "房号"],
      ["赵一", 13600000001, "1号楼", "1单元", "101"],
      ["钱二", 13600000002, "2号楼", "2单元", "202"],
    ]);
    const preview = await postFile(`/api/v1/communities/${slug}/members/import/preview`, "staff", file, "r.xlsx");
    expect(preview.status).toBe(200);
    expect(preview.json).toEqual(expect.objectContaining({ importable: true, problems: [], summary: expect.objectContaining({ rows: 2, newPeople: 2 }) }));
    const before = await memberCount();
    const done = await api.ok("POST", `/api/v1/communities/${slug}/members/import`, "staff", { uploadId: preview.json.uploadId });
    expect(done).toEqual({ rows: 2, imported: 2, newPeople: 2, existing: 0, skipped: 0, newHouseholds: 2 });
    expect(await memberCount()).toBe(before + 2);

    const changed = await xlsx([
      ["姓名", "手机号", "楼栋"],
      ["孙三", 13600000003, "1号楼"],
      ["李四", 1360000000, "1号楼"],
    ]);
    const refused = await postFile(`/api/v1/communities/${slug}/members/import`, "staff", changed, "r.xlsx");
    expect(refused.status).toBe(422);
    expect(refused.json).toEqual(expect.objectContaining({ key: "errors.rosterHasErrors", values: { errors: 1, rows: 1 } }));
    expect(await memberCount()).toBe(before + 2);
  });

  it("lists every problem with its row number for JSON rows", async () => {
    const r = await api.call("POST", `/api/v1/communities/${slug}/members/import/preview`, "staff", {
      rows: [
        ["name", "phone", "building", "role"],
        ["A", "13600000010", "1号楼", "居民"],
        ["", "123", "九号楼", "校长"],
      ],
    });
    expect(r.status).toBe(200);
    expect(r.json.problems.map((p: { row: number; field: string; key: string }) => [p.row, p.field, p.key])).toEqual([
      [3, "name", "errors.rosterNameMissing"],
      [3, "phone", "errors.rosterPhoneInvalid"],
      [3, "role", "errors.rosterRoleUnknown"],
      [3, "building", "errors.rosterBuildingUnknown"],
    ]);
    expect(r.json.uploadId).toBeNull();
  });

  it("refuses non-staff (403) before reading the file, a file over 5 MB (413), and a request without a roster (400)", async () => {
    const file = await xlsx([["姓名", "手机号", "楼栋"]]);
    for (const who of ["resident1", "grid1"]) {
      expect((await postFile(`/api/v1/communities/${slug}/members/import/preview`, who, file, "r.xlsx")).status).toBe(403);
      expect((await postFile(`/api/v1/communities/${slug}/members/import`, who, file, "r.xlsx")).status).toBe(403);
    }
    expect((await postFile(`/api/v1/communities/${slug}/members/import/preview`, null, file, "r.xlsx")).status).toBe(401);
    const big = new Blob([new Uint8Array(5 * 1024 * 1024 + 10).fill(0x41)], { type: "text/csv" });
    expect((await postFile(`/api/v1/communities/${slug}/members/import/preview`, "staff", big, "big.csv")).status).toBe(413);
    const none = await api.call("POST", `/api/v1/communities/${slug}/members/import/preview`, "staff", {});
    expect(none.status).toBe(400);
    expect(none.json.key).toBe("errors.rosterFileRequired");
  });
});

describe("activation over HTTP", () => {
  it("an imported resident opens their link, sets a password, is signed in, then signs in by phone; the link works once", async () => {
    const preview = await api.ok("POST", `/api/v1/communities/${slug}/members/import/preview`, "staff", {
      rows: [
        ["姓名", "手机号", "楼栋"],
        ["周五", "13600000020", "3号楼"],
      ],
    });
    expect(preview.uploadId).toBeNull(); // rows as JSON are not stored: sent again to import
    await api.ok("POST", `/api/v1/communities/${slug}/members/import`, "staff", {
      rows: [
        ["姓名", "手机号", "楼栋"],
        ["周五", "13600000020", "3号楼"],
      ],
    });
    // Before activation there is no password to sign in with.
    expect((await api.call("POST", "/api/v1/auth/token", null, { identifier: "13600000020", password: "!activation-pending" })).status).toBe(401);
    const members = (await api.ok("GET", `/api/v1/communities/${slug}/members`, "staff")).members as { userId: string; displayName: string }[];
    const zhou = members.find((m) => m.displayName === "周五")!;
    const link = await api.ok("POST", `/api/v1/communities/${slug}/members/${zhou.userId}/activation-link`, "staff");
    expect(link.qr).toMatch(/^<svg/);
    const path = new URL(link.url).pathname;
    const page = await (await fetch(server.url + path)).text();
    expect(page).toContain("周五，欢迎加入幸福里社区");
    const set = await fetch(server.url + path, { method: "POST", body: new URLSearchParams({ password: "zhouwu-spring-2026" }), redirect: "manual" });
    expect(set.status).toBe(302);
    expect(set.headers.getSetCookie().some((c) => c.startsWith("yishi_session="))).toBe(true);
    const again = await fetch(server.url + path, { method: "POST", body: new URLSearchParams({ password: "another-pass-2026" }), redirect: "manual" });
    expect(again.status).toBe(410);
    const token = await api.call("POST", "/api/v1/auth/token", null, { identifier: "136-0000-0020", password: "zhouwu-spring-2026" });
    expect(token.status).toBe(200);
  });
});

describe("invites with a place over the API", () => {
  // The membership's place itself is checked in tests/roster-import.test.ts (the model, on its database).
  it("an invite for a building is accepted; a place that is not the community's is refused", async () => {
    // Building ids are not in an API of this branch yet: take one from the invite page's select.
    const html = await (await fetch(`${server.url}/communities/${slug}/invites`, { headers: { Authorization: `Bearer ${tokens.staff}` } })).text();
    const buildingId = html.match(/value="building:([A-Za-z0-9_-]+)">5号楼/)![1]!;
    const created = await api.ok("POST", `/api/v1/communities/${slug}/invites`, "staff", { role: "resident", buildingId });
    const accepted = await api.call("POST", `/api/v1/invites/${created.token}/accept`, null, {
      username: "fivebuilding",
      displayName: "五号楼新人",
      phone: "13600000030",
      password: "a-long-password-1",
    });
    expect(accepted.status).toBe(200);
    const foreign = await api.call("POST", `/api/v1/communities/${slug}/invites`, "staff", { role: "resident", buildingId: "nosuchbuilding" });
    expect(foreign.status).toBe(400);
    expect(foreign.json.key).toBe("errors.invitePlaceInvalid");
  });
});

describe("a member deactivated everywhere", () => {
  it("gets a clear 403 from the token endpoint and the sign-in page, only with the right password", async () => {
    const members = (await api.ok("GET", `/api/v1/communities/${slug}/members`, "staff")).members as { userId: string; displayName: string }[];
    const observer = members.find((m) => m.displayName === "吴晓东")!;
    await api.ok("POST", `/api/v1/communities/${slug}/members/${observer.userId}/status`, "staff", { active: false });
    const refused = await api.call("POST", "/api/v1/auth/token", null, { identifier: "13800000009", password: "yishi2026" });
    expect(refused.status).toBe(403);
    expect(refused.json.key).toBe("errors.accountDeactivated");
    expect((await api.call("POST", "/api/v1/auth/token", null, { identifier: "13800000009", password: "wrong-one" })).status).toBe(401);
    const page = await fetch(`${server.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ identifier: "observer", password: "yishi2026" }),
      redirect: "manual",
    });
    expect(page.status).toBe(403);
    expect(page.headers.getSetCookie().some((c) => c.startsWith("yishi_session="))).toBe(false);
    await api.ok("POST", `/api/v1/communities/${slug}/members/${observer.userId}/status`, "staff", { active: true });
    expect((await api.call("POST", "/api/v1/auth/token", null, { identifier: "13800000009", password: "yishi2026" })).status).toBe(200);
  });
});
