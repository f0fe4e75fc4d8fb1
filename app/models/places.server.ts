// A community's places (网格 → 楼栋 → 单元 → 户): staff create, rename, move, merge and archive
// them, every change audited in its own transaction. Nothing is deleted: an archived place
// leaves the pickers but old topics, seats and rolls still name it; a merged one is archived
// and points at where its contents went.
//
// Members and topics carry their place denormalised (gridId, buildingId, unitId, and a member's
// householdId) so that lists filter without joins; every command here keeps those columns equal
// to the place chain (a home's unit's building's grid) in the same transaction.
import type { Prisma } from "~/generated/prisma/client";
import { prisma } from "~/utils/db.server";
import type { PlaceKind } from "~/utils/domain";
import { InputRejected, RuleBroken } from "~/utils/errors";
import { NotFound, requirePermission, type Actor } from "~/utils/permissions.server";
import { audit } from "./audit.server";

type Tx = Prisma.TransactionClient;

const community = (communityId: string) => ({ type: "community" as const, communityId });
const ACTIVE = { archivedAt: null };

/** The columns a member or topic carries for a place: the place and everything above it. */
export type PlaceChain = { householdId: string | null; unitId: string | null; buildingId: string | null; gridId: string | null };

export type PlaceNode = { id: string; name: string; archived: boolean };
export type HouseholdNode = PlaceNode & { members: number };
export type UnitNode = PlaceNode & { households: HouseholdNode[] };
export type BuildingNode = PlaceNode & { gridId: string | null; units: UnitNode[] };
export type GridNode = PlaceNode & { code: string; buildings: BuildingNode[] };

/** The community's places as a tree: grids with their buildings, and the buildings no grid holds yet. */
export async function placeTree(actor: Actor, communityId: string, { archived = false }: { archived?: boolean } = {}) {
  requirePermission(actor, "community:view", community(communityId));
  const only = archived ? {} : ACTIVE;
  const [grids, buildings, units, households] = await Promise.all([
    prisma.grid.findMany({ where: { communityId, ...only }, orderBy: [{ code: "asc" }, { name: "asc" }] }),
    prisma.building.findMany({ where: { communityId, ...only }, orderBy: { name: "asc" } }),
    prisma.unit.findMany({ where: { building: { communityId }, ...only }, orderBy: { name: "asc" } }),
    prisma.household.findMany({
      where: { unit: { building: { communityId } }, ...only },
      orderBy: { name: "asc" },
      select: { id: true, name: true, unitId: true, archivedAt: true, _count: { select: { memberships: { where: { deactivatedAt: null } } } } },
    }),
  ]);
  const byUnit = group(households, (h) => h.unitId);
  const byBuilding = group(units, (u) => u.buildingId);
  const byGrid = group(buildings, (b) => b.gridId ?? "");
  const buildingNode = (b: (typeof buildings)[number]): BuildingNode => ({
    id: b.id,
    name: b.name,
    archived: !!b.archivedAt,
    gridId: b.gridId,
    units: (byBuilding.get(b.id) ?? []).map((u) => ({
      id: u.id,
      name: u.name,
      archived: !!u.archivedAt,
      households: (byUnit.get(u.id) ?? []).map((h) => ({ id: h.id, name: h.name, archived: !!h.archivedAt, members: h._count.memberships })),
    })),
  });
  const gridIds = new Set(grids.map((g) => g.id));
  return {
    grids: grids.map((g): GridNode => ({
      id: g.id,
      name: g.name,
      code: g.code,
      archived: !!g.archivedAt,
      buildings: (byGrid.get(g.id) ?? []).map(buildingNode),
    })),
    // Buildings without a grid, or whose grid is archived while they are not (shown where they can be found).
    ungridded: buildings.filter((b) => !b.gridId || !gridIds.has(b.gridId)).map(buildingNode),
  };
}

function group<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) (map.get(key(r)) ?? map.set(key(r), []).get(key(r))!).push(r);
  return map;
}

/** Active places for pickers (filters, seat forms, a member's home), each labelled with its chain: "第一网格 / 3号楼 / 1单元". */
export async function placeOptions(communityId: string, { households = false }: { households?: boolean } = {}) {
  const [grids, buildings, units, homes] = await Promise.all([
    prisma.grid.findMany({ where: { communityId, ...ACTIVE }, orderBy: [{ code: "asc" }, { name: "asc" }], select: { id: true, name: true } }),
    prisma.building.findMany({ where: { communityId, ...ACTIVE }, orderBy: { name: "asc" }, select: { id: true, name: true, gridId: true } }),
    prisma.unit.findMany({ where: { building: { communityId }, ...ACTIVE }, orderBy: { name: "asc" }, select: { id: true, name: true, buildingId: true } }),
    households
      ? prisma.household.findMany({
          where: { unit: { building: { communityId } }, ...ACTIVE },
          orderBy: { name: "asc" },
          select: { id: true, name: true, unitId: true },
        })
      : Promise.resolve([]),
  ]);
  const out: { id: string; kind: PlaceKind; label: string; depth: number }[] = [];
  const unitsOf = group(units, (u) => u.buildingId);
  const homesOf = group(homes, (h) => h.unitId);
  const pushBuilding = (b: (typeof buildings)[number], prefix: string, depth: number) => {
    const label = prefix + b.name;
    out.push({ id: b.id, kind: "building", label, depth });
    for (const u of unitsOf.get(b.id) ?? []) {
      out.push({ id: u.id, kind: "unit", label: `${label} / ${u.name}`, depth: depth + 1 });
      for (const h of homesOf.get(u.id) ?? []) out.push({ id: h.id, kind: "household", label: `${label} / ${u.name} / ${h.name}`, depth: depth + 2 });
    }
  };
  const gridIds = new Set(grids.map((g) => g.id));
  for (const g of grids) {
    out.push({ id: g.id, kind: "grid", label: g.name, depth: 0 });
    for (const b of buildings.filter((b) => b.gridId === g.id)) pushBuilding(b, `${g.name} / `, 1);
  }
  for (const b of buildings.filter((b) => !b.gridId || !gridIds.has(b.gridId))) pushBuilding(b, "", 0);
  return out;
}

/** Where a place id points in this community, and its chain; null if it is no place of the community. */
export async function placeChain(db: Tx | typeof prisma, communityId: string, placeId: string) {
  const household = await db.household.findFirst({
    where: { id: placeId, unit: { building: { communityId } } },
    select: { id: true, name: true, archivedAt: true, unit: { select: { id: true, building: { select: { id: true, gridId: true } } } } },
  });
  if (household)
    return {
      kind: "household" as const,
      name: household.name,
      archived: !!household.archivedAt,
      chain: { householdId: household.id, unitId: household.unit.id, buildingId: household.unit.building.id, gridId: household.unit.building.gridId },
    };
  const unit = await db.unit.findFirst({
    where: { id: placeId, building: { communityId } },
    select: { id: true, name: true, archivedAt: true, building: { select: { id: true, gridId: true } } },
  });
  if (unit)
    return {
      kind: "unit" as const,
      name: unit.name,
      archived: !!unit.archivedAt,
      chain: { householdId: null, unitId: unit.id, buildingId: unit.building.id, gridId: unit.building.gridId },
    };
  const building = await db.building.findFirst({ where: { id: placeId, communityId }, select: { id: true, name: true, archivedAt: true, gridId: true } });
  if (building)
    return {
      kind: "building" as const,
      name: building.name,
      archived: !!building.archivedAt,
      chain: { householdId: null, unitId: null, buildingId: building.id, gridId: building.gridId },
    };
  const grid = await db.grid.findFirst({ where: { id: placeId, communityId }, select: { id: true, name: true, archivedAt: true } });
  if (grid)
    return {
      kind: "grid" as const,
      name: grid.name,
      archived: !!grid.archivedAt,
      chain: { householdId: null, unitId: null, buildingId: null, gridId: grid.id },
    };
  return null;
}

/** A filter on gridId/buildingId/unitId, assignable to the where input of any model that has those columns. */
export type PlaceWhere = { OR: ({ gridId: string } | { buildingId: string | { in: string[] } } | { unitId: string | { in: string[] } })[] };

/**
 * The Prisma filter for "at this place or anywhere under it", for any model that carries
 * gridId/buildingId/unitId (topics, tasks, members): a grid includes its buildings' and units'
 * rows even where a row names only its building or unit. `field` names the input for the refusal.
 */
export async function placeWhere(communityId: string, placeId: string, field = "place"): Promise<PlaceWhere> {
  const found = await placeChain(prisma, communityId, placeId);
  if (!found || found.kind === "household") throw new InputRejected(field, "errors.placeInvalid");
  if (found.kind === "unit") return { OR: [{ unitId: placeId }] };
  if (found.kind === "building") {
    const units = await prisma.unit.findMany({ where: { buildingId: placeId }, select: { id: true } });
    return { OR: [{ buildingId: placeId }, { unitId: { in: units.map((u) => u.id) } }] };
  }
  const buildings = await prisma.building.findMany({ where: { gridId: placeId }, select: { id: true } });
  const units = await prisma.unit.findMany({ where: { buildingId: { in: buildings.map((b) => b.id) } }, select: { id: true } });
  return { OR: [{ gridId: placeId }, { buildingId: { in: buildings.map((b) => b.id) } }, { unitId: { in: units.map((u) => u.id) } }] };
}

// ——— Commands ———

type Loaded = { id: string; name: string; archivedAt: Date | null; parentId: string | null };

/** One place of the community by kind, with its parent (grid of a building, building of a unit, unit of a home). */
async function loadPlace(tx: Tx, communityId: string, kind: PlaceKind, id: string): Promise<Loaded> {
  let row: Loaded | null = null;
  if (kind === "grid") {
    const g = await tx.grid.findFirst({ where: { id, communityId }, select: { id: true, name: true, archivedAt: true } });
    row = g && { ...g, parentId: null };
  } else if (kind === "building") {
    const b = await tx.building.findFirst({ where: { id, communityId }, select: { id: true, name: true, archivedAt: true, gridId: true } });
    row = b && { id: b.id, name: b.name, archivedAt: b.archivedAt, parentId: b.gridId };
  } else if (kind === "unit") {
    const u = await tx.unit.findFirst({ where: { id, building: { communityId } }, select: { id: true, name: true, archivedAt: true, buildingId: true } });
    row = u && { id: u.id, name: u.name, archivedAt: u.archivedAt, parentId: u.buildingId };
  } else {
    const h = await tx.household.findFirst({
      where: { id, unit: { building: { communityId } } },
      select: { id: true, name: true, archivedAt: true, unitId: true },
    });
    row = h && { id: h.id, name: h.name, archivedAt: h.archivedAt, parentId: h.unitId };
  }
  if (!row) throw new NotFound(kind);
  return row;
}

const PARENT_KIND: Record<PlaceKind, PlaceKind | null> = { grid: null, building: "grid", unit: "building", household: "unit" };

/** Refuses a name another place under the same parent already has (archived ones too: the database keeps names unique there). */
async function nameFree(tx: Tx, communityId: string, kind: PlaceKind, parentId: string | null, name: string, except?: string) {
  const not = except ? { id: { not: except } } : {};
  const taken =
    kind === "grid"
      ? await tx.grid.findFirst({ where: { communityId, name, ...ACTIVE, ...not }, select: { id: true } })
      : kind === "building"
        ? await tx.building.findFirst({ where: { communityId, name, ...not }, select: { id: true } })
        : kind === "unit"
          ? await tx.unit.findFirst({ where: { buildingId: parentId ?? "-", name, ...not }, select: { id: true } })
          : await tx.household.findFirst({ where: { unitId: parentId ?? "-", name, ...not }, select: { id: true } });
  if (taken) throw new InputRejected("name", "errors.placeNameTaken", { name });
}

/** A short grid code not yet used in the community: G01, G02, … */
async function freeGridCode(tx: Tx, communityId: string): Promise<string> {
  const codes = new Set((await tx.grid.findMany({ where: { communityId }, select: { code: true } })).map((g) => g.code));
  for (let n = codes.size + 1; ; n++) {
    const code = `G${String(n).padStart(2, "0")}`;
    if (!codes.has(code)) return code;
  }
}

export async function createPlace(actor: Actor, communityId: string, input: { kind: PlaceKind; name: string; parentId?: string; code?: string }) {
  requirePermission(actor, "place:manage", community(communityId));
  return prisma.$transaction(async (tx) => {
    const parentKind = PARENT_KIND[input.kind];
    let parent: Loaded | null = null;
    if (parentKind && input.parentId) {
      parent = await loadPlace(tx, communityId, parentKind, input.parentId).catch(() => {
        throw new InputRejected("parentId", "errors.placeParentInvalid");
      });
      if (parent.archivedAt) throw new InputRejected("parentId", "errors.placeArchived");
    } else if (input.kind === "unit" || input.kind === "household") throw new InputRejected("parentId", "errors.placeParentRequired");
    await nameFree(tx, communityId, input.kind, parent?.id ?? null, input.name);
    let id: string;
    if (input.kind === "grid") {
      const code = input.code ?? (await freeGridCode(tx, communityId));
      if (await tx.grid.findFirst({ where: { communityId, code }, select: { id: true } })) throw new InputRejected("code", "errors.placeCodeTaken", { code });
      id = (await tx.grid.create({ data: { communityId, name: input.name, code }, select: { id: true } })).id;
    } else if (input.kind === "building") {
      id = (await tx.building.create({ data: { communityId, name: input.name, gridId: parent?.id ?? null }, select: { id: true } })).id;
    } else if (input.kind === "unit") {
      id = (await tx.unit.create({ data: { buildingId: parent!.id, name: input.name }, select: { id: true } })).id;
    } else {
      id = (await tx.household.create({ data: { unitId: parent!.id, name: input.name }, select: { id: true } })).id;
    }
    const after = { kind: input.kind, id, name: input.name, parent: parent ? { id: parent.id, name: parent.name } : null };
    await audit(tx, { communityId, actor, action: "place.create", subject: { id, name: input.name }, before: null, after });
    return after;
  });
}

export async function renamePlace(actor: Actor, communityId: string, kind: PlaceKind, id: string, name: string) {
  requirePermission(actor, "place:manage", community(communityId));
  return prisma.$transaction(async (tx) => {
    const place = await loadPlace(tx, communityId, kind, id);
    if (place.name === name) return { kind, id, name };
    await nameFree(tx, communityId, kind, place.parentId, name, id);
    const data = { name };
    if (kind === "grid") await tx.grid.update({ where: { id }, data });
    else if (kind === "building") await tx.building.update({ where: { id }, data });
    else if (kind === "unit") await tx.unit.update({ where: { id }, data });
    else await tx.household.update({ where: { id }, data });
    await audit(tx, { communityId, actor, action: "place.rename", subject: { id, name }, before: { kind, name: place.name }, after: { kind, name } });
    return { kind, id, name };
  });
}

/** Re-derives the grid of every member and topic in these buildings from the building's grid. */
async function resyncBuildings(tx: Tx, buildingIds: string[]) {
  for (const b of await tx.building.findMany({ where: { id: { in: buildingIds } }, select: { id: true, gridId: true } })) {
    await tx.membership.updateMany({ where: { buildingId: b.id }, data: { gridId: b.gridId } });
    await tx.topic.updateMany({ where: { buildingId: b.id }, data: { gridId: b.gridId } });
  }
}

/** Re-derives the building and grid of every member and topic in these units. */
async function resyncUnits(tx: Tx, unitIds: string[]) {
  for (const u of await tx.unit.findMany({ where: { id: { in: unitIds } }, select: { id: true, building: { select: { id: true, gridId: true } } } })) {
    const data = { buildingId: u.building.id, gridId: u.building.gridId };
    await tx.membership.updateMany({ where: { unitId: u.id }, data });
    await tx.topic.updateMany({ where: { unitId: u.id }, data });
  }
}

/** Moves a building to another grid (or to none); its members and topics follow. */
export async function moveBuilding(actor: Actor, communityId: string, buildingId: string, gridId: string | null) {
  requirePermission(actor, "place:manage", community(communityId));
  return prisma.$transaction(async (tx) => {
    const building = await loadPlace(tx, communityId, "building", buildingId);
    let grid: Loaded | null = null;
    if (gridId) {
      grid = await loadPlace(tx, communityId, "grid", gridId).catch(() => {
        throw new InputRejected("parentId", "errors.placeParentInvalid");
      });
      if (grid.archivedAt) throw new InputRejected("parentId", "errors.placeArchived");
    }
    const before = building.parentId ? await tx.grid.findUnique({ where: { id: building.parentId }, select: { id: true, name: true } }) : null;
    await tx.building.update({ where: { id: buildingId }, data: { gridId } });
    await resyncBuildings(tx, [buildingId]);
    const after = grid ? { id: grid.id, name: grid.name } : null;
    await audit(tx, {
      communityId,
      actor,
      action: "place.move",
      subject: { id: buildingId, name: building.name },
      before: { grid: before },
      after: { grid: after },
    });
    return { kind: "building" as const, id: buildingId, gridId };
  });
}

type Moved = { buildings: number; units: number; households: number; members: number; topics: number; seats: number };

/**
 * Merges `fromId` into `intoId` (two places of one kind in one community): everything under
 * and at `from` moves to `into` — buildings of a grid, units of a building (a unit of the same
 * name is merged in turn), homes of a unit, and the members, topics and seats that name it —
 * then `from` is archived with a pointer to `into`. One transaction: all of it or nothing.
 */
export async function mergePlaces(actor: Actor, communityId: string, kind: PlaceKind, fromId: string, intoId: string) {
  requirePermission(actor, "place:manage", community(communityId));
  if (fromId === intoId) throw new InputRejected("intoId", "errors.placeMergeSelf");
  return prisma.$transaction(async (tx) => {
    const from = await loadPlace(tx, communityId, kind, fromId);
    const into = await loadPlace(tx, communityId, kind, intoId).catch(() => {
      throw new InputRejected("intoId", "errors.placeInvalid");
    });
    if (from.archivedAt) throw new RuleBroken("errors.placeArchived");
    if (into.archivedAt) throw new InputRejected("intoId", "errors.placeArchived");
    const moved: Moved = { buildings: 0, units: 0, households: 0, members: 0, topics: 0, seats: 0 };
    const now = new Date();
    if (kind === "grid") await mergeGrid(tx, fromId, intoId, moved, now);
    else if (kind === "building") await mergeBuilding(tx, fromId, intoId, moved, now);
    else if (kind === "unit") await mergeUnit(tx, fromId, intoId, moved, now);
    else await mergeHousehold(tx, fromId, intoId, moved, now);
    await audit(tx, {
      communityId,
      actor,
      action: "place.merge",
      subject: { id: fromId, name: from.name },
      before: { kind, from: { id: fromId, name: from.name }, into: { id: intoId, name: into.name } },
      after: { kind, into: { id: intoId, name: into.name }, moved },
    });
    return { kind, from: fromId, into: intoId, moved };
  });
}

async function mergeGrid(tx: Tx, fromId: string, intoId: string, moved: Moved, now: Date) {
  const buildings = await tx.building.findMany({ where: { gridId: fromId }, select: { id: true } });
  moved.buildings += (await tx.building.updateMany({ where: { gridId: fromId }, data: { gridId: intoId } })).count;
  moved.members += (await tx.membership.updateMany({ where: { gridId: fromId }, data: { gridId: intoId } })).count;
  moved.topics += (await tx.topic.updateMany({ where: { gridId: fromId }, data: { gridId: intoId } })).count;
  moved.seats += (await tx.councilSeat.updateMany({ where: { gridId: fromId }, data: { gridId: intoId } })).count;
  // Rows that named only a building of the old grid get the new grid too.
  await resyncBuildings(
    tx,
    buildings.map((b) => b.id),
  );
  await tx.grid.update({ where: { id: fromId }, data: { archivedAt: now, mergedIntoId: intoId } });
}

async function mergeBuilding(tx: Tx, fromId: string, intoId: string, moved: Moved, now: Date) {
  const into = await tx.building.findUniqueOrThrow({ where: { id: intoId }, select: { gridId: true } });
  for (const unit of await tx.unit.findMany({ where: { buildingId: fromId }, select: { id: true, name: true, archivedAt: true } })) {
    const same = await tx.unit.findFirst({ where: { buildingId: intoId, name: unit.name }, select: { id: true, archivedAt: true } });
    if (!same) {
      await tx.unit.update({ where: { id: unit.id }, data: { buildingId: intoId } });
      moved.units++;
    } else if (unit.archivedAt) {
      // An archived unit of the same name: its rows join the other, it stays archived.
      await mergeUnit(tx, unit.id, same.id, moved, unit.archivedAt);
    } else {
      // 1单元 of both buildings is one unit now; a namesake archived in the target comes back.
      if (same.archivedAt) await tx.unit.update({ where: { id: same.id }, data: { archivedAt: null, mergedIntoId: null } });
      await mergeUnit(tx, unit.id, same.id, moved, now);
    }
  }
  moved.members += (await tx.membership.updateMany({ where: { buildingId: fromId }, data: { buildingId: intoId, gridId: into.gridId } })).count;
  moved.topics += (await tx.topic.updateMany({ where: { buildingId: fromId }, data: { buildingId: intoId, gridId: into.gridId } })).count;
  moved.seats += (await tx.councilSeat.updateMany({ where: { buildingId: fromId }, data: { buildingId: intoId } })).count;
  await resyncBuildings(tx, [intoId]);
  await tx.building.update({ where: { id: fromId }, data: { archivedAt: now, mergedIntoId: intoId } });
}

async function mergeUnit(tx: Tx, fromId: string, intoId: string, moved: Moved, archivedAt: Date) {
  for (const home of await tx.household.findMany({ where: { unitId: fromId }, select: { id: true, name: true, archivedAt: true } })) {
    const same = await tx.household.findFirst({ where: { unitId: intoId, name: home.name }, select: { id: true, archivedAt: true } });
    if (!same) {
      await tx.household.update({ where: { id: home.id }, data: { unitId: intoId } });
      moved.households++;
    } else {
      if (same.archivedAt && !home.archivedAt) await tx.household.update({ where: { id: same.id }, data: { archivedAt: null, mergedIntoId: null } });
      await mergeHousehold(tx, home.id, same.id, moved, home.archivedAt ?? archivedAt);
    }
  }
  moved.members += (await tx.membership.updateMany({ where: { unitId: fromId }, data: { unitId: intoId } })).count;
  moved.topics += (await tx.topic.updateMany({ where: { unitId: fromId }, data: { unitId: intoId } })).count;
  await resyncUnits(tx, [intoId]);
  await tx.unit.update({ where: { id: fromId }, data: { archivedAt, mergedIntoId: intoId } });
}

async function mergeHousehold(tx: Tx, fromId: string, intoId: string, moved: Moved, archivedAt: Date) {
  const into = await tx.household.findUniqueOrThrow({
    where: { id: intoId },
    select: { unit: { select: { id: true, building: { select: { id: true, gridId: true } } } } },
  });
  moved.members += (
    await tx.membership.updateMany({
      where: { householdId: fromId },
      data: { householdId: intoId, unitId: into.unit.id, buildingId: into.unit.building.id, gridId: into.unit.building.gridId },
    })
  ).count;
  await tx.household.update({ where: { id: fromId }, data: { archivedAt, mergedIntoId: intoId } });
}

/**
 * Archives a place and everything under it: it leaves every picker and the tree (unless asked
 * for archived places), while the members, topics and seats that name it keep naming it.
 */
export async function archivePlace(actor: Actor, communityId: string, kind: PlaceKind, id: string) {
  requirePermission(actor, "place:manage", community(communityId));
  return prisma.$transaction(async (tx) => {
    const place = await loadPlace(tx, communityId, kind, id);
    if (place.archivedAt) return { kind, id, archivedAt: place.archivedAt.toISOString() };
    const now = new Date();
    const data = { archivedAt: now };
    let buildingIds: string[] = [];
    let unitIds: string[] = [];
    if (kind === "grid") {
      await tx.grid.update({ where: { id }, data });
      buildingIds = (await tx.building.findMany({ where: { gridId: id, ...ACTIVE }, select: { id: true } })).map((b) => b.id);
    } else if (kind === "building") {
      await tx.building.update({ where: { id }, data });
      buildingIds = [id];
    } else if (kind === "unit") unitIds = [id];
    else await tx.household.update({ where: { id }, data });
    if (kind === "grid") await tx.building.updateMany({ where: { id: { in: buildingIds } }, data });
    unitIds.push(...(await tx.unit.findMany({ where: { buildingId: { in: buildingIds }, ...ACTIVE }, select: { id: true } })).map((u) => u.id));
    await tx.unit.updateMany({ where: { id: { in: unitIds }, ...ACTIVE }, data });
    await tx.household.updateMany({ where: { unitId: { in: unitIds }, ...ACTIVE }, data });
    await audit(tx, {
      communityId,
      actor,
      action: "place.archive",
      subject: { id, name: place.name },
      before: { kind, name: place.name, archived: false },
      after: { kind, name: place.name, archived: true, alsoArchived: { buildings: kind === "grid" ? buildingIds.length : 0, units: unitIds.length } },
    });
    return { kind, id, archivedAt: now.toISOString() };
  });
}

// ——— A member's home ———

/** Roles whose place is the one they serve, not where they live: a home never overwrites it. */
const SERVING_PLACE_ROLES = ["gridWorker"];

/** The chain to store for a home place chosen for a new member (the bulk import and invitations use it too). */
export async function homePlaceChain(db: Tx | typeof prisma, communityId: string, placeId: string, field = "placeId"): Promise<PlaceChain> {
  const found = await placeChain(db, communityId, placeId);
  if (!found) throw new InputRejected(field, "errors.placeInvalid");
  if (found.archived) throw new InputRejected(field, "errors.placeArchived");
  return found.chain;
}

/**
 * Sets where a member lives (a home, or only a unit, building or grid while homes are not
 * recorded; null to clear): their grid, building and unit follow from it on every role they
 * hold in the community, except a grid worker's grid, which is the one they serve.
 */
export async function setHomePlace(actor: Actor, communityId: string, userId: string, placeId: string | null) {
  requirePermission(actor, "member:manage", community(communityId));
  return prisma.$transaction(async (tx) => {
    const rows = await tx.membership.findMany({
      where: { communityId, userId },
      select: { id: true, role: true, householdId: true, unitId: true, buildingId: true, gridId: true, user: { select: { displayName: true } } },
    });
    if (rows.length === 0) throw new NotFound("member");
    const chain: PlaceChain = placeId ? await homePlaceChain(tx, communityId, placeId) : { householdId: null, unitId: null, buildingId: null, gridId: null };
    const home = rows.filter((r) => !SERVING_PLACE_ROLES.includes(r.role));
    const before = home[0] ? { householdId: home[0].householdId, unitId: home[0].unitId, buildingId: home[0].buildingId, gridId: home[0].gridId } : null;
    await tx.membership.updateMany({ where: { id: { in: home.map((r) => r.id) } }, data: chain });
    await audit(tx, { communityId, actor, action: "member.place", subject: { id: userId, name: rows[0]!.user.displayName }, before, after: chain });
    return { userId, ...chain };
  });
}

/** Each member's home as a label ("第一网格 / 3号楼 / 1单元 / 1201"), for the members page. */
export async function homePlaces(communityId: string): Promise<Record<string, string>> {
  const rows = await prisma.membership.findMany({
    where: { communityId, role: { notIn: SERVING_PLACE_ROLES }, OR: [{ gridId: { not: null } }, { buildingId: { not: null } }] },
    select: {
      userId: true,
      grid: { select: { name: true } },
      building: { select: { name: true } },
      unit: { select: { name: true } },
      household: { select: { name: true } },
    },
  });
  const out: Record<string, string> = {};
  for (const r of rows) out[r.userId] ??= [r.grid?.name, r.building?.name, r.unit?.name, r.household?.name].filter(Boolean).join(" / ");
  return out;
}
