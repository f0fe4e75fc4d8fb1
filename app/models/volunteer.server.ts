// 以服务换积分，以积分换服务 (issue 18): volunteer teams and activities, sign-up with a waiting
// list, check-in by a rotating QR or by the leader, confirmation that issues points, partner
// merchants' offers and redemptions, statements and figures. The ledger is ledger.server.ts;
// the pure rules are volunteer-rules.ts; docs/volunteer.md explains the model.
import { randomInt } from "node:crypto";
import { toString as qrSvg } from "qrcode";
import { sign, verifySignature } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import { InputRejected, RuleBroken } from "~/utils/errors";
import { ACTIVE_MEMBERSHIP, NotFound, can, requirePermission, type Actor, type MerchantResource, type VolunteerResource } from "~/utils/permissions.server";
import type { ActivityEdit } from "~/utils/volunteer-schemas";
import { audit } from "./audit.server";
import { notify } from "./notification.server";
import { accountId, balanceOf, expireAccount, inLedger, post, reverse, type Tx } from "./ledger.server";
import { placeChain } from "./places.server";
import {
  CODE_ALPHABET,
  CODE_LENGTH,
  beijingMonth,
  beijingMonthOf,
  beijingYearStart,
  capped,
  maskedName,
  minutesServed,
  pointsForService,
  type PointsMode,
} from "./volunteer-rules";

const community = (communityId: string) => ({ type: "community" as const, communityId });

// ——— Rules ———

export const DEFAULT_RULES = { pointsMode: "perHour" as PointsMode, pointsPerUnit: 10, yearlyCap: 0, expiryMonths: 0 };
export type VolunteerRulesInput = typeof DEFAULT_RULES;

export async function volunteerRules(db: Tx | typeof prisma, communityId: string): Promise<VolunteerRulesInput> {
  const r = await db.volunteerRules.findUnique({ where: { communityId } });
  return r
    ? { pointsMode: r.pointsMode as PointsMode, pointsPerUnit: r.pointsPerUnit, yearlyCap: r.yearlyCap, expiryMonths: r.expiryMonths }
    : { ...DEFAULT_RULES };
}

export async function setVolunteerRules(actor: Actor, communityId: string, input: VolunteerRulesInput) {
  requirePermission(actor, "volunteer:manage", community(communityId));
  return prisma.$transaction(async (tx) => {
    const before = await volunteerRules(tx, communityId);
    await tx.volunteerRules.upsert({ where: { communityId }, create: { communityId, ...input }, update: input });
    await audit(tx, { communityId, actor, action: "settings.update", subject: { id: communityId, name: "volunteerRules" }, before, after: input });
    return input;
  });
}

// ——— Teams ———

async function leadersOf(db: Tx | typeof prisma, teamId: string): Promise<string[]> {
  return (await db.volunteerTeamMember.findMany({ where: { teamId, role: "leader" }, select: { userId: true } })).map((m) => m.userId);
}

async function teamResource(db: Tx | typeof prisma, communityId: string, teamId: string, serviceUserId?: string): Promise<VolunteerResource> {
  return { type: "volunteer", communityId, leaderIds: await leadersOf(db, teamId), serviceUserId };
}

const names = async (ids: string[]) =>
  Object.fromEntries(
    (await prisma.user.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, displayName: true } })).map((u) => [u.id, u.displayName]),
  );

export async function listTeams(actor: Actor, communityId: string) {
  requirePermission(actor, "volunteer:view", community(communityId));
  const teams = await prisma.volunteerTeam.findMany({
    where: { communityId, archivedAt: null },
    orderBy: { name: "asc" },
    select: { id: true, name: true, members: { select: { userId: true, role: true } } },
  });
  const who = await names(teams.flatMap((t) => t.members.map((m) => m.userId)));
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    members: t.members.map((m) => ({ userId: m.userId, displayName: who[m.userId] ?? "", role: m.role as "leader" | "member" })),
    mayLead: t.members.some((m) => m.userId === actor.userId && m.role === "leader"),
  }));
}

export async function createTeam(actor: Actor, communityId: string, input: { name: string }) {
  requirePermission(actor, "volunteer:manage", community(communityId));
  if (await prisma.volunteerTeam.findFirst({ where: { communityId, name: input.name }, select: { id: true } }))
    throw new InputRejected("name", "errors.volunteerTeamNameTaken", { name: input.name });
  return prisma.volunteerTeam.create({ data: { communityId, name: input.name }, select: { id: true, name: true } });
}

/** Adds a person to a team as leader or member, changes their role, or (role null) removes them. */
export async function setTeamMember(actor: Actor, communityId: string, teamId: string, input: { userId: string; role: "leader" | "member" | null }) {
  requirePermission(actor, "volunteer:manage", community(communityId));
  const team = await prisma.volunteerTeam.findFirst({ where: { id: teamId, communityId }, select: { id: true } });
  if (!team) throw new NotFound("team");
  if (input.role === null) {
    await prisma.volunteerTeamMember.deleteMany({ where: { teamId, userId: input.userId } });
    return { ok: true };
  }
  const member = await prisma.membership.findFirst({ where: { communityId, userId: input.userId, ...ACTIVE_MEMBERSHIP }, select: { id: true } });
  if (!member) throw new InputRejected("userId", "errors.volunteerNotMember");
  await prisma.volunteerTeamMember.upsert({
    where: { teamId_userId: { teamId, userId: input.userId } },
    create: { teamId, userId: input.userId, role: input.role },
    update: { role: input.role },
  });
  return { ok: true };
}

// ——— Activities ———

export type ActivityInput = {
  teamId: string;
  title: string;
  description: string;
  placeId?: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  pointsMode?: PointsMode;
  points?: number;
};

export async function createActivity(actor: Actor, communityId: string, input: ActivityInput) {
  const team = await prisma.volunteerTeam.findFirst({ where: { id: input.teamId, communityId, archivedAt: null }, select: { id: true } });
  if (!team) throw new InputRejected("teamId", "errors.volunteerTeamInvalid");
  requirePermission(actor, "volunteer:lead", await teamResource(prisma, communityId, team.id));
  if (input.endsAt <= input.startsAt) throw new InputRejected("endsAt", "errors.volunteerEndBeforeStart");
  let place = {
    placeId: null as string | null,
    placeName: "",
    gridId: null as string | null,
    buildingId: null as string | null,
    unitId: null as string | null,
  };
  if (input.placeId) {
    const found = await placeChain(prisma, communityId, input.placeId);
    if (!found || found.kind === "household") throw new InputRejected("placeId", "errors.placeInvalid");
    place = { placeId: input.placeId, placeName: found.name, gridId: found.chain.gridId, buildingId: found.chain.buildingId, unitId: found.chain.unitId };
  }
  const rules = await volunteerRules(prisma, communityId);
  const a = await prisma.volunteerActivity.create({
    data: {
      communityId,
      teamId: team.id,
      title: input.title,
      description: input.description,
      ...place,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      capacity: input.capacity,
      pointsMode: input.pointsMode ?? rules.pointsMode,
      points: input.points ?? rules.pointsPerUnit,
      createdById: actor.userId,
    },
    select: { id: true },
  });
  return { id: a.id };
}

async function activityOrThrow(db: Tx | typeof prisma, activityId: string) {
  const a = await db.volunteerActivity.findUnique({ where: { id: activityId } });
  if (!a) throw new NotFound("activity");
  return a;
}

/** Activities of the community from a week back on, soonest first, with the asker's own sign-up. */
export async function listActivities(actor: Actor, communityId: string, now = new Date()) {
  requirePermission(actor, "volunteer:view", community(communityId));
  const rows = await prisma.volunteerActivity.findMany({
    where: { communityId, endsAt: { gte: new Date(now.getTime() - 7 * 86400_000) } },
    orderBy: { startsAt: "asc" },
    take: 100,
    include: { team: { select: { name: true } }, signups: { where: { status: { not: "cancelled" } }, select: { userId: true, status: true } } },
  });
  return rows.map((a) => ({
    id: a.id,
    title: a.title,
    team: a.team.name,
    placeName: a.placeName,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    capacity: a.capacity,
    signedUp: a.signups.filter((s) => s.status === "signedUp").length,
    waiting: a.signups.filter((s) => s.status === "waiting").length,
    pointsMode: a.pointsMode as PointsMode,
    points: a.points,
    status: a.status,
    cancelReason: a.cancelReason,
    mine: (a.signups.find((s) => s.userId === actor.userId)?.status ?? null) as "signedUp" | "waiting" | null,
  }));
}

/** One activity; its roster (names, check-in, confirmation) only for its leaders and staff. */
export async function activityDetail(actor: Actor, activityId: string) {
  const a = await prisma.volunteerActivity.findUnique({
    where: { id: activityId },
    include: { team: { select: { name: true } }, signups: { orderBy: { queuedAt: "asc" } } },
  });
  if (!a) throw new NotFound("activity");
  requirePermission(actor, "volunteer:view", community(a.communityId));
  const res = await teamResource(prisma, a.communityId, a.teamId);
  const mayLead = can(actor, "volunteer:lead", res);
  const mayChange = can(actor, "volunteer:changeActivity", res);
  const who = mayLead ? await names(a.signups.map((s) => s.userId)) : {};
  const mine = a.signups.find((s) => s.userId === actor.userId && s.status !== "cancelled");
  const signupView = (s: (typeof a.signups)[number]) => ({
    id: s.id,
    userId: s.userId,
    displayName: who[s.userId] ?? "",
    status: s.status as "signedUp" | "waiting" | "cancelled",
    checkedInAt: s.checkedInAt?.toISOString() ?? null,
    checkedOutAt: s.checkedOutAt?.toISOString() ?? null,
    minutesServed: s.minutesServed,
    confirmedAt: s.confirmedAt?.toISOString() ?? null,
  });
  return {
    id: a.id,
    communityId: a.communityId,
    teamId: a.teamId,
    team: a.team.name,
    title: a.title,
    description: a.description,
    placeName: a.placeName,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    capacity: a.capacity,
    pointsMode: a.pointsMode as PointsMode,
    points: a.points,
    status: a.status,
    cancelReason: a.cancelReason,
    cancelledAt: a.cancelledAt?.toISOString() ?? null,
    placeId: a.placeId,
    signedUp: a.signups.filter((s) => s.status === "signedUp").length,
    waiting: a.signups.filter((s) => s.status === "waiting").length,
    mayLead,
    mayChange,
    confirmedCount: a.signups.filter((s) => s.confirmedAt).length,
    mine: mine ? signupView(mine) : null,
    roster: mayLead ? a.signups.filter((s) => s.status !== "cancelled").map(signupView) : [],
  };
}

/**
 * Takes the activity's row lock: an UPDATE locks the row on PostgreSQL (SQLite runs one writer at
 * a time anyway), so two sign-ups or cancellations of one activity never count places at once.
 */
async function lockActivity(tx: Tx, activityId: string) {
  const locked = await tx.volunteerActivity.updateMany({ where: { id: activityId }, data: { capacity: { increment: 0 } } });
  if (locked.count !== 1) throw new NotFound("activity");
  return activityOrThrow(tx, activityId);
}

/** Signs the asker up, or puts them on the waiting list when the activity is full. */
export async function signUp(actor: Actor, activityId: string) {
  const head = await activityOrThrow(prisma, activityId);
  requirePermission(actor, "volunteer:signUp", community(head.communityId));
  return prisma.$transaction(async (tx) => {
    const a = await lockActivity(tx, activityId);
    if (a.status !== "open") throw notOpen(a);
    if (a.endsAt < new Date()) throw new RuleBroken("errors.volunteerActivityClosed");
    const existing = await tx.volunteerSignup.findUnique({ where: { activityId_userId: { activityId, userId: actor.userId } } });
    if (existing && existing.status !== "cancelled") return { status: existing.status as "signedUp" | "waiting" };
    const taken = await tx.volunteerSignup.count({ where: { activityId, status: "signedUp" } });
    const status = taken < a.capacity ? "signedUp" : "waiting";
    if (existing) await tx.volunteerSignup.update({ where: { id: existing.id }, data: { status, queuedAt: new Date() } });
    else await tx.volunteerSignup.create({ data: { activityId, userId: actor.userId, status } });
    return { status: status as "signedUp" | "waiting" };
  });
}

/** Cancels the asker's sign-up; a freed place goes to the earliest on the waiting list. */
export async function cancelSignUp(actor: Actor, activityId: string) {
  const head = await activityOrThrow(prisma, activityId);
  requirePermission(actor, "volunteer:view", community(head.communityId));
  return prisma.$transaction(async (tx) => {
    const a = await lockActivity(tx, activityId);
    if (a.status === "cancelled") throw notOpen(a);
    const s = await tx.volunteerSignup.findUnique({ where: { activityId_userId: { activityId, userId: actor.userId } } });
    if (!s || s.status === "cancelled") return { promotedUserId: null };
    if (s.checkedInAt) throw new RuleBroken("errors.volunteerAlreadyCheckedIn");
    await tx.volunteerSignup.update({ where: { id: s.id }, data: { status: "cancelled" } });
    if (s.status !== "signedUp") return { promotedUserId: null };
    const promoted = await promoteWaiting(tx, activityId, a.capacity);
    return { promotedUserId: promoted[0] ?? null };
  });
}

/**
 * Fills free places from the waiting list, earliest queued first; the caller holds the activity's
 * row lock. Returns who moved up, in queue order.
 */
async function promoteWaiting(tx: Tx, activityId: string, capacity: number): Promise<string[]> {
  const taken = await tx.volunteerSignup.count({ where: { activityId, status: "signedUp" } });
  if (taken >= capacity) return [];
  const next = await tx.volunteerSignup.findMany({
    where: { activityId, status: "waiting" },
    orderBy: [{ queuedAt: "asc" }, { id: "asc" }],
    take: capacity - taken,
  });
  if (next.length === 0) return [];
  await tx.volunteerSignup.updateMany({ where: { id: { in: next.map((n) => n.id) } }, data: { status: "signedUp" } });
  return next.map((n) => n.userId);
}

/** The refusal for anything done on an activity that is no longer open. */
function notOpen(a: { status: string }) {
  return new RuleBroken(a.status === "cancelled" ? "errors.activityCancelled" : "errors.volunteerActivityClosed");
}

const activityHref = async (communityId: string, activityId: string) =>
  `/c/${(await prisma.community.findUniqueOrThrow({ where: { id: communityId }, select: { slug: true } })).slug}/volunteer/activities/${activityId}`;

/**
 * A leader or staff cancels the activity (rained off, the place closed) with a reason everyone
 * sees. Sign-ups stay as they were so the roster shows who was affected; points already
 * confirmed stay in the ledger (nothing is reversed). Everyone signed up or waiting is told.
 */
export async function cancelActivity(actor: Actor, activityId: string, reason: string, now = new Date()) {
  const head = await activityOrThrow(prisma, activityId);
  requirePermission(actor, "volunteer:changeActivity", await teamResource(prisma, head.communityId, head.teamId));
  const told = await prisma.$transaction(async (tx) => {
    const a = await lockActivity(tx, activityId);
    if (a.status !== "open") throw notOpen(a);
    await tx.volunteerActivity.update({
      where: { id: a.id },
      data: { status: "cancelled", cancelReason: reason, cancelledAt: now, cancelledById: actor.userId },
    });
    const people = await tx.volunteerSignup.findMany({ where: { activityId, status: { in: ["signedUp", "waiting"] } }, select: { userId: true } });
    return people.map((p) => p.userId);
  });
  await notify(told, "volunteerActivityCancelled", {}, { title: head.title, reason, href: await activityHref(head.communityId, activityId) });
  return { id: activityId, status: "cancelled" as const, cancelReason: reason, notified: told.length };
}

/**
 * A leader or staff edits the activity before it starts. Capacity below the number signed up is
 * refused (nobody loses a place they were given); a raise promotes the waiting list in queue
 * order. Those signed up or waiting are told when the time or the place changes.
 */
export async function editActivity(actor: Actor, activityId: string, input: ActivityEdit, now = new Date()) {
  const head = await activityOrThrow(prisma, activityId);
  requirePermission(actor, "volunteer:changeActivity", await teamResource(prisma, head.communityId, head.teamId));
  let place: { placeId: string | null; placeName: string; gridId: string | null; buildingId: string | null; unitId: string | null } | undefined;
  if (input.placeId === null) place = { placeId: null, placeName: "", gridId: null, buildingId: null, unitId: null };
  else if (input.placeId !== undefined && input.placeId !== head.placeId) {
    const found = await placeChain(prisma, head.communityId, input.placeId);
    if (!found || found.kind === "household") throw new InputRejected("placeId", "errors.placeInvalid");
    place = { placeId: input.placeId, placeName: found.name, gridId: found.chain.gridId, buildingId: found.chain.buildingId, unitId: found.chain.unitId };
  }
  const result = await prisma.$transaction(async (tx) => {
    const a = await lockActivity(tx, activityId);
    if (a.status !== "open") throw notOpen(a);
    if (a.startsAt <= now) throw new RuleBroken("errors.volunteerActivityStarted");
    const startsAt = input.startsAt ?? a.startsAt;
    const endsAt = input.endsAt ?? a.endsAt;
    if (endsAt <= startsAt) throw new InputRejected("endsAt", "errors.volunteerEndBeforeStart");
    const capacity = input.capacity ?? a.capacity;
    const taken = await tx.volunteerSignup.count({ where: { activityId, status: "signedUp" } });
    if (capacity < taken) throw new InputRejected("capacity", "errors.volunteerCapacityBelowSignedUp", { count: taken });
    await tx.volunteerActivity.update({
      where: { id: activityId },
      data: {
        title: input.title ?? a.title,
        description: input.description ?? a.description,
        ...(place ?? {}),
        startsAt,
        endsAt,
        capacity,
        points: input.points ?? a.points,
      },
    });
    const promoted = capacity > a.capacity ? await promoteWaiting(tx, activityId, capacity) : [];
    const moved =
      startsAt.getTime() !== a.startsAt.getTime() || endsAt.getTime() !== a.endsAt.getTime() || (place !== undefined && place.placeId !== a.placeId);
    const people = moved
      ? (await tx.volunteerSignup.findMany({ where: { activityId, status: { in: ["signedUp", "waiting"] } }, select: { userId: true } })).map((p) => p.userId)
      : [];
    return { promoted, told: people, title: input.title ?? a.title };
  });
  const href = await activityHref(head.communityId, activityId);
  await notify(result.promoted, "volunteerPromoted", {}, { title: result.title, href });
  await notify(
    result.told.filter((u) => !result.promoted.includes(u)),
    "volunteerActivityChanged",
    {},
    { title: result.title, href },
  );
  return { id: activityId, promotedUserIds: result.promoted, notified: result.told.length };
}

// ——— Check-in and check-out ———

export const ACTIVITY_QR_ROTATE_MS = 60_000;
export const ACTIVITY_QR_GRACE_MS = 120_000;
/** Check-in opens an hour before the start and closes an hour after the end. */
const CHECK_IN_MARGIN_MS = 3600_000;

/** The rotating check-in link for the activity's screen, signed like a session's (check-in-link.server.ts). */
export async function activityCheckInQr(actor: Actor, activityId: string, origin: string, now = Date.now()) {
  const a = await activityOrThrow(prisma, activityId);
  requirePermission(actor, "volunteer:lead", await teamResource(prisma, a.communityId, a.teamId));
  const slotEnd = (Math.floor(now / ACTIVITY_QR_ROTATE_MS) + 1) * ACTIVITY_QR_ROTATE_MS;
  const expires = slotEnd + ACTIVITY_QR_GRACE_MS;
  const token = `${expires}.${sign(`volunteer-check-in:${a.id}:${expires}`)}`;
  const slug = (await prisma.community.findUniqueOrThrow({ where: { id: a.communityId }, select: { slug: true } })).slug;
  const url = `${origin}/c/${slug}/volunteer/activities/${a.id}/check-in?t=${encodeURIComponent(token)}`;
  const svg = await qrSvg(url, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { url, svg, expiresAt: new Date(expires).toISOString(), refreshInMs: slotEnd - now };
}

function assertCheckInToken(activityId: string, token: string, now: number) {
  const [expiresText, signature] = token.split(".");
  const expires = Number(expiresText);
  if (!Number.isFinite(expires) || !signature || !verifySignature(`volunteer-check-in:${activityId}:${expires}`, signature))
    throw new RuleBroken("errors.checkInInvalid");
  if (expires < now || expires - now > ACTIVITY_QR_ROTATE_MS + ACTIVITY_QR_GRACE_MS) throw new RuleBroken("errors.checkInExpired");
}

async function checkInOrOut(tx: Tx, signupId: string, direction: "in" | "out", at: Date) {
  const s = await tx.volunteerSignup.findUniqueOrThrow({ where: { id: signupId }, include: { activity: true } });
  if (s.status !== "signedUp") throw new RuleBroken("errors.volunteerNotSignedUp");
  if (s.confirmedAt) throw new RuleBroken("errors.volunteerAlreadyConfirmed");
  const a = s.activity;
  if (a.status !== "open") throw notOpen(a);
  if (at.getTime() < a.startsAt.getTime() - CHECK_IN_MARGIN_MS || at.getTime() > a.endsAt.getTime() + CHECK_IN_MARGIN_MS)
    throw new RuleBroken("errors.volunteerOutsideHours");
  if (direction === "in") {
    if (s.checkedInAt) return { checkedInAt: s.checkedInAt.toISOString(), checkedOutAt: s.checkedOutAt?.toISOString() ?? null, minutesServed: s.minutesServed };
    await tx.volunteerSignup.update({ where: { id: s.id }, data: { checkedInAt: at } });
    return { checkedInAt: at.toISOString(), checkedOutAt: null, minutesServed: null };
  }
  if (!s.checkedInAt) throw new RuleBroken("errors.volunteerNotCheckedIn");
  const minutes = minutesServed(s.checkedInAt, at, a);
  await tx.volunteerSignup.update({ where: { id: s.id }, data: { checkedOutAt: at, minutesServed: minutes } });
  return { checkedInAt: s.checkedInAt.toISOString(), checkedOutAt: at.toISOString(), minutesServed: minutes };
}

/** The resident scanned the activity's QR: checks them in, or out if they are in already. */
export async function scanCheckIn(actor: Actor, activityId: string, token: string, now = new Date()) {
  const a = await activityOrThrow(prisma, activityId);
  requirePermission(actor, "volunteer:view", community(a.communityId));
  assertCheckInToken(activityId, token, now.getTime());
  return prisma.$transaction(async (tx) => {
    const s = await tx.volunteerSignup.findUnique({ where: { activityId_userId: { activityId, userId: actor.userId } } });
    if (!s || s.status !== "signedUp") throw new RuleBroken("errors.volunteerNotSignedUp");
    return checkInOrOut(tx, s.id, s.checkedInAt && !s.checkedOutAt ? "out" : "in", now);
  });
}

/** The leader checks someone in or out (no phone, no scan). */
export async function leaderCheck(actor: Actor, signupId: string, direction: "in" | "out", now = new Date()) {
  const s = await prisma.volunteerSignup.findUnique({ where: { id: signupId }, include: { activity: { select: { communityId: true, teamId: true } } } });
  if (!s) throw new NotFound("signup");
  requirePermission(actor, "volunteer:lead", await teamResource(prisma, s.activity.communityId, s.activity.teamId));
  return prisma.$transaction((tx) => checkInOrOut(tx, signupId, direction, now));
}

// ——— Confirmation: points are issued ———

async function issuedThisYear(tx: Tx, residentAccountId: string, now: Date): Promise<number> {
  const since = beijingYearStart(now);
  const issued = await tx.pointEntry.findMany({
    where: { accountId: residentAccountId, createdAt: { gte: since }, transaction: { kind: "issue" } },
    select: { amount: true, transactionId: true },
  });
  const reversed = await tx.pointTransaction.findMany({ where: { reversesId: { in: issued.map((e) => e.transactionId) } }, select: { reversesId: true } });
  const gone = new Set(reversed.map((r) => r.reversesId));
  return issued.filter((e) => !gone.has(e.transactionId)).reduce((s, e) => s + e.amount, 0);
}

/**
 * A leader (or staff) confirms someone's service: their minutes are settled, the points the
 * community's rules give (after the yearly cap) go from the issuance account to theirs, once.
 * Nobody confirms their own service.
 */
export async function confirmService(actor: Actor, signupId: string, now = new Date()) {
  const s = await prisma.volunteerSignup.findUnique({ where: { id: signupId }, include: { activity: true } });
  if (!s) throw new NotFound("signup");
  const a = s.activity;
  requirePermission(actor, "volunteer:confirm", await teamResource(prisma, a.communityId, a.teamId, s.userId));
  return inLedger(async (tx) => {
    const cur = await tx.volunteerSignup.findUniqueOrThrow({ where: { id: signupId } });
    const status = (await tx.volunteerActivity.findUniqueOrThrow({ where: { id: a.id }, select: { status: true } })).status;
    if (status === "cancelled") throw notOpen({ status });
    if (cur.confirmedAt) throw new RuleBroken("errors.volunteerAlreadyConfirmed");
    if (cur.status !== "signedUp" || !cur.checkedInAt) throw new RuleBroken("errors.volunteerNotCheckedIn");
    const out = cur.checkedOutAt ?? new Date(Math.min(now.getTime(), a.endsAt.getTime()));
    const minutes = cur.minutesServed ?? minutesServed(cur.checkedInAt, out, a);
    const rules = await volunteerRules(tx, a.communityId);
    const resident = await accountId(tx, a.communityId, "resident", cur.userId);
    const earned = pointsForService(a.pointsMode as PointsMode, a.points, minutes);
    const points = capped(earned, await issuedThisYear(tx, resident, now), rules.yearlyCap);
    let transactionId: string | null = null;
    if (points > 0) {
      const issuance = await accountId(tx, a.communityId, "issuance");
      const t = await post(tx, {
        communityId: a.communityId,
        kind: "issue",
        memo: a.title,
        createdById: actor.userId,
        lines: [
          { accountId: issuance, amount: -points, gridId: a.gridId },
          { accountId: resident, amount: points, gridId: a.gridId },
        ],
      });
      transactionId = t.id;
    }
    // Only one confirmation wins even if two leaders press at once.
    const done = await tx.volunteerSignup.updateMany({
      where: { id: signupId, confirmedAt: null },
      data: { confirmedAt: now, confirmedById: actor.userId, checkedOutAt: out, minutesServed: minutes, transactionId },
    });
    if (done.count !== 1) throw new RuleBroken("errors.volunteerAlreadyConfirmed");
    return { minutesServed: minutes, points, earned, capped: points < earned };
  });
}

// ——— A resident's points ———

export async function myPoints(actor: Actor, communityId: string) {
  requirePermission(actor, "volunteer:view", community(communityId));
  const acc = await prisma.pointAccount.findUnique({ where: { communityId_kind_ownerId: { communityId, kind: "resident", ownerId: actor.userId } } });
  if (!acc) return { balance: 0, history: [] };
  const entries = await prisma.pointEntry.findMany({
    where: { accountId: acc.id },
    orderBy: { seq: "desc" },
    take: 100,
    select: { seq: true, amount: true, createdAt: true, transaction: { select: { kind: true, memo: true } } },
  });
  return {
    balance: await balanceOf(prisma, acc.id),
    history: entries.map((e) => ({ seq: e.seq, amount: e.amount, at: e.createdAt.toISOString(), kind: e.transaction.kind, memo: e.transaction.memo })),
  };
}

// ——— Merchants ———

export const REDEMPTION_CODE_TTL_MS = 2 * 60_000;
/** A scan made offline may settle this long after the code expired (the merchant's phone was briefly offline). */
export const OFFLINE_SETTLE_GRACE_MS = 30 * 60_000;

async function merchantOrThrow(communityId: string, organizationId: string) {
  const org = await prisma.organization.findFirst({
    where: { id: organizationId, communityId, kind: "merchant", archivedAt: null },
    select: { id: true, name: true },
  });
  if (!org) throw new NotFound("merchant");
  return org;
}
const merchant = (communityId: string, organizationId: string): MerchantResource => ({ type: "merchant", communityId, organizationId });

/** Partner merchants with their active offers (for residents: where points can be spent); `mine` marks the asker's own shops. */
export async function listMerchants(actor: Actor, communityId: string) {
  requirePermission(actor, "volunteer:view", community(communityId));
  const orgs = await prisma.organization.findMany({
    where: { communityId, kind: "merchant", archivedAt: null },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
  const offers = await prisma.merchantOffer.findMany({ where: { organizationId: { in: orgs.map((o) => o.id) } }, orderBy: { points: "asc" } });
  const mineIds = new Set(actor.memberships.filter((m) => m.communityId === communityId && m.organizationId).map((m) => m.organizationId));
  return orgs.map((o) => {
    const mine = mineIds.has(o.id);
    return {
      id: o.id,
      name: o.name,
      mine,
      offers: offers
        .filter((f) => f.organizationId === o.id && (f.active || mine))
        .map((f) => ({ id: f.id, title: f.title, points: f.points, active: f.active })),
    };
  });
}

export async function createOffer(actor: Actor, communityId: string, organizationId: string, input: { title: string; points: number }) {
  await merchantOrThrow(communityId, organizationId);
  requirePermission(actor, "merchant:manage", merchant(communityId, organizationId));
  return prisma.merchantOffer.create({
    data: { communityId, organizationId, title: input.title, points: input.points },
    select: { id: true, title: true, points: true, active: true },
  });
}

export async function setOfferActive(actor: Actor, communityId: string, organizationId: string, offerId: string, active: boolean) {
  await merchantOrThrow(communityId, organizationId);
  requirePermission(actor, "merchant:manage", merchant(communityId, organizationId));
  const done = await prisma.merchantOffer.updateMany({ where: { id: offerId, organizationId }, data: { active } });
  if (done.count !== 1) throw new NotFound("offer");
  return { id: offerId, active };
}

function newCode(): string {
  let s = "";
  for (let i = 0; i < CODE_LENGTH; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** A fresh redemption QR for the asker: valid two minutes, used at most once. */
export async function createRedemptionCode(actor: Actor, communityId: string, now = new Date()) {
  requirePermission(actor, "volunteer:signUp", community(communityId));
  const expiresAt = new Date(now.getTime() + REDEMPTION_CODE_TTL_MS);
  for (;;) {
    const code = newCode();
    try {
      await prisma.redemptionCode.create({ data: { code, communityId, userId: actor.userId, expiresAt } });
      const svg = await qrSvg(`yishi-points:${code}`, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
      return { code, expiresAt: expiresAt.toISOString(), svg };
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }
}

/** The resident's own code: used yet, for how much, and their balance now (their screen polls it). */
export async function redemptionCodeStatus(actor: Actor, code: string) {
  const row = await prisma.redemptionCode.findUnique({ where: { code }, include: { redemption: { select: { points: true, offerId: true } } } });
  if (!row || row.userId !== actor.userId) throw new NotFound("code");
  const acc = await accountId(prisma as unknown as Tx, row.communityId, "resident", actor.userId);
  return {
    used: !!row.redemption,
    points: row.redemption?.points ?? null,
    expired: row.expiresAt < new Date(),
    expiresAt: row.expiresAt.toISOString(),
    balance: await balanceOf(prisma, acc),
  };
}

export type RedeemInput = { organizationId: string; offerId: string; code: string; scannedAt?: Date };
export type RedeemResult = { redemptionId: string; code: string; points: number; offer: string; resident: string; settledAt: string; repeated: boolean };

/**
 * A merchant's staff takes the points of an offer with a resident's code. Single use: the
 * Redemption row is UNIQUE per code. A repeat of the same settlement (the offline queue sent
 * again) gets the first answer with repeated=true; any other use of a used code is refused.
 * A queued scan carries scannedAt: the code must have been valid then, and the settlement come
 * within OFFLINE_SETTLE_GRACE_MS of its expiry.
 */
export async function redeem(actor: Actor, communityId: string, input: RedeemInput, now = new Date()): Promise<RedeemResult> {
  await merchantOrThrow(communityId, input.organizationId);
  requirePermission(actor, "merchant:redeem", merchant(communityId, input.organizationId));
  const offer = await prisma.merchantOffer.findFirst({ where: { id: input.offerId, organizationId: input.organizationId } });
  if (!offer) throw new InputRejected("offerId", "errors.offerInvalid");
  const scannedAt = input.scannedAt && input.scannedAt < now ? input.scannedAt : now;
  const result = await inLedger(async (tx) => {
    const code = await tx.redemptionCode.findUnique({ where: { code: input.code }, include: { redemption: true } });
    if (!code || code.communityId !== communityId) throw new InputRejected("code", "errors.redemptionCodeInvalid");
    const resident = (await tx.user.findUniqueOrThrow({ where: { id: code.userId }, select: { displayName: true } })).displayName;
    if (code.redemption) {
      const r = code.redemption;
      if (r.organizationId === input.organizationId && r.offerId === input.offerId)
        return {
          redemptionId: r.id,
          code: code.code,
          points: r.points,
          offer: offer.title,
          resident: maskedName(resident),
          settledAt: r.createdAt.toISOString(),
          repeated: true,
        };
      throw new RuleBroken("errors.redemptionCodeUsed");
    }
    if (!offer.active) throw new RuleBroken("errors.offerInactive");
    if (scannedAt < code.createdAt || scannedAt > code.expiresAt || now.getTime() > code.expiresAt.getTime() + OFFLINE_SETTLE_GRACE_MS)
      throw new RuleBroken("errors.redemptionCodeExpired");
    if (code.userId === actor.userId) throw new RuleBroken("errors.redemptionOwnCode");
    const rules = await volunteerRules(tx, communityId);
    const from = await accountId(tx, communityId, "resident", code.userId);
    // Points past their expiry are gone before anything is spent (the job may not have run yet).
    await expireAccount(tx, communityId, from, rules.expiryMonths, now);
    const to = await accountId(tx, communityId, "merchant", input.organizationId);
    const home = await tx.membership.findFirst({ where: { communityId, userId: code.userId, gridId: { not: null } }, select: { gridId: true } });
    const t = await post(tx, {
      communityId,
      kind: "redeem",
      memo: offer.title,
      createdById: actor.userId,
      lines: [
        { accountId: from, amount: -offer.points, gridId: home?.gridId ?? null },
        { accountId: to, amount: offer.points, gridId: home?.gridId ?? null },
      ],
    });
    const r = await tx.redemption.create({
      data: {
        codeId: code.id,
        communityId,
        organizationId: input.organizationId,
        offerId: offer.id,
        userId: code.userId,
        points: offer.points,
        transactionId: t.id,
        settledById: actor.userId,
        scannedAt,
      },
    });
    return {
      redemptionId: r.id,
      code: code.code,
      points: offer.points,
      offer: offer.title,
      resident: maskedName(resident),
      settledAt: r.createdAt.toISOString(),
      repeated: false,
    };
  });
  return result;
}

/** A merchant's monthly statement (Beijing month): each redemption with a masked name, and the total. */
export async function merchantStatement(actor: Actor, communityId: string, organizationId: string, month: string) {
  const org = await merchantOrThrow(communityId, organizationId);
  requirePermission(actor, "merchant:manage", merchant(communityId, organizationId));
  const range = beijingMonth(month);
  if (!range) throw new InputRejected("month", "errors.dateInvalid");
  const rows = await prisma.redemption.findMany({
    where: { organizationId, createdAt: { gte: range.from, lt: range.to } },
    orderBy: { createdAt: "asc" },
    select: { id: true, createdAt: true, points: true, offerId: true, userId: true, code: { select: { code: true } } },
  });
  const offers = Object.fromEntries(
    (await prisma.merchantOffer.findMany({ where: { id: { in: rows.map((r) => r.offerId) } }, select: { id: true, title: true } })).map((o) => [o.id, o.title]),
  );
  const who = await names(rows.map((r) => r.userId));
  const reversed = new Set(
    (
      await prisma.pointTransaction.findMany({
        where: {
          reversesId: {
            in: (await prisma.redemption.findMany({ where: { id: { in: rows.map((r) => r.id) } }, select: { transactionId: true } })).map(
              (r) => r.transactionId,
            ),
          },
        },
        select: { reversesId: true },
      })
    ).map((t) => t.reversesId),
  );
  const txOf = Object.fromEntries(
    (await prisma.redemption.findMany({ where: { id: { in: rows.map((r) => r.id) } }, select: { id: true, transactionId: true } })).map((r) => [
      r.id,
      r.transactionId,
    ]),
  );
  const lines = rows.map((r) => ({
    at: r.createdAt.toISOString(),
    offer: offers[r.offerId] ?? "",
    points: r.points,
    resident: maskedName(who[r.userId] ?? ""),
    code: r.code.code,
    reversed: reversed.has(txOf[r.id] ?? ""),
  }));
  return { merchant: org.name, month, lines, total: lines.filter((l) => !l.reversed).reduce((s, l) => s + l.points, 0) };
}

// ——— Staff: corrections and figures ———

/** Recent ledger transactions of the community, for staff to find one to correct. */
export async function recentTransactions(actor: Actor, communityId: string) {
  requirePermission(actor, "volunteer:manage", community(communityId));
  const txs = await prisma.pointTransaction.findMany({
    where: { communityId },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: {
      id: true,
      kind: true,
      memo: true,
      createdAt: true,
      reversesId: true,
      entries: { select: { amount: true, account: { select: { kind: true, ownerId: true } } } },
    },
  });
  const reversed = new Set(
    (await prisma.pointTransaction.findMany({ where: { reversesId: { in: txs.map((t) => t.id) } }, select: { reversesId: true } })).map((t) => t.reversesId),
  );
  const who = await names(txs.flatMap((t) => t.entries.filter((e) => e.account.kind === "resident").map((e) => e.account.ownerId)));
  return txs.map((t) => {
    const resident = t.entries.find((e) => e.account.kind === "resident");
    return {
      id: t.id,
      kind: t.kind,
      memo: t.memo,
      at: t.createdAt.toISOString(),
      resident: resident ? (who[resident.account.ownerId] ?? "") : "",
      points: resident ? resident.amount : Math.max(...t.entries.map((e) => e.amount)),
      reversed: reversed.has(t.id),
      reversible: t.kind !== "reverse" && !reversed.has(t.id),
    };
  });
}

/** A correction (冲正): the transaction reversed by a reversing one, with the reason, audited. */
export async function correctTransaction(actor: Actor, communityId: string, transactionId: string, reason: string) {
  requirePermission(actor, "volunteer:manage", community(communityId));
  const original = await prisma.pointTransaction.findFirst({ where: { id: transactionId, communityId }, select: { id: true, kind: true, memo: true } });
  if (!original) throw new NotFound("transaction");
  return inLedger(async (tx) => {
    const r = await reverse(tx, transactionId, reason, actor.userId);
    if (!r) throw new NotFound("transaction");
    await audit(tx, {
      communityId,
      actor,
      action: "points.correct",
      subject: { id: transactionId, name: original.memo || original.kind },
      before: { transactionId, kind: original.kind },
      after: { reversedBy: r.id, reason },
    });
    return { id: r.id };
  });
}

export type VolunteerScope = { communityId: string; gridId?: string };
export type VolunteerFigureRow = { gridId: string | null; month: string; hours: number; pointsIssued: number; pointsRedeemed: number };

/**
 * Hours served and points issued and redeemed per grid and Beijing month in [from, to), for the
 * dashboard: hours by the activity's grid and confirmation month; points by the entry's grid
 * (issued: the activity's; redeemed: the resident's home grid). Reversals count against their kind.
 */
export async function volunteerFigures(scope: VolunteerScope, period: { from: Date; to: Date }): Promise<VolunteerFigureRow[]> {
  const rows = new Map<string, VolunteerFigureRow>();
  const row = (gridId: string | null, at: Date) => {
    const month = beijingMonthOf(at);
    const key = `${gridId ?? ""}|${month}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { gridId, month, hours: 0, pointsIssued: 0, pointsRedeemed: 0 }));
    return r;
  };
  const served = await prisma.volunteerSignup.findMany({
    where: {
      confirmedAt: { gte: period.from, lt: period.to },
      activity: { communityId: scope.communityId, ...(scope.gridId ? { gridId: scope.gridId } : {}) },
    },
    select: { confirmedAt: true, minutesServed: true, activity: { select: { gridId: true } } },
  });
  for (const s of served) row(s.activity.gridId, s.confirmedAt!).hours += (s.minutesServed ?? 0) / 60;
  const entries = await prisma.pointEntry.findMany({
    where: {
      createdAt: { gte: period.from, lt: period.to },
      account: { communityId: scope.communityId, kind: "resident" },
      ...(scope.gridId ? { gridId: scope.gridId } : {}),
    },
    select: { amount: true, createdAt: true, gridId: true, transaction: { select: { kind: true, reversesId: true } } },
  });
  const reversedKinds = Object.fromEntries(
    (
      await prisma.pointTransaction.findMany({
        where: { id: { in: entries.map((e) => e.transaction.reversesId).filter((x): x is string => !!x) } },
        select: { id: true, kind: true },
      })
    ).map((t) => [t.id, t.kind]),
  );
  for (const e of entries) {
    const kind = e.transaction.kind === "reverse" ? reversedKinds[e.transaction.reversesId ?? ""] : e.transaction.kind;
    if (kind === "issue") row(e.gridId, e.createdAt).pointsIssued += e.amount;
    else if (kind === "redeem") row(e.gridId, e.createdAt).pointsRedeemed -= e.amount;
  }
  return [...rows.values()]
    .map((r) => ({ ...r, hours: Math.round(r.hours * 10) / 10 }))
    .sort((a, b) => (a.month + (a.gridId ?? "")).localeCompare(b.month + (b.gridId ?? "")));
}

/** Staff overview: teams with hours served this year, and the figures per grid and month with grid names. */
export async function staffOverview(actor: Actor, communityId: string, period: { from: Date; to: Date }) {
  requirePermission(actor, "volunteer:manage", community(communityId));
  const figures = await volunteerFigures({ communityId }, period);
  const grids = Object.fromEntries((await prisma.grid.findMany({ where: { communityId }, select: { id: true, name: true } })).map((g) => [g.id, g.name]));
  const teams = await prisma.volunteerTeam.findMany({
    where: { communityId, archivedAt: null },
    select: { id: true, name: true, _count: { select: { members: true } } },
  });
  const served = await prisma.volunteerSignup.findMany({
    where: { confirmedAt: { gte: period.from, lt: period.to }, activity: { communityId } },
    select: { minutesServed: true, activity: { select: { teamId: true } } },
  });
  return {
    figures: figures.map((f) => ({ ...f, grid: f.gridId ? (grids[f.gridId] ?? "") : "" })),
    teams: teams.map((t) => ({
      id: t.id,
      name: t.name,
      members: t._count.members,
      hours: Math.round((served.filter((s) => s.activity.teamId === t.id).reduce((s, x) => s + (x.minutesServed ?? 0), 0) / 60) * 10) / 10,
    })),
  };
}

/** The dashboard's volunteer section: totals and the rows per grid and month with grid names (no person named). */
export async function volunteerDashboard(communityId: string, period: { from: string; to: string }) {
  const rows = await volunteerFigures({ communityId }, { from: new Date(period.from), to: new Date(period.to) });
  const grids = Object.fromEntries((await prisma.grid.findMany({ where: { communityId }, select: { id: true, name: true } })).map((g) => [g.id, g.name]));
  return {
    hours: Math.round(rows.reduce((s, r) => s + r.hours, 0) * 10) / 10,
    issued: rows.reduce((s, r) => s + r.pointsIssued, 0),
    redeemed: rows.reduce((s, r) => s + r.pointsRedeemed, 0),
    rows: rows.map((r) => ({ ...r, grid: r.gridId ? (grids[r.gridId] ?? "") : "" })),
  };
}
