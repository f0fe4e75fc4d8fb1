// A community's members and their roles (居民, 楼栋长, 网格员, 社区工作者, …): staff grant
// and revoke roles and deactivate a member. Nothing of a person is deleted: a
// deactivated member's rows (topics, co-signs, ballots, timeline steps) stay, their
// memberships are only marked, and their current seats in the community's councils
// end. A community always keeps one active staff member. Every change is audited in
// its own transaction and followed by rightsChanged, which re-checks the person's
// live connections at once.
import { prisma } from "~/utils/db.server";
import type { Role } from "~/utils/domain";
import { RuleBroken } from "~/utils/errors";
import { ACTIVE_MEMBERSHIP, NotFound, can, requirePermission, type Actor } from "~/utils/permissions.server";
import { rightsChanged } from "~/utils/rights.server";
import type { Prisma } from "~/generated/prisma/client";
import { audit } from "./audit.server";
import { refreshAttendance } from "./council.server";
import { announce } from "./live-state.server";
import { CURRENT_SEAT } from "./seat-terms";

type Tx = Prisma.TransactionClient;

/** The community's members with their roles; staff also see deactivated members. */
export async function listMembers(actor: Actor, communityId: string) {
  requirePermission(actor, "community:view", { type: "community", communityId });
  const staff = can(actor, "member:manage", { type: "community", communityId });
  const rows = await prisma.membership.findMany({
    where: { communityId, ...(staff ? {} : ACTIVE_MEMBERSHIP) },
    orderBy: [{ user: { displayName: "asc" } }, { createdAt: "asc" }],
    select: { role: true, deactivatedAt: true, user: { select: { id: true, displayName: true } } },
  });
  const byId = new Map<string, { userId: string; displayName: string; roles: Role[]; active: boolean }>();
  for (const r of rows) {
    const m = byId.get(r.user.id) ?? byId.set(r.user.id, { userId: r.user.id, displayName: r.user.displayName, roles: [], active: true }).get(r.user.id)!;
    m.roles.push(r.role as Role);
    if (r.deactivatedAt) m.active = false;
  }
  return { members: [...byId.values()] };
}

async function memberOrThrow(tx: Tx, communityId: string, userId: string) {
  const rows = await tx.membership.findMany({
    where: { communityId, userId },
    select: { id: true, role: true, deactivatedAt: true, user: { select: { displayName: true } } },
  });
  if (rows.length === 0) throw new NotFound("member");
  return { name: rows[0]!.user.displayName, roles: rows.map((r) => r.role as Role), active: rows.every((r) => !r.deactivatedAt), rows };
}

/** Refuses a change that would leave the community without an active staff member (the last one cannot remove themselves). */
async function keepOneStaff(tx: Tx, communityId: string, leavingUserId: string) {
  const others = await tx.membership.count({ where: { communityId, role: "communityStaff", userId: { not: leavingUserId }, ...ACTIVE_MEMBERSHIP } });
  if (others === 0) throw new RuleBroken("errors.lastStaff");
}

export async function grantRole(actor: Actor, communityId: string, userId: string, role: Role) {
  requirePermission(actor, "member:manage", { type: "community", communityId });
  const after = await prisma.$transaction(async (tx) => {
    const m = await memberOrThrow(tx, communityId, userId);
    if (!m.active) throw new RuleBroken("errors.memberDeactivated");
    if (m.roles.includes(role)) throw new RuleBroken("errors.roleHeld");
    await tx.membership.create({ data: { communityId, userId, role } });
    const roles = [...m.roles, role];
    await audit(tx, { communityId, actor, action: "role.grant", subject: { id: userId, name: m.name }, before: { roles: m.roles }, after: { roles } });
    return roles;
  });
  await rightsChanged({ userId });
  return { userId, roles: after, active: true };
}

export async function revokeRole(actor: Actor, communityId: string, userId: string, role: Role) {
  requirePermission(actor, "member:manage", { type: "community", communityId });
  const after = await prisma.$transaction(async (tx) => {
    const m = await memberOrThrow(tx, communityId, userId);
    const row = m.rows.find((r) => r.role === role);
    if (!row) throw new NotFound("role");
    // A member keeps at least one role; to remove someone from the community, deactivate them (their history stays).
    if (m.roles.length === 1) throw new RuleBroken("errors.lastRole");
    if (role === "communityStaff" && m.active) await keepOneStaff(tx, communityId, userId);
    await tx.membership.delete({ where: { id: row.id } });
    const roles = m.roles.filter((r) => r !== role);
    await audit(tx, { communityId, actor, action: "role.revoke", subject: { id: userId, name: m.name }, before: { roles: m.roles }, after: { roles } });
    return { roles, active: m.active };
  });
  await rightsChanged({ userId });
  return { userId, ...after };
}

/** Deactivates (their current seats in this community end) or reactivates a member. */
export async function setMemberActive(actor: Actor, communityId: string, userId: string, active: boolean) {
  requirePermission(actor, "member:manage", { type: "community", communityId });
  const result = await prisma.$transaction(async (tx) => {
    const m = await memberOrThrow(tx, communityId, userId);
    if (m.active === active) return { roles: m.roles, councils: [] as string[] };
    const now = new Date();
    if (!active) {
      if (m.roles.includes("communityStaff")) await keepOneStaff(tx, communityId, userId);
      await tx.membership.updateMany({ where: { communityId, userId }, data: { deactivatedAt: now } });
      const seats = await tx.councilSeat.findMany({
        where: { userId, council: { communityId }, ...CURRENT_SEAT },
        select: { id: true, councilId: true, constituency: true, seatedAt: true, council: { select: { name: true } } },
      });
      for (const s of seats) {
        await tx.councilSeat.update({ where: { id: s.id }, data: { endedAt: now, current: null } });
        const term = { councilId: s.councilId, council: s.council.name, constituency: s.constituency, from: s.seatedAt.toISOString() };
        await audit(tx, {
          communityId,
          actor,
          action: "seat.end",
          subject: { id: userId, name: m.name },
          before: { ...term, to: null },
          after: { ...term, to: now.toISOString() },
        });
      }
      await refreshAttendance(tx, [...new Set(seats.map((s) => s.councilId))], userId, null);
      await audit(tx, {
        communityId,
        actor,
        action: "member.deactivate",
        subject: { id: userId, name: m.name },
        before: { active: true, roles: m.roles },
        after: { active: false, roles: m.roles },
      });
      return { roles: m.roles, councils: seats.map((s) => s.councilId) };
    }
    await tx.membership.updateMany({ where: { communityId, userId }, data: { deactivatedAt: null } });
    await audit(tx, {
      communityId,
      actor,
      action: "member.reactivate",
      subject: { id: userId, name: m.name },
      before: { active: false, roles: m.roles },
      after: { active: true, roles: m.roles },
    });
    return { roles: m.roles, councils: [] as string[] };
  });
  await rightsChanged({ userId });
  if (result.councils.length > 0) {
    const sessions = await prisma.councilSession.findMany({
      where: { councilId: { in: result.councils }, status: { in: ["scheduled", "open"] } },
      select: { id: true },
    });
    for (const s of sessions) announce(s.id);
  }
  return { userId, roles: result.roles, active };
}
