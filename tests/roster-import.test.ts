// Importing a resident roster (issue 11, point 4) against real SQLite: the preview reports
// every bad row and writes nothing, the import is all or nothing and checks again, files in
// UTF-8 (with BOM), GBK and .xlsx read the same; activation links, invites with a place, and
// sign-in of deactivated members.
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { activate, findUsableActivation, issueActivationLink, NO_PASSWORD } from "~/models/activation.server";
import { acceptInvite, createInvite } from "~/models/invite.server";
import { setMemberActive } from "~/models/member.server";
import { importRoster, previewRoster, RosterHasErrors } from "~/models/roster-import.server";
import { checkCredentials } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import { isRefusal } from "~/utils/errors";
import { can, loadActor } from "~/utils/permissions.server";
import { actorOf, demo } from "./fixtures/demo";

const HEADER = ["姓名", "手机号", "楼栋", "单元", "房号", "角色", "网格"];

/** n good rows: the demo's six buildings of two units, a new household per twelve people, a few building heads. */
function roster(n: number, phoneBase: number): string[][] {
  return Array.from({ length: n }, (_, i) => [
    `居民${phoneBase % 1000}-${i}`,
    String(phoneBase + i),
    `${(i % 6) + 1}号楼`,
    `${(i % 2) + 1}单元`,
    String(Math.floor(i / 12) + 101),
    i % 50 === 0 ? "楼栋长" : i % 3 === 0 ? "居民" : "",
    "",
  ]);
}

const csv = (rows: string[][]) => [HEADER, ...rows].map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",")).join("\r\n");
const utf8 = (text: string) => new TextEncoder().encode(text);
const withBom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]);

/** GBK bytes, by inverting the platform's GBK decoder (the test needs no encoder package). */
let gbkTable: Map<string, number[]> | null = null;
function gbk(text: string): Uint8Array {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder("gbk");
    for (let hi = 0x81; hi <= 0xfe; hi++)
      for (let lo = 0x40; lo <= 0xfe; lo++) {
        if (lo === 0x7f) continue;
        const ch = decoder.decode(new Uint8Array([hi, lo]));
        if (ch.length === 1 && ch !== "\ufffd" && !gbkTable.has(ch)) gbkTable.set(ch, [hi, lo]);
      }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else out.push(...(gbkTable.get(ch) ?? [0x3f]));
  }
  return new Uint8Array(out);
}

async function xlsx(rows: string[][], { title }: { title?: string } = {}): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("花名册");
  if (title) sheet.addRow([title]);
  sheet.addRow(HEADER);
  // Phone numbers as Excel keeps them when typed: numbers.
  for (const r of rows) sheet.addRow(r.map((c, i) => (i === 1 && /^\d{11}$/.test(c) ? Number(c) : c)));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

async function counts() {
  const [users, memberships, households, audit, uploads] = await Promise.all([
    prisma.user.count(),
    prisma.membership.count(),
    prisma.household.count(),
    prisma.auditEntry.count(),
    prisma.rosterUpload.count(),
  ]);
  return { users, memberships, households, audit, uploads };
}

async function refusalOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isRefusal(error)) return { status: error.status, key: error.key };
    throw error;
  }
  throw new Error("not refused");
}

let communityId: string;
let staff: Awaited<ReturnType<typeof actorOf>>;
beforeAll(async () => {
  const d = await demo();
  communityId = d.council.communityId;
  staff = await actorOf("staff");
});

describe("a roster of 5 000 rows with 20 bad ones", () => {
  // [data index, change, field, reason]: row numbers are the spreadsheet's (header = row 1).
  const BAD: [number, (r: string[], all: string[][]) => void, string, string][] = [
    [10, (r) => (r[1] = "12345"), "phone", "errors.rosterPhoneInvalid"],
    [250, (r) => (r[1] = "10012345678"), "phone", "errors.rosterPhoneInvalid"],
    [499, (r) => (r[1] = "1.38E+10"), "phone", "errors.rosterPhoneInvalid"],
    [777, (r) => (r[1] = ""), "phone", "errors.rosterPhoneMissing"],
    [1000, (r) => (r[0] = ""), "name", "errors.rosterNameMissing"],
    [1500, (r) => (r[0] = "  "), "name", "errors.rosterNameMissing"],
    [1999, (r) => (r[0] = "张".repeat(41)), "name", "errors.rosterNameTooLong"],
    [2100, (r) => (r[2] = "99号楼"), "building", "errors.rosterBuildingUnknown"],
    [2200, (r) => (r[2] = ""), "building", "errors.rosterBuildingMissing"],
    [2300, (r) => (r[2] = "七号楼"), "building", "errors.rosterBuildingUnknown"],
    [2400, (r) => (r[3] = "9单元"), "unit", "errors.rosterUnitUnknown"],
    [2500, (r) => (r[3] = ""), "unit", "errors.rosterUnitNeeded"],
    [3000, (r, all) => (r[1] = all[5]![1]!), "phone", "errors.rosterPhoneDuplicate"],
    [3100, (r, all) => (r[1] = all[6]![1]!), "phone", "errors.rosterPhoneDuplicate"],
    [3200, (r, all) => (r[1] = all[100]![1]!), "phone", "errors.rosterPhoneDuplicate"],
    [3500, (r) => (r[5] = "校长"), "role", "errors.rosterRoleUnknown"],
    [3600, (r) => (r[5] = "boss"), "role", "errors.rosterRoleUnknown"],
    [4000, (r) => (r[6] = "第九网格"), "grid", "errors.rosterGridUnknown"],
    [4100, (r) => (r[6] = "第三网格"), "grid", "errors.rosterGridMismatch"], // 3号楼 is in the second grid
    [4999, (r) => (r[4] = "x".repeat(41)), "household", "errors.rosterHouseholdTooLong"],
  ];

  it("reports exactly those 20 rows and reasons, and writes nothing, in the preview or the refused import", async () => {
    const rows = roster(5000, 15000000000);
    for (const [i, change] of BAD) change(rows[i]!, rows);
    const bytes = utf8(csv(rows));
    const before = await counts();

    let t = performance.now();
    const preview = await previewRoster(staff, communityId, { name: "bad.csv", bytes });
    console.log(`[measure] preview of 5 000 rows (CSV, 20 bad): ${Math.round(performance.now() - t)} ms`);
    expect(preview.file).toBeNull();
    expect(preview.importable).toBe(false);
    expect(preview.uploadId).toBeNull();
    expect(preview.problems.map(({ row, field, key }) => ({ row, field, key }))).toEqual(BAD.map(([i, , field, key]) => ({ row: i + 2, field, key })));
    expect(preview.problems.filter((p) => p.key === "errors.rosterPhoneDuplicate").map((p) => p.values)).toEqual([{ first: 7 }, { first: 8 }, { first: 102 }]);
    expect(preview.summary).toEqual(expect.objectContaining({ rows: 5000, errors: 20, errorRows: 20, newPeople: 4980, existing: 0 }));

    t = performance.now();
    const refused = await refusalOf(importRoster(staff, communityId, { name: "bad.csv", bytes }));
    console.log(`[measure] refused import of 5 000 rows (CSV, 20 bad): ${Math.round(performance.now() - t)} ms`);
    expect(refused).toEqual({ status: 422, key: "errors.rosterHasErrors" });
    expect(await counts()).toEqual(before);
  });
});

describe("a clean roster", () => {
  it("imports all 5 000 rows in one go: accounts without a password, memberships with their places, new households, one audit entry with the counts", async () => {
    const rows = roster(5000, 16600000000);
    const bytes = await xlsx(rows);
    const before = await counts();
    let t = performance.now();
    const preview = await previewRoster(staff, communityId, { name: "clean.xlsx", bytes });
    console.log(`[measure] preview of 5 000 rows (.xlsx): ${Math.round(performance.now() - t)} ms`);
    expect(preview.problems).toEqual([]);
    expect(preview.importable).toBe(true);
    const named = new Set(rows.map((r) => `${r[2]}|${r[3]}|${r[4]}`));
    const existing = await prisma.household.findMany({
      where: { unit: { building: { communityId } } },
      select: { name: true, unit: { select: { name: true, building: { select: { name: true } } } } },
    });
    const fresh = [...named].filter((k) => !existing.some((h) => `${h.unit.building.name}|${h.unit.name}|${h.name}` === k)).length;
    expect(fresh).toBeGreaterThan(2000);
    expect(preview.summary).toEqual({ rows: 5000, newPeople: 5000, existing: 0, skipped: 0, newHouseholds: fresh, errors: 0, errorRows: 0 });
    expect((await counts()).uploads).toBe(before.uploads + 1);

    t = performance.now();
    const result = await importRoster(staff, communityId, { uploadId: preview.uploadId! });
    console.log(`[measure] import of 5 000 rows (.xlsx, stored upload): ${Math.round(performance.now() - t)} ms`);
    expect(result).toEqual(expect.objectContaining({ rows: 5000, imported: 5000, newPeople: 5000, existing: 0, newHouseholds: preview.summary.newHouseholds }));
    const after = await counts();
    expect(after.users - before.users).toBe(5000);
    expect(after.memberships - before.memberships).toBe(5000);
    expect(after.households - before.households).toBe(preview.summary.newHouseholds);
    expect(after.audit - before.audit).toBe(5001);
    expect(after.uploads).toBe(before.uploads); // the upload is gone once imported

    const people = await prisma.user.findMany({ where: { phone: { startsWith: "166000" } }, select: { passwordHash: true, createdAt: true, locale: true } });
    expect(people).toHaveLength(5000);
    // Rows written in bulk read back like any other: times as times, defaults filled in.
    expect(people.every((p) => Math.abs(p.createdAt.getTime() - Date.now()) < 600_000)).toBe(true);
    expect(people.every((p) => p.locale === "zh-CN")).toBe(true);
    const newest = await prisma.user.findFirstOrThrow({ orderBy: { createdAt: "desc" }, select: { phone: true } });
    expect(newest.phone?.startsWith("166000")).toBe(true);
    expect(people.every((p) => p.passwordHash === NO_PASSWORD)).toBe(true);
    const first = await prisma.membership.findFirstOrThrow({
      where: { user: { phone: "16600000000" } },
      select: {
        role: true,
        grid: { select: { code: true } },
        building: { select: { name: true } },
        unit: { select: { name: true } },
        household: { select: { name: true } },
      },
    });
    expect(first).toEqual({ role: "buildingHead", grid: { code: "G01" }, building: { name: "1号楼" }, unit: { name: "1单元" }, household: { name: "101" } });
    const entry = await prisma.auditEntry.findFirstOrThrow({ where: { communityId, action: "roster.import" }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(entry.after)).toEqual(expect.objectContaining({ file: "clean.xlsx", rows: 5000, newPeople: 5000 }));

    // The same upload cannot be imported twice.
    expect(await refusalOf(importRoster(staff, communityId, { uploadId: preview.uploadId! }))).toEqual({ status: 404, key: "errors.notFound" });
  }, 120_000);

  it("reads CSV in UTF-8 with a BOM, in GBK, and .xlsx with a title line, the same way", async () => {
    const rows = [
      ["王喆", "13911110001", "1号楼", "1单元", "101", "居民", ""],
      ["李堃", "13911110002", "2", "2", "", "楼栋长", "第一网格"],
    ];
    const expected = [
      { row: 2, name: "王喆", phone: "13911110001", role: "resident" },
      { row: 3, name: "李堃", phone: "13911110002", role: "buildingHead" },
    ];
    for (const [name, bytes] of [
      ["bom.csv", withBom(csv(rows))],
      ["gbk.csv", gbk(csv(rows))],
    ] as const) {
      const preview = await previewRoster(staff, communityId, { name, bytes });
      expect(preview.problems, name).toEqual([]);
      expect(
        preview.rows.map(({ row, name, phone, role }) => ({ row, name, phone, role })),
        name,
      ).toEqual(expected);
    }
    const titled = await previewRoster(staff, communityId, { name: "t.xlsx", bytes: await xlsx(rows, { title: "幸福里社区居民花名册" }) });
    expect(titled.problems).toEqual([]);
    expect(titled.rows.map((r) => r.row)).toEqual([3, 4]);
    expect(titled.rows.map((r) => r.name)).toEqual(["王喆", "李堃"]);
  });

  it("updates a member here, lets an account of another community join, skips a deactivated member", async () => {
    const resident3 = await actorOf("resident3");
    await setMemberActive(staff, communityId, resident3.userId, false);
    const rows = [
      ["刘建国", "13800000006", "3号楼", "1单元", "", "单元长", ""], // resident1: gets the unit head role
      ["郑涛", "13800000010", "2号楼", "", "", "", ""], // outsider, of 春华社区: joins
      ["周明", "13800000008", "1号楼", "", "", "", ""], // resident3, deactivated here: skipped
    ];
    const preview = await previewRoster(staff, communityId, { name: "mixed.csv", bytes: utf8(csv(rows)) });
    expect(preview.rows.map((r) => r.outcome)).toEqual(["update", "join", "skip"]);
    expect(preview.summary).toEqual(expect.objectContaining({ newPeople: 0, existing: 2, skipped: 1 }));
    await importRoster(staff, communityId, { uploadId: preview.uploadId! });
    const roles = async (phone: string) =>
      (await prisma.membership.findMany({ where: { communityId, user: { phone } }, select: { role: true }, orderBy: { role: "asc" } })).map((m) => m.role);
    expect(await roles("13800000006")).toEqual(["resident", "unitHead"]);
    expect(await roles("13800000010")).toEqual(["resident"]);
    expect(await roles("13800000008")).toEqual(["resident"]);
    const outsider = await prisma.user.findUniqueOrThrow({ where: { phone: "13800000010" } });
    expect(outsider.displayName).toBe("郑涛");
    await setMemberActive(staff, communityId, resident3.userId, true);
  });
});

describe("the import checks again", () => {
  it("refuses when the file given to the import has changed to contain an error, and writes nothing", async () => {
    const rows = roster(30, 17700000000);
    const preview = await previewRoster(staff, communityId, { name: "a.csv", bytes: utf8(csv(rows)) });
    expect(preview.importable).toBe(true);
    const changed = rows.map((r) => [...r]);
    changed[12]![1] = "1770000001"; // one digit short
    const before = await counts();
    expect(await refusalOf(importRoster(staff, communityId, { name: "a.csv", bytes: utf8(csv(changed)) }))).toEqual({
      status: 422,
      key: "errors.rosterHasErrors",
    });
    expect(await counts()).toEqual(before);
  });

  it("refuses a stored upload that became wrong since its preview (its building was archived), and writes nothing", async () => {
    const rows = roster(12, 17800000000);
    const preview = await previewRoster(staff, communityId, { name: "b.csv", bytes: utf8(csv(rows)) });
    expect(preview.importable).toBe(true);
    const building = await prisma.building.findFirstOrThrow({ where: { communityId, name: "6号楼" } });
    await prisma.building.update({ where: { id: building.id }, data: { archivedAt: new Date() } });
    const before = await counts();
    try {
      const error = await importRoster(staff, communityId, { uploadId: preview.uploadId! }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RosterHasErrors);
      expect((error as RosterHasErrors).report.problems.map((p) => p.key)).toEqual(["errors.rosterBuildingUnknown", "errors.rosterBuildingUnknown"]);
      expect(await counts()).toEqual(before);
    } finally {
      await prisma.building.update({ where: { id: building.id }, data: { archivedAt: null } });
    }
  });

  it("refuses a file that is not a roster with a reason", async () => {
    const noHeader = await previewRoster(staff, communityId, { name: "x.csv", bytes: utf8("a,b\n1,2") });
    expect(noHeader).toEqual(
      expect.objectContaining({ importable: false, uploadId: null, file: { key: "errors.rosterColumnsMissing", values: { columns: "姓名、手机号、楼栋" } } }),
    );
    expect(await refusalOf(previewRoster(staff, communityId, { name: "x.csv", bytes: new Uint8Array() }))).toEqual({ status: 400, key: "errors.rosterEmpty" });
    expect(await refusalOf(previewRoster(staff, communityId, { name: "x.xls", bytes: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0]) }))).toEqual({
      status: 400,
      key: "errors.rosterOldExcel",
    });
    expect(await refusalOf(previewRoster(staff, communityId, { name: "x.xlsx", bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]) }))).toEqual({
      status: 400,
      key: "errors.rosterUnreadable",
    });
  });
});

describe("only staff import", () => {
  it.each(["resident1", "grid1", "observer", "outsider"])("%s is refused (403) and nothing is written", async (username) => {
    const actor = await actorOf(username);
    const before = await counts();
    const bytes = utf8(csv(roster(3, 18800000000)));
    expect(await refusalOf(previewRoster(actor, communityId, { name: "p.csv", bytes }))).toEqual({ status: 403, key: "errors.forbidden" });
    expect(await refusalOf(importRoster(actor, communityId, { name: "p.csv", bytes }))).toEqual({ status: 403, key: "errors.forbidden" });
    expect(await counts()).toEqual(before);
  });
});

describe("activation links", () => {
  const tokenOf = (url: string) => url.split("/activate/")[1]!;

  it("let an imported resident set a password once, then sign in by phone; a used, replaced or expired link is refused", async () => {
    const preview = await previewRoster(staff, communityId, { name: "c.csv", bytes: utf8(csv(roster(2, 19900000000))) });
    await importRoster(staff, communityId, { uploadId: preview.uploadId! });
    const [a, b] = await prisma.user.findMany({ where: { phone: { in: ["19900000000", "19900000001"] } }, orderBy: { phone: "asc" } });
    expect((await checkCredentials("19900000000", "anything at all", "203.0.113.7")).ok).toBe(false);

    const first = await issueActivationLink(staff, communityId, a!.id, "http://yishi.test");
    const second = await issueActivationLink(staff, communityId, a!.id, "http://yishi.test");
    expect(second.qr).toMatch(/^<svg/);
    // A new link replaces the unused one.
    expect(await findUsableActivation(tokenOf(first.url))).toBeNull();
    expect(await activate(tokenOf(first.url), "a-long-password-1")).toEqual({ ok: false });
    expect(await activate(tokenOf(second.url), "a-long-password-1")).toEqual({ ok: true, userId: a!.id });
    // Single use.
    expect(await activate(tokenOf(second.url), "another-password-2")).toEqual({ ok: false });
    const signIn = await checkCredentials("199 0000 0000", "a-long-password-1", "203.0.113.7");
    expect(signIn.ok).toBe(true);
    // Not for an account that has a password: a link must never take one over.
    expect(await refusalOf(issueActivationLink(staff, communityId, a!.id, "http://yishi.test"))).toEqual({ status: 409, key: "errors.activationNotNeeded" });

    // Expiry.
    const third = await issueActivationLink(staff, communityId, b!.id, "http://yishi.test");
    await prisma.activationLink.updateMany({ where: { userId: b!.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await findUsableActivation(tokenOf(third.url))).toBeNull();
    expect(await activate(tokenOf(third.url), "a-long-password-1")).toEqual({ ok: false });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: b!.id } })).passwordHash).toBe(NO_PASSWORD);

    // Only staff issue them.
    expect(await refusalOf(issueActivationLink(await actorOf("resident1"), communityId, b!.id, "http://yishi.test"))).toEqual({
      status: 403,
      key: "errors.forbidden",
    });
  });
});

describe("invites with a place", () => {
  it("give the accepted membership the place, derived up to its grid; a place of another community is refused", async () => {
    const unit = await prisma.unit.findFirstOrThrow({ where: { building: { communityId, name: "4号楼" }, name: "2单元" }, include: { building: true } });
    const household = await prisma.household.create({ data: { unitId: unit.id, name: "邀请-402" } });
    const created = await createInvite(communityId, staff.userId, { role: "resident", note: "", householdId: household.id, expiresInDays: 7, maxUses: 1 });
    if (!created.token) throw new Error(JSON.stringify(created));
    const accepted = await acceptInvite(created.token, {
      account: { username: "invitee402", displayName: "新住户", phone: "13512345678", password: "a-long-password-1" },
    });
    if (!accepted.ok) throw new Error(JSON.stringify(accepted));
    expect(
      await prisma.membership.findFirstOrThrow({
        where: { userId: accepted.userId, communityId },
        select: { role: true, gridId: true, buildingId: true, unitId: true, householdId: true },
      }),
    ).toEqual({ role: "resident", gridId: unit.building.gridId, buildingId: unit.buildingId, unitId: unit.id, householdId: household.id });

    const otherGrid = await prisma.grid.create({
      data: { communityId: (await prisma.community.findUniqueOrThrow({ where: { slug: "chunhua" } })).id, name: "外", code: "X1" },
    });
    expect(await createInvite(communityId, staff.userId, { role: "resident", note: "", gridId: otherGrid.id, expiresInDays: 7, maxUses: 1 })).toEqual({
      error: { place: "errors.invitePlaceInvalid" },
    });
    // Ids that do not belong together.
    const otherBuilding = await prisma.building.findFirstOrThrow({ where: { communityId, name: "1号楼" } });
    expect(
      await createInvite(communityId, staff.userId, {
        role: "resident",
        note: "",
        unitId: unit.id,
        buildingId: otherBuilding.id,
        expiresInDays: 7,
        maxUses: 1,
      }),
    ).toEqual({ error: { place: "errors.invitePlaceInvalid" } });
  });
});

describe("a deactivated member", () => {
  it("deactivated in their only community cannot sign in (a clear refusal, only with the right password); their history stays", async () => {
    const observer = await actorOf("observer");
    await setMemberActive(staff, communityId, observer.userId, false);
    expect(await checkCredentials("13800000009", "yishi2026", "203.0.113.9")).toEqual({ ok: false, reason: "deactivated" });
    expect(await checkCredentials("observer", "yishi2026", "203.0.113.9")).toEqual({ ok: false, reason: "deactivated" });
    expect(await checkCredentials("13800000009", "wrong-password", "203.0.113.9")).toEqual({ ok: false, reason: "invalid" });
    expect(await prisma.membership.count({ where: { userId: observer.userId } })).toBe(1);
    await setMemberActive(staff, communityId, observer.userId, true);
    expect((await checkCredentials("13800000009", "yishi2026", "203.0.113.9")).ok).toBe(true);
  });

  it("deactivated in one of two communities signs in but cannot act there", async () => {
    const resident3 = await actorOf("resident3");
    const chunhua = await prisma.community.findUniqueOrThrow({ where: { slug: "chunhua" } });
    await prisma.membership.create({ data: { userId: resident3.userId, communityId: chunhua.id, role: "resident" } });
    const topicsBefore = await prisma.topic.count({ where: { raisedById: resident3.userId } });
    await setMemberActive(staff, communityId, resident3.userId, false);
    expect((await checkCredentials("13800000008", "yishi2026", "203.0.113.10")).ok).toBe(true);
    const actor = (await loadActor(resident3.userId))!;
    expect(can(actor, "topic:raise", { type: "community", communityId })).toBe(false);
    expect(can(actor, "community:view", { type: "community", communityId })).toBe(false);
    expect(can(actor, "topic:raise", { type: "community", communityId: chunhua.id })).toBe(true);
    expect(await prisma.topic.count({ where: { raisedById: resident3.userId } })).toBe(topicsBefore);
    expect(topicsBefore).toBeGreaterThan(0);
    await setMemberActive(staff, communityId, resident3.userId, true);
  });
});
