// Importing a resident roster (花名册): read the file (CSV in UTF-8, with or without
// BOM, or GBK as Excel in China saves it; or .xlsx), check every row with the pure
// rules of roster-import.ts against the community's places and people, and — only
// if no row has an error — write everyone in one transaction. The preview and the
// import run the same checks; the import re-reads the stored file, so nothing the
// browser shows or sends back decides what is written.
import { randomBytes } from "node:crypto";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import type { Prisma } from "~/generated/prisma/client";
import { prisma } from "~/utils/db.server";
import type { Role } from "~/utils/domain";
import { InputRejected, Refusal } from "~/utils/errors";
import { NotFound, requirePermission, type Actor } from "~/utils/permissions.server";
import { audit } from "./audit.server";
import { insertRows } from "~/utils/bulk-insert.server";
import { NO_PASSWORD } from "./activation.server";
import {
  ROSTER_LIMITS,
  householdKey,
  importable,
  validateRoster,
  type FileProblem,
  type KnownPerson,
  type RosterPlaces,
  type RosterReport,
  type RosterTable,
} from "./roster-import";

type Tx = Prisma.TransactionClient;

/** A stored upload lives this long between the preview and the import. */
const UPLOAD_TTL_MS = 24 * 3600 * 1000;

/** A file that cannot be read as a roster: 400 with the reason. */
export class RosterFileRefused extends Refusal {
  constructor(problem: FileProblem) {
    super(400, problem.key, problem.values ?? {}, "file");
  }
}

const startsWith = (bytes: Uint8Array, ...sig: number[]) => sig.every((b, i) => bytes[i] === b);

/**
 * CSV text in the encoding it was saved in: a UTF-8 BOM or valid UTF-8 is UTF-8; anything else
 * is taken for GBK (GB18030's common part), which is what Excel in China writes by default.
 */
export function decodeCsv(bytes: Uint8Array): string {
  if (startsWith(bytes, 0xef, 0xbb, 0xbf)) return new TextDecoder("utf-8").decode(bytes.subarray(3));
  if (startsWith(bytes, 0xff, 0xfe)) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("gbk").decode(bytes);
  }
}

function readCsv(bytes: Uint8Array): RosterTable {
  const text = decodeCsv(bytes);
  // Excel's "Unicode text" is tab-separated; its CSV is comma-separated.
  const firstLine = text.slice(0, text.indexOf("\n") >>> 0);
  const delimiter = firstLine.split("\t").length > firstLine.split(",").length ? "\t" : ",";
  try {
    return parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      bom: true,
      to: ROSTER_LIMITS.maxRows + 20,
    }) as string[][];
  } catch {
    throw new RosterFileRefused({ key: "errors.rosterUnreadable" });
  }
}

async function readXlsx(bytes: Uint8Array): Promise<RosterTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    throw new RosterFileRefused({ key: "errors.rosterUnreadable" });
  }
  const sheet = workbook.worksheets.find((s) => s.actualRowCount > 0) ?? workbook.worksheets[0];
  if (!sheet) throw new RosterFileRefused({ key: "errors.rosterEmpty" });
  if (sheet.actualRowCount > ROSTER_LIMITS.maxRows + 20)
    throw new RosterFileRefused({ key: "errors.rosterTooManyRows", values: { max: ROSTER_LIMITS.maxRows } });
  // rows[i] is sheet row i + 1, blank rows included, so the row numbers of the report are the sheet's.
  const table: RosterTable = [];
  sheet.eachRow({ includeEmpty: false }, (row, n) => {
    while (table.length < n - 1) table.push([]);
    const cells: string[] = [];
    for (let c = 1; c <= Math.min(row.cellCount, 50); c++) cells.push(row.getCell(c).text ?? "");
    table.push(cells);
  });
  return table;
}

/** The file as a table: .xlsx by its zip signature, an old .xls refused with a hint, anything else CSV. */
export async function readRosterFile(bytes: Uint8Array): Promise<RosterTable> {
  if (bytes.byteLength === 0) throw new RosterFileRefused({ key: "errors.rosterEmpty" });
  if (bytes.byteLength > ROSTER_LIMITS.maxBytes)
    throw new RosterFileRefused({ key: "errors.rosterTooLarge", values: { mb: ROSTER_LIMITS.maxBytes / 1024 / 1024 } });
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) return readXlsx(bytes);
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0)) throw new RosterFileRefused({ key: "errors.rosterOldExcel" });
  return readCsv(bytes);
}

/** The community's current places (archived ones are not offered to a roster). */
export async function rosterPlaces(db: Tx | typeof prisma, communityId: string): Promise<RosterPlaces> {
  const [grids, buildings] = await Promise.all([
    db.grid.findMany({ where: { communityId, archivedAt: null }, select: { id: true, name: true, code: true } }),
    db.building.findMany({
      where: { communityId, archivedAt: null },
      select: {
        id: true,
        name: true,
        gridId: true,
        units: {
          where: { archivedAt: null },
          select: { id: true, name: true, households: { where: { archivedAt: null }, select: { id: true, name: true } } },
        },
      },
    }),
  ]);
  return { grids, buildings };
}

/** Accounts with the file's phone numbers, and their roles here. */
async function knownPeople(db: Tx | typeof prisma, communityId: string, table: RosterTable): Promise<Map<string, KnownPerson>> {
  // Every 11-digit run in the file is a candidate; the rules decide which cells are phones.
  const phones = new Set<string>();
  for (const row of table) for (const c of row) for (const m of c.normalize("NFKC").match(/1[3-9]\d{9}/g) ?? []) phones.add(m);
  const known = new Map<string, KnownPerson>();
  const list = [...phones];
  for (let i = 0; i < list.length; i += 500) {
    const users = await db.user.findMany({
      where: { phone: { in: list.slice(i, i + 500) } },
      select: { id: true, phone: true, displayName: true, memberships: { where: { communityId }, select: { role: true, deactivatedAt: true } } },
    });
    for (const u of users)
      known.set(u.phone!, {
        userId: u.id,
        displayName: u.displayName,
        roles: u.memberships.map((m) => m.role as Role),
        active: u.memberships.every((m) => !m.deactivatedAt),
      });
  }
  return known;
}

async function check(db: Tx | typeof prisma, communityId: string, table: RosterTable): Promise<RosterReport> {
  const [places, known] = await Promise.all([rosterPlaces(db, communityId), knownPeople(db, communityId, table)]);
  return validateRoster(table, places, known);
}

/** What the preview shows: the summary, every problem, and the rows (capped: the page lists the first ones). */
export function previewOf(report: RosterReport, uploadId: string | null) {
  return {
    uploadId,
    importable: importable(report),
    file: report.file,
    summary: report.summary,
    problems: report.problems,
    rows: report.rows.slice(0, 200).map((r) => ({ row: r.row, name: r.name, phone: r.phone, role: r.role, outcome: r.outcome, newHousehold: r.newHousehold })),
  };
}

/** A roster as a file (CSV or .xlsx bytes) or as rows already read (the API's JSON form, header row first). */
export type RosterSource = { name: string; bytes: Uint8Array } | { table: RosterTable };

/** Where a roster comes from in an API request: one uploaded file, or rows sent as JSON. */
export async function rosterSourceOf(files: File[], rows: RosterTable | undefined): Promise<RosterSource> {
  const file = files[0];
  if (file) return { name: file.name || "roster", bytes: new Uint8Array(await file.arrayBuffer()) };
  if (rows) return { table: rows };
  throw new InputRejected("file", "errors.rosterFileRequired");
}

const tableOf = (source: RosterSource) => ("table" in source ? source.table : readRosterFile(source.bytes));

/**
 * Checks a roster without writing anything (staff only). A file with no error is kept as an
 * upload, whose id the import takes; rows sent as JSON are simply sent again to import.
 */
export async function previewRoster(actor: Actor, communityId: string, source: RosterSource) {
  requirePermission(actor, "member:import", { type: "community", communityId });
  const table = await tableOf(source);
  const report = await check(prisma, communityId, table);
  let uploadId: string | null = null;
  if ("bytes" in source && importable(report)) {
    const file = source;
    // Expired uploads of anyone go as new ones arrive (bounded, like rate-limit rows).
    await prisma.rosterUpload.deleteMany({ where: { expiresAt: { lte: new Date() } } });
    uploadId = (
      await prisma.rosterUpload.create({
        data: {
          communityId,
          createdById: actor.userId,
          filename: file.name.slice(0, 200),
          data: Buffer.from(file.bytes),
          expiresAt: new Date(Date.now() + UPLOAD_TTL_MS),
        },
        select: { id: true },
      })
    ).id;
  }
  return previewOf(report, uploadId);
}

/** The import refused because a row has an error (the file changed, or the community did since the preview). */
export class RosterHasErrors extends Refusal {
  constructor(readonly report: RosterReport) {
    super(422, "errors.rosterHasErrors", { errors: report.summary.errors, rows: report.summary.errorRows });
  }
}

/** A username nobody has, from the phone number (people sign in with the phone anyway). */
function usernameFor(phone: string, taken: Set<string>): string {
  let name = `m${phone}`;
  while (taken.has(name)) name = `m${phone}-${randomBytes(3).toString("hex")}`;
  taken.add(name);
  return name;
}

const newId = () => `c${randomBytes(12).toString("base64url").replace(/[-_]/g, "x").toLowerCase()}`;

export type ImportResult = {
  rows: number;
  imported: number;
  newPeople: number;
  existing: number;
  skipped: number;
  newHouseholds: number;
  newUserIds: string[];
};

/**
 * Imports a roster: all or nothing. The file (a stored upload, or the bytes given again) is read
 * and checked again inside the transaction that writes it, so a row that became wrong since the
 * preview (the file changed; a building was archived; a phone registered) refuses the whole import.
 */
export async function importRoster(actor: Actor, communityId: string, source: { uploadId: string } | RosterSource): Promise<ImportResult> {
  requirePermission(actor, "member:import", { type: "community", communityId });
  let table: RosterTable;
  let filename = "";
  if ("uploadId" in source) {
    const upload = await prisma.rosterUpload.findFirst({
      where: { id: source.uploadId, communityId, expiresAt: { gt: new Date() } },
      select: { data: true, filename: true },
    });
    if (!upload) throw new NotFound("upload");
    table = await readRosterFile(new Uint8Array(upload.data));
    filename = upload.filename;
  } else {
    table = await tableOf(source);
    if ("name" in source) filename = source.name.slice(0, 200);
  }
  const result = await prisma.$transaction(
    async (tx) => {
      const report = await check(tx, communityId, table);
      if (report.file) throw new RosterFileRefused(report.file);
      if (!importable(report)) throw new RosterHasErrors(report);
      return write(tx, actor, communityId, report, filename);
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  if ("uploadId" in source) await prisma.rosterUpload.deleteMany({ where: { id: source.uploadId } });
  return result;
}

async function write(tx: Tx, actor: Actor, communityId: string, report: RosterReport, filename: string): Promise<ImportResult> {
  const now = new Date();
  // New households, once each however many rows name them.
  // (Each row is looked at once: a search per household made a 5 000-row import quadratic.)
  const households = new Map<string, string>();
  const householdRows: { id: string; createdAt: Date; unitId: string; name: string }[] = [];
  for (const r of report.rows) {
    if (!r.newHousehold || !r.unitId) continue;
    const key = householdKey(r.unitId, r.newHousehold);
    if (households.has(key)) continue;
    const id = newId();
    households.set(key, id);
    householdRows.push({ id, createdAt: now, unitId: r.unitId, name: r.newHousehold });
  }
  await insertRows(tx, "Household", householdRows);
  const householdOf = (r: (typeof report.rows)[number]) =>
    r.householdId ?? (r.newHousehold && r.unitId ? households.get(householdKey(r.unitId, r.newHousehold))! : null);

  // New accounts: no password until the person sets one through their activation link.
  const fresh = report.rows.filter((r) => r.outcome === "new");
  const wanted = fresh.map((r) => `m${r.phone}`);
  const taken = new Set<string>();
  for (let i = 0; i < wanted.length; i += 500)
    for (const u of await tx.user.findMany({ where: { username: { in: wanted.slice(i, i + 500) } }, select: { username: true } })) taken.add(u.username);
  const users = fresh.map((r) => ({
    id: newId(),
    username: usernameFor(r.phone, taken),
    phone: r.phone,
    displayName: r.name,
    passwordHash: NO_PASSWORD,
    createdAt: now,
  }));
  await insertRows(tx, "User", users);
  const userIdOf = new Map(users.map((u) => [u.phone, u.id]));

  type MembershipRow = Prisma.MembershipCreateManyInput;
  const creates: MembershipRow[] = [];
  const audits: Prisma.AuditEntryCreateManyInput[] = [];
  const place = (r: (typeof report.rows)[number]) => ({ gridId: r.gridId, buildingId: r.buildingId, unitId: r.unitId, householdId: householdOf(r) });
  const existingRoles = new Map<
    string,
    { id: string; role: string; gridId: string | null; buildingId: string | null; unitId: string | null; householdId: string | null }[]
  >();
  const updateIds = report.rows.filter((r) => r.outcome === "update").map((r) => r.userId!);
  for (let i = 0; i < updateIds.length; i += 500)
    for (const m of await tx.membership.findMany({
      where: { communityId, userId: { in: updateIds.slice(i, i + 500) } },
      select: { id: true, userId: true, role: true, gridId: true, buildingId: true, unitId: true, householdId: true },
    }))
      existingRoles.set(m.userId, [...(existingRoles.get(m.userId) ?? []), m]);

  const entry = (r: (typeof report.rows)[number], userId: string, name: string, action: "role.grant" | "member.place", before: unknown, after: unknown) =>
    audits.push({
      id: newId(),
      communityId,
      actorId: actor.userId,
      actorName: actor.displayName,
      action,
      subjectId: userId,
      subjectName: name,
      before: JSON.stringify(before),
      after: JSON.stringify({ ...(after as object), roster: { file: filename, row: r.row } }),
      createdAt: now,
    });

  let updated = 0;
  for (const r of report.rows) {
    if (r.outcome === "skip") continue;
    const p = place(r);
    if (r.outcome === "new" || r.outcome === "join") {
      const userId = r.outcome === "new" ? userIdOf.get(r.phone)! : r.userId!;
      creates.push({ id: newId(), userId, communityId, role: r.role, ...p, createdAt: now });
      entry(r, userId, r.name, "role.grant", { roles: [] }, { roles: [r.role], place: p });
      continue;
    }
    const held = existingRoles.get(r.userId!) ?? [];
    const same = held.find((m) => m.role === r.role);
    const roles = held.map((m) => m.role);
    if (!same) {
      creates.push({ id: newId(), userId: r.userId!, communityId, role: r.role, ...p, createdAt: now });
      entry(r, r.userId!, r.name, "role.grant", { roles }, { roles: [...roles, r.role], place: p });
      updated++;
    } else if (same.gridId !== p.gridId || same.buildingId !== p.buildingId || same.unitId !== p.unitId || same.householdId !== p.householdId) {
      await tx.membership.update({ where: { id: same.id }, data: p });
      const { gridId, buildingId, unitId, householdId } = same;
      entry(r, r.userId!, r.name, "member.place", { role: r.role, place: { gridId, buildingId, unitId, householdId } }, { role: r.role, place: p });
      updated++;
    }
  }
  await insertRows(tx, "Membership", creates);
  const summary = {
    rows: report.summary.rows,
    newPeople: users.length,
    existing: report.summary.existing,
    skipped: report.summary.skipped,
    newHouseholds: householdRows.length,
  };
  await insertRows(tx, "AuditEntry", audits);
  await audit(tx, { communityId, actor, action: "roster.import", before: null, after: { file: filename, ...summary, changed: updated } });
  return { imported: report.rows.length - report.summary.skipped, ...summary, newUserIds: users.map((u) => u.id) };
}
