// A resident roster (花名册) checked row by row before anything is written: pure
// rules, no database and no file format (roster-import.server.ts reads CSV and
// .xlsx into a table and loads the community's places and members). Every
// problem names its row as the spreadsheet shows it (the header is row 1, the
// first person row 2) and a reason, an i18n key under errors.roster*.
import type { Role } from "~/utils/domain";
import { ROLES } from "~/utils/domain";
import { MOBILE, normalisePhone } from "~/utils/phone";

import { ROSTER_COLUMNS, ROSTER_LIMITS, type RosterColumn } from "~/utils/roster-schemas";

export { ROSTER_COLUMNS, ROSTER_LIMITS, type RosterColumn };
const REQUIRED: readonly RosterColumn[] = ["name", "phone", "building"];

/** Header words accepted for each column, compared after normalising (NFKC, lowercase, no spaces). */
const HEADERS: Record<RosterColumn, readonly string[]> = {
  name: ["姓名", "名字", "name", "displayname"],
  phone: ["手机号", "手机号码", "手机", "电话", "联系电话", "phone", "mobile"],
  building: ["楼栋", "楼号", "楼", "building"],
  unit: ["单元", "unit"],
  household: ["房号", "户号", "门牌号", "房间号", "household", "room"],
  role: ["角色", "身份", "role"],
  grid: ["网格", "grid"],
};

/** Role names as staff write them in a spreadsheet (Chinese first; the code names are accepted too). */
const ROLE_WORDS: Record<string, Role> = {
  居民: "resident",
  住户: "resident",
  业主: "resident",
  网格员: "gridWorker",
  楼栋长: "buildingHead",
  楼长: "buildingHead",
  单元长: "unitHead",
  社区工作者: "communityStaff",
  社区干部: "communityStaff",
  物业: "propertyCompany",
  业委会: "ownersCommittee",
  业委会委员: "ownersCommittee",
  记录员: "secretary",
  书记员: "secretary",
  主持人: "chair",
  列席: "observer",
  列席人员: "observer",
  ...Object.fromEntries(ROLES.map((r) => [r.toLowerCase(), r])),
};

const MAX_NAME = 40;
const MAX_HOUSEHOLD = 40;

/** Two rows naming the same new household in a unit create it once. */
export const householdKey = (unitId: string, name: string) => `${unitId}|${norm(name)}`;

const norm = (s: string) => s.normalize("NFKC").replace(/\s+/g, "").toLowerCase();
/** Cell text as people mean it: full-width digits and spaces folded (NFKC), trimmed. */
export const cell = (s: string | undefined) => (s ?? "").normalize("NFKC").trim();

/** Every row of the sheet, in order: rows[i] is what the spreadsheet shows as row i + 1. */
export type RosterTable = string[][];

export type FileProblem = { key: string; values?: Record<string, string | number> };
export type RowProblem = { row: number; field: RosterColumn | "_row"; key: string; values?: Record<string, string | number> };

/** How far down a title line or two may push the header row (花名册 sheets often start with a title). */
const HEADER_SEARCH_ROWS = 10;

/** Where each column is in the file, or why the header cannot be read. */
export function mapHeader(header: string[]): { ok: true; columns: Partial<Record<RosterColumn, number>> } | { ok: false; problem: FileProblem } {
  const columns: Partial<Record<RosterColumn, number>> = {};
  header.forEach((h, i) => {
    const word = norm(h.replace(/^\uFEFF/, ""));
    for (const col of ROSTER_COLUMNS) if (columns[col] === undefined && HEADERS[col].includes(word)) columns[col] = i;
  });
  const missing = REQUIRED.filter((c) => columns[c] === undefined);
  if (missing.length) return { ok: false, problem: { key: "errors.rosterColumnsMissing", values: { columns: missing.map((c) => HEADERS[c][0]).join("、") } } };
  return { ok: true, columns };
}

/** The community's places as the roster names them. Names are compared after normalising. */
export type RosterPlaces = {
  grids: { id: string; name: string; code: string }[];
  buildings: {
    id: string;
    name: string;
    gridId: string | null;
    /** A household (户) is always in a unit. */
    units: { id: string; name: string; households: { id: string; name: string }[] }[];
  }[];
};

/** Accounts that already have one of the file's phone numbers. */
export type KnownPerson = {
  userId: string;
  displayName: string;
  /** Their roles in this community (empty: an account of another community); active false when staff deactivated them here. */
  roles: Role[];
  active: boolean;
};

/**
 * What happens to a row that has no error:
 * - new: a new account (no password until they activate it through their link) and membership;
 * - join: an account of another community joins this one (name in the file ignored: theirs stays);
 * - update: a member here gets the row's role (if new to them) and the row's place on it;
 * - skip: a member staff deactivated here, left as they are (reactivating is a deliberate step).
 */
export type RosterOutcome = "new" | "join" | "update" | "skip";

export type RosterRow = {
  row: number;
  name: string;
  phone: string;
  role: Role;
  gridId: string | null;
  buildingId: string;
  unitId: string | null;
  householdId: string | null;
  /** A household named in the file that does not exist yet: created by the import, in unitId. */
  newHousehold: string | null;
  outcome: RosterOutcome;
  userId: string | null;
};

export type RosterReport = {
  file: FileProblem | null;
  rows: RosterRow[];
  problems: RowProblem[];
  summary: { rows: number; newPeople: number; existing: number; skipped: number; newHouseholds: number; errors: number; errorRows: number };
};

/** A place name or number: "3" finds 3号楼 (buildings), "2" finds 2单元 (units). */
function finder<T extends { name: string }>(items: T[], suffix: string) {
  const byName = new Map<string, T>();
  for (const it of items) byName.set(norm(it.name), it);
  return (raw: string): T | undefined => {
    const n = norm(raw);
    return byName.get(n) ?? (/^\d+$/.test(n) ? byName.get(n + suffix) : undefined);
  };
}

export function parseRole(raw: string): Role | null {
  const v = norm(raw);
  if (!v) return "resident";
  return ROLE_WORDS[v] ?? null;
}

const EMPTY_SUMMARY = { rows: 0, newPeople: 0, existing: 0, skipped: 0, newHouseholds: 0, errors: 0, errorRows: 0 };

/**
 * Checks every row of a roster against the community's places and its people.
 * Nothing is decided by the client: the commit runs this again on the file it stores.
 */
export function validateRoster(table: RosterTable, places: RosterPlaces, known: ReadonlyMap<string, KnownPerson>): RosterReport {
  let header = mapHeader(table[0] ?? []);
  let headerAt = 0;
  for (let i = 1; !header.ok && i < Math.min(table.length, HEADER_SEARCH_ROWS); i++) {
    const next = mapHeader(table[i]!);
    if (next.ok) [header, headerAt] = [next, i];
  }
  if (!header.ok) return { file: header.problem, rows: [], problems: [], summary: EMPTY_SUMMARY };
  const nonEmpty = table
    .map((r, i) => ({ cells: r, row: i + 1 }))
    .slice(headerAt + 1)
    .filter((r) => r.cells.some((c) => cell(c) !== ""));
  if (nonEmpty.length === 0) return { file: { key: "errors.rosterEmpty" }, rows: [], problems: [], summary: EMPTY_SUMMARY };
  if (nonEmpty.length > ROSTER_LIMITS.maxRows)
    return { file: { key: "errors.rosterTooManyRows", values: { max: ROSTER_LIMITS.maxRows } }, rows: [], problems: [], summary: EMPTY_SUMMARY };

  const col = header.columns;
  const at = (cells: string[], c: RosterColumn) => (col[c] === undefined ? "" : cell(cells[col[c]!]));
  const findBuilding = finder(places.buildings, "号楼");
  const findGrid = finder(places.grids, "网格");
  const gridByCode = new Map(places.grids.map((g) => [norm(g.code), g]));
  const firstRowOfPhone = new Map<string, number>();
  const problems: RowProblem[] = [];
  const rows: RosterRow[] = [];
  const newHouseholds = new Set<string>();

  for (const { cells, row } of nonEmpty) {
    const before = problems.length;
    const bad = (field: RowProblem["field"], key: string, values?: RowProblem["values"]) => problems.push({ row, field, key, ...(values ? { values } : {}) });

    const name = at(cells, "name");
    if (!name) bad("name", "errors.rosterNameMissing");
    else if (name.length > MAX_NAME) bad("name", "errors.rosterNameTooLong", { max: MAX_NAME });

    const rawPhone = at(cells, "phone");
    const phone = normalisePhone(rawPhone);
    if (!phone) bad("phone", "errors.rosterPhoneMissing");
    else if (!MOBILE.test(phone)) bad("phone", "errors.rosterPhoneInvalid", { value: rawPhone.slice(0, 30) });
    else {
      const first = firstRowOfPhone.get(phone);
      if (first !== undefined) bad("phone", "errors.rosterPhoneDuplicate", { first });
      else firstRowOfPhone.set(phone, row);
    }

    const roleText = at(cells, "role");
    const role = parseRole(roleText);
    if (!role) bad("role", "errors.rosterRoleUnknown", { value: roleText.slice(0, 30) });

    const buildingText = at(cells, "building");
    const building = buildingText ? findBuilding(buildingText) : undefined;
    if (!buildingText) bad("building", "errors.rosterBuildingMissing");
    else if (!building) bad("building", "errors.rosterBuildingUnknown", { value: buildingText.slice(0, 30) });

    const unitText = at(cells, "unit");
    const householdText = at(cells, "household");
    let unit = building && unitText ? finder(building.units, "单元")(unitText) : undefined;
    if (building && unitText && !unit) bad("unit", "errors.rosterUnitUnknown", { value: unitText.slice(0, 30), building: building.name });
    // A household lives in a unit: a building of one unit needs no unit column.
    if (building && !unitText && householdText) {
      if (building.units.length === 1) unit = building.units[0];
      else bad("unit", "errors.rosterUnitNeeded", { building: building.name });
    }

    const gridText = at(cells, "grid");
    let gridId = building?.gridId ?? null;
    if (gridText) {
      const grid = findGrid(gridText) ?? gridByCode.get(norm(gridText));
      if (!grid) bad("grid", "errors.rosterGridUnknown", { value: gridText.slice(0, 30) });
      // A building belongs to one grid: a different grid in the file is a mistake, not a move.
      else if (building?.gridId && building.gridId !== grid.id)
        bad("grid", "errors.rosterGridMismatch", { value: gridText.slice(0, 30), building: building.name });
      else gridId = grid.id;
    }

    let householdId: string | null = null;
    let newHousehold: string | null = null;
    if (householdText && unit) {
      if (householdText.length > MAX_HOUSEHOLD) bad("household", "errors.rosterHouseholdTooLong", { max: MAX_HOUSEHOLD });
      else {
        const found = finder(unit.households, "室")(householdText);
        if (found) householdId = found.id;
        else {
          newHousehold = householdText;
          newHouseholds.add(householdKey(unit.id, householdText));
        }
      }
    }

    if (problems.length > before) continue;
    const person = known.get(phone);
    const outcome: RosterOutcome = !person ? "new" : person.roles.length === 0 ? "join" : person.active ? "update" : "skip";
    rows.push({
      row,
      name,
      phone,
      role: role!,
      gridId,
      buildingId: building!.id,
      unitId: unit?.id ?? null,
      householdId,
      newHousehold,
      outcome,
      userId: person?.userId ?? null,
    });
  }

  const errorRows = new Set(problems.map((p) => p.row)).size;
  const count = (o: RosterOutcome) => rows.filter((r) => r.outcome === o).length;
  return {
    file: null,
    rows,
    problems,
    summary: {
      rows: nonEmpty.length,
      newPeople: count("new"),
      existing: count("join") + count("update"),
      skipped: count("skip"),
      newHouseholds: newHouseholds.size,
      errors: problems.length,
      errorRows,
    },
  };
}

/** Whether a report may be imported: a readable file, at least one row, no error anywhere. */
export function importable(report: RosterReport): boolean {
  return report.file === null && report.problems.length === 0 && report.rows.length > 0;
}
