// The roster's row rules (app/models/roster-import.ts), table-tested without a database.
import { describe, expect, it } from "vitest";
import { importable, mapHeader, parseRole, validateRoster, type KnownPerson, type RosterPlaces } from "~/models/roster-import";
import { normalisePhone } from "~/utils/phone";

const places: RosterPlaces = {
  grids: [
    { id: "g1", name: "第一网格", code: "G01" },
    { id: "g2", name: "第二网格", code: "G02" },
  ],
  buildings: [
    {
      id: "b1",
      name: "1号楼",
      gridId: "g1",
      units: [
        { id: "u11", name: "1单元", households: [{ id: "h101", name: "101" }] },
        { id: "u12", name: "2单元", households: [] },
      ],
    },
    { id: "b2", name: "2号楼", gridId: null, units: [{ id: "u21", name: "1单元", households: [] }] },
  ],
};
const known = new Map<string, KnownPerson>([
  ["13900000001", { userId: "here", displayName: "甲", roles: ["resident"], active: true }],
  ["13900000002", { userId: "elsewhere", displayName: "乙", roles: [], active: true }],
  ["13900000003", { userId: "gone", displayName: "丙", roles: ["resident"], active: false }],
]);
const HEADER = ["姓名", "手机号", "楼栋", "单元", "房号", "角色", "网格"];
const one = (row: string[]) => validateRoster([HEADER, row], places, known);

describe("a row's problems", () => {
  it.each([
    [["", "13800000000", "1号楼", "", "", "", ""], "name", "errors.rosterNameMissing"],
    [["张".repeat(41), "13800000000", "1号楼", "", "", "", ""], "name", "errors.rosterNameTooLong"],
    [["张三", "", "1号楼", "", "", "", ""], "phone", "errors.rosterPhoneMissing"],
    [["张三", "12800000000", "1号楼", "", "", "", ""], "phone", "errors.rosterPhoneInvalid"],
    [["张三", "1380000000", "1号楼", "", "", "", ""], "phone", "errors.rosterPhoneInvalid"],
    [["张三", "1.38E+10", "1号楼", "", "", "", ""], "phone", "errors.rosterPhoneInvalid"],
    [["张三", "13800000000", "", "", "", "", ""], "building", "errors.rosterBuildingMissing"],
    [["张三", "13800000000", "9号楼", "", "", "", ""], "building", "errors.rosterBuildingUnknown"],
    [["张三", "13800000000", "1号楼", "5单元", "", "", ""], "unit", "errors.rosterUnitUnknown"],
    [["张三", "13800000000", "1号楼", "", "301", "", ""], "unit", "errors.rosterUnitNeeded"],
    [["张三", "13800000000", "1号楼", "1", "x".repeat(41), "", ""], "household", "errors.rosterHouseholdTooLong"],
    [["张三", "13800000000", "1号楼", "", "", "校长", ""], "role", "errors.rosterRoleUnknown"],
    [["张三", "13800000000", "1号楼", "", "", "", "第九网格"], "grid", "errors.rosterGridUnknown"],
    [["张三", "13800000000", "1号楼", "", "", "", "第二网格"], "grid", "errors.rosterGridMismatch"],
  ])("%j → %s %s", (row, field, key) => {
    const report = one(row);
    expect(report.problems).toEqual([expect.objectContaining({ row: 2, field, key })]);
    expect(report.rows).toEqual([]);
    expect(importable(report)).toBe(false);
  });

  it("lists every problem of a row, not just the first", () => {
    expect(one(["", "123", "9号楼", "", "", "校长", ""]).problems.map((p) => p.field)).toEqual(["name", "phone", "role", "building"]);
  });

  it("names the first row of a duplicated phone number", () => {
    const report = validateRoster([HEADER, ["甲", "13800000000", "1号楼"], ["乙", "138 0000 0000", "2号楼"]], places, known);
    expect(report.problems).toEqual([{ row: 3, field: "phone", key: "errors.rosterPhoneDuplicate", values: { first: 2 } }]);
  });
});

describe("a good row", () => {
  it.each([
    [
      ["张三", "13800000000", "1号楼", "1单元", "101", "", ""],
      { outcome: "new", role: "resident", gridId: "g1", buildingId: "b1", unitId: "u11", householdId: "h101", newHousehold: null },
    ],
    [
      ["张三", "+86 138-0000-0000", "1", "2", "202室", "楼栋长", ""],
      { phone: "13800000000", role: "buildingHead", unitId: "u12", householdId: null, newHousehold: "202室" },
    ],
    [["张三", "１３８００００００００", "2号楼", "", "5", "", "G02"], { phone: "13800000000", gridId: "g2", unitId: "u21", newHousehold: "5" }],
    [["张三", "13800000000", "1号楼", "", "", "", "第一网格"], { gridId: "g1" }],
    [["甲", "13900000001", "1号楼", "", "", "", ""], { outcome: "update", userId: "here" }],
    [["乙", "13900000002", "1号楼", "", "", "", ""], { outcome: "join", userId: "elsewhere" }],
    [["丙", "13900000003", "1号楼", "", "", "", ""], { outcome: "skip", userId: "gone" }],
  ])("%j", (row, expected) => {
    const report = one(row);
    expect(report.problems).toEqual([]);
    expect(report.rows[0]).toEqual(expect.objectContaining({ row: 2, ...expected }));
  });

  it("counts the summary and skips blank rows; a title line above the header is allowed", () => {
    const report = validateRoster(
      [
        ["幸福里社区居民花名册"],
        HEADER,
        ["甲", "13900000001", "1号楼"],
        [],
        ["", " "],
        ["丁", "13800000001", "1号楼", "1", "909"],
        ["戊", "13800000002", "1号楼", "1", "909"],
      ],
      places,
      known,
    );
    expect(report.rows.map((r) => r.row)).toEqual([3, 6, 7]);
    expect(report.summary).toEqual({ rows: 3, newPeople: 2, existing: 1, skipped: 0, newHouseholds: 1, errors: 0, errorRows: 0 });
    expect(importable(report)).toBe(true);
  });
});

describe("the file as a whole", () => {
  it.each([
    [[["name", "phone", "building"]], null],
    [[["Name ", "Mobile", "BUILDING", "Room"]], null],
    [[["姓名", "手机号"]], "errors.rosterColumnsMissing"],
  ])("header %j", (table, key) => {
    const mapped = mapHeader(table[0]!);
    expect(mapped.ok ? null : mapped.problem.key).toBe(key);
  });

  it("refuses an empty roster and one of more than 10 000 people", () => {
    expect(validateRoster([HEADER], places, known).file?.key).toBe("errors.rosterEmpty");
    const big = [HEADER, ...Array.from({ length: 10_001 }, (_, i) => ["x", String(13800000000 + i), "1号楼"])];
    expect(validateRoster(big, places, known).file).toEqual({ key: "errors.rosterTooManyRows", values: { max: 10_000 } });
  });

  it.each([
    ["居民", "resident"],
    ["列席", "observer"],
    ["gridWorker", "gridWorker"],
    ["", "resident"],
    ["校长", null],
  ])("role %s → %s", (word, role) => expect(parseRole(word)).toBe(role));

  it.each([
    ["+8613800000000", "13800000000"],
    ["0086 138 0000 0000", "13800000000"],
    ["(138)00000000", "13800000000"],
  ])("phone %s → %s", (raw, phone) => expect(normalisePhone(raw)).toBe(phone));
});
