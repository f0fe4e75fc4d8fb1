// A council's seats (议事会席位): staff seat and unseat the community's members.
// A seat is a term: unseating ends it (endedAt) and keeps the row as history;
// seating again starts a new term. Every change re-checks the person's live
// connections (rightsChanged) and refreshes the live state of the council's
// open sessions, so quorum and the right to vote follow at once.
import type { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import { prisma } from "~/utils/db.server";
import type { Constituency } from "~/utils/domain";
import { InputRejected, RuleBroken } from "~/utils/errors";
import { ACTIVE_MEMBERSHIP, NotFound, requirePermission, type Actor } from "~/utils/permissions.server";
import { rightsChanged } from "~/utils/rights.server";
import type { seatWithPlaceSchema } from "~/utils/places-schemas";
import { audit } from "./audit.server";
import { announce } from "./live-state.server";
import { CURRENT_SEAT } from "./seat-terms";

export async function councilOrThrow(councilId: string) {
  const council = await prisma.council.findUnique({ where: { id: councilId }, select: { id: true, name: true, communityId: true } });
  if (!council) throw new NotFound("council");
  return council;
}

/** The council's seats, current ones first, then the ended terms (newest first): the history. */
export async function listSeats(actor: Actor, councilId: string) {
  const council = await councilOrThrow(councilId);
  requirePermission(actor, "community:view", { type: "community", communityId: council.communityId });
  const rows = await prisma.councilSeat.findMany({
    where: { councilId },
    orderBy: [{ seatedAt: "desc" }],
    select: {
      id: true,
      userId: true,
      constituency: true,
      seatedAt: true,
      endedAt: true,
      user: { select: { displayName: true } },
      grid: { select: { id: true, name: true } },
      building: { select: { id: true, name: true } },
    },
  });
  const seat = (r: (typeof rows)[number]) => ({
    id: r.id,
    userId: r.userId,
    displayName: r.user.displayName,
    constituency: r.constituency as Constituency,
    /** The building or grid a resident seat speaks for. */
    place: r.building ? { kind: "building" as const, ...r.building } : r.grid ? { kind: "grid" as const, ...r.grid } : null,
    from: r.seatedAt.toISOString(),
    to: r.endedAt?.toISOString() ?? null,
  });
  return {
    council: { id: council.id, name: council.name },
    current: rows.filter((r) => !r.endedAt).map(seat),
    history: rows
      .filter((r) => r.endedAt)
      .sort((a, b) => b.endedAt!.getTime() - a.endedAt!.getTime())
      .map(seat),
  };
}

/**
 * Someone already checked in to a session in progress becomes a member there the moment they
 * are seated, and an observer the moment their seat ends (列席): the roll on every screen says
 * what the vote and the quorum already count. Sessions that are over keep their attendance.
 */
export async function refreshAttendance(tx: Prisma.TransactionClient, councilIds: string[], userId: string, seat: { constituency: string } | null) {
  await tx.attendance.updateMany({
    where: { userId, session: { councilId: { in: councilIds }, status: "open" } },
    data: seat ? { kind: "member", constituency: seat.constituency } : { kind: "observer", constituency: null },
  });
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === "P2002";
}

/** Tells the council's sessions in progress or to come that their roll changed (quorum, who may vote). */
async function announceOpenSessions(councilId: string) {
  // Sessions to come show the quorum too; an adjourned one keeps its own roll (seat-terms.ts).
  const open = await prisma.councilSession.findMany({ where: { councilId, status: { in: ["scheduled", "open"] } }, select: { id: true } });
  for (const s of open) announce(s.id);
}

/** Seats a member of the council's community; a second current seat in the same council is refused. */
export async function seatMember(actor: Actor, councilId: string, input: z.infer<typeof seatWithPlaceSchema>) {
  const council = await councilOrThrow(councilId);
  requirePermission(actor, "council:seat", { type: "community", communityId: council.communityId });
  const member = await prisma.membership.findFirst({
    where: { userId: input.userId, communityId: council.communityId, ...ACTIVE_MEMBERSHIP },
    select: { user: { select: { displayName: true } } },
  });
  if (!member) throw new InputRejected("userId", "errors.notCommunityMember");
  // The constituency's place: an active grid or building of the same community.
  const place = input.buildingId
    ? await prisma.building.findFirst({ where: { id: input.buildingId, communityId: council.communityId, archivedAt: null }, select: { id: true, name: true } })
    : input.gridId
      ? await prisma.grid.findFirst({ where: { id: input.gridId, communityId: council.communityId, archivedAt: null }, select: { id: true, name: true } })
      : null;
  if ((input.buildingId || input.gridId) && !place) throw new InputRejected(input.buildingId ? "buildingId" : "gridId", "errors.placeInvalid");
  let seat;
  try {
    // The unique key (councilId, userId, current) makes a double seat impossible, even for two staff at once.
    seat = await prisma.$transaction(async (tx) => {
      const created = await tx.councilSeat.create({
        data: { councilId, userId: input.userId, constituency: input.constituency, gridId: input.gridId ?? null, buildingId: input.buildingId ?? null },
        select: { id: true, seatedAt: true },
      });
      await refreshAttendance(tx, [councilId], input.userId, { constituency: input.constituency });
      await audit(tx, {
        communityId: council.communityId,
        actor,
        action: "seat.start",
        subject: { id: input.userId, name: member.user.displayName },
        before: null,
        after: {
          councilId,
          council: council.name,
          constituency: input.constituency,
          ...(place ? { place: { kind: input.buildingId ? "building" : "grid", ...place } } : {}),
          from: created.seatedAt.toISOString(),
        },
      });
      return created;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new RuleBroken("errors.alreadySeated");
    throw error;
  }
  await rightsChanged({ userId: input.userId });
  await announceOpenSessions(councilId);
  return {
    id: seat.id,
    userId: input.userId,
    constituency: input.constituency,
    place: place ? { kind: input.buildingId ? ("building" as const) : ("grid" as const), ...place } : null,
    from: seat.seatedAt.toISOString(),
    to: null,
  };
}

/** Ends a person's current term; the row stays as history. */
export async function unseatMember(actor: Actor, councilId: string, userId: string) {
  const council = await councilOrThrow(councilId);
  requirePermission(actor, "council:seat", { type: "community", communityId: council.communityId });
  const endedAt = new Date();
  await prisma.$transaction(async (tx) => {
    const seat = await tx.councilSeat.findFirst({
      where: { councilId, userId, ...CURRENT_SEAT },
      select: { id: true, constituency: true, seatedAt: true, user: { select: { displayName: true } } },
    });
    // Conditional on the term still being current: of two staff ending it at once, one wins and one gets 404.
    const { count } = seat ? await tx.councilSeat.updateMany({ where: { id: seat.id, ...CURRENT_SEAT }, data: { endedAt, current: null } }) : { count: 0 };
    if (!seat || count !== 1) throw new NotFound("seat");
    await refreshAttendance(tx, [councilId], userId, null);
    const term = { councilId, council: council.name, constituency: seat.constituency, from: seat.seatedAt.toISOString() };
    await audit(tx, {
      communityId: council.communityId,
      actor,
      action: "seat.end",
      subject: { id: userId, name: seat.user.displayName },
      before: { ...term, to: null },
      after: { ...term, to: endedAt.toISOString() },
    });
  });
  await rightsChanged({ userId });
  await announceOpenSessions(councilId);
  return { userId, to: endedAt.toISOString() };
}

/** For the council page: every council of the community with its seats, and the members who could be seated. */
export async function councilsOf(actor: Actor, communityId: string) {
  requirePermission(actor, "council:seat", { type: "community", communityId });
  const [councils, members] = await Promise.all([
    prisma.council.findMany({ where: { communityId }, orderBy: { createdAt: "asc" }, select: { id: true } }),
    prisma.user.findMany({
      where: { memberships: { some: { communityId, ...ACTIVE_MEMBERSHIP } } },
      orderBy: { displayName: "asc" },
      select: { id: true, displayName: true },
    }),
  ]);
  return { councils: await Promise.all(councils.map((c) => listSeats(actor, c.id))), members };
}

/** For the API: the community's councils, their quorum rule and current seats (any member may read them). */
export async function councilsWithSeats(actor: Actor, communityId: string) {
  requirePermission(actor, "community:view", { type: "community", communityId });
  const councils = await prisma.council.findMany({
    where: { communityId },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, quorumRatio: true, quorumInclusive: true },
  });
  return {
    councils: await Promise.all(councils.map(async (c) => ({ ...c, seats: (await listSeats(actor, c.id)).current }))),
  };
}
