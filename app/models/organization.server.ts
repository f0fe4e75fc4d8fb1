// A community's organisations (组织/单位): the property company, the owners' committee, the
// community office and the co-handling units (utility, police station, urban management).
// A person belongs to one through a Membership with organizationId (the role that matches the
// kind, resident otherwise); staff decide who may act for it (actsForOrganization), e.g. answer
// the topics referred to it. Organisations are archived, never deleted; every change is audited.
import { prisma } from "~/utils/db.server";
import type { OrganizationKind, Role } from "~/utils/domain";
import { InputRejected, RuleBroken } from "~/utils/errors";
import { ACTIVE_MEMBERSHIP, NotFound, requirePermission, type Actor } from "~/utils/permissions.server";
import { rightsChanged } from "~/utils/rights.server";
import type { Prisma } from "~/generated/prisma/client";
import { audit } from "./audit.server";

type Tx = Prisma.TransactionClient;
const community = (communityId: string) => ({ type: "community" as const, communityId });

/** The role that membership of an organisation of this kind gives, if the kind has one of its own. */
export function roleForOrganization(kind: string): Role | null {
  if (kind === "propertyCompany") return "propertyCompany";
  if (kind === "ownersCommittee") return "ownersCommittee";
  // The community office, co-handling units and others give no role: joining the community office
  // must never make someone staff (that is a role grant, on the members page).
  return null;
}

/** The community's organisations with their members (any member of the community may read it). */
export async function listOrganizations(actor: Actor, communityId: string, { archived = false }: { archived?: boolean } = {}) {
  requirePermission(actor, "community:view", community(communityId));
  const orgs = await prisma.organization.findMany({
    where: { communityId, ...(archived ? {} : { archivedAt: null }) },
    orderBy: [{ kind: "asc" }, { name: "asc" }],
    select: {
      id: true,
      kind: true,
      name: true,
      archivedAt: true,
      memberships: {
        where: ACTIVE_MEMBERSHIP,
        orderBy: { user: { displayName: "asc" } },
        select: { role: true, actsForOrganization: true, user: { select: { id: true, displayName: true } } },
      },
    },
  });
  return {
    organizations: orgs.map((o) => ({
      id: o.id,
      kind: o.kind as OrganizationKind,
      name: o.name,
      archived: !!o.archivedAt,
      members: o.memberships.map((m) => ({
        userId: m.user.id,
        displayName: m.user.displayName,
        role: m.role as Role,
        actsForOrganization: m.actsForOrganization,
      })),
    })),
  };
}

async function orgOrThrow(tx: Tx, communityId: string, organizationId: string) {
  const org = await tx.organization.findFirst({ where: { id: organizationId, communityId }, select: { id: true, kind: true, name: true, archivedAt: true } });
  if (!org) throw new NotFound("organization");
  return org;
}

export async function createOrganization(actor: Actor, communityId: string, input: { kind: OrganizationKind; name: string }) {
  requirePermission(actor, "organization:manage", community(communityId));
  return prisma.$transaction(async (tx) => {
    if (await tx.organization.findFirst({ where: { communityId, name: input.name, archivedAt: null }, select: { id: true } }))
      throw new InputRejected("name", "errors.organizationNameTaken", { name: input.name });
    const org = await tx.organization.create({ data: { communityId, kind: input.kind, name: input.name }, select: { id: true, kind: true, name: true } });
    await audit(tx, {
      communityId,
      actor,
      action: "organization.create",
      subject: { id: org.id, name: org.name },
      before: null,
      after: { kind: org.kind, name: org.name },
    });
    return { id: org.id, kind: input.kind, name: org.name, archived: false };
  });
}

export async function renameOrganization(actor: Actor, communityId: string, organizationId: string, name: string) {
  requirePermission(actor, "organization:manage", community(communityId));
  return prisma.$transaction(async (tx) => {
    const org = await orgOrThrow(tx, communityId, organizationId);
    if (org.name === name) return { id: org.id, kind: org.kind as OrganizationKind, name, archived: !!org.archivedAt };
    if (await tx.organization.findFirst({ where: { communityId, name, archivedAt: null, id: { not: org.id } }, select: { id: true } }))
      throw new InputRejected("name", "errors.organizationNameTaken", { name });
    await tx.organization.update({ where: { id: org.id }, data: { name } });
    await audit(tx, { communityId, actor, action: "organization.rename", subject: { id: org.id, name }, before: { name: org.name }, after: { name } });
    return { id: org.id, kind: org.kind as OrganizationKind, name, archived: !!org.archivedAt };
  });
}

/**
 * Archives an organisation: it takes no new referrals and no new members; who acts for it stops
 * acting (their memberships stay, as history). Topics referred to it keep naming it.
 */
export async function archiveOrganization(actor: Actor, communityId: string, organizationId: string) {
  requirePermission(actor, "organization:manage", community(communityId));
  const result = await prisma.$transaction(async (tx) => {
    const org = await orgOrThrow(tx, communityId, organizationId);
    if (org.archivedAt) return { org, actors: [] as string[] };
    const actors = await tx.membership.findMany({ where: { organizationId: org.id, actsForOrganization: true }, select: { id: true, userId: true } });
    await tx.membership.updateMany({ where: { id: { in: actors.map((a) => a.id) } }, data: { actsForOrganization: false } });
    await tx.organization.update({ where: { id: org.id }, data: { archivedAt: new Date() } });
    await audit(tx, {
      communityId,
      actor,
      action: "organization.archive",
      subject: { id: org.id, name: org.name },
      before: { archived: false, actingFor: actors.map((a) => a.userId) },
      after: { archived: true, actingFor: [] },
    });
    return { org, actors: actors.map((a) => a.userId) };
  });
  await Promise.all([...new Set(result.actors)].map((userId) => rightsChanged({ userId })));
  return { id: result.org.id, kind: result.org.kind as OrganizationKind, name: result.org.name, archived: true };
}

/**
 * Makes a member of the community a member of the organisation (through the role its kind
 * gives), or changes whether they act for it. A person belongs to at most one organisation
 * through a role: the membership row of that role carries organizationId.
 */
export async function setOrganizationMember(
  actor: Actor,
  communityId: string,
  organizationId: string,
  input: { userId: string; actsForOrganization: boolean },
) {
  requirePermission(actor, "organization:manage", community(communityId));
  const after = await prisma.$transaction(async (tx) => {
    const org = await orgOrThrow(tx, communityId, organizationId);
    if (org.archivedAt) throw new RuleBroken("errors.organizationArchived");
    const rows = await tx.membership.findMany({
      where: { communityId, userId: input.userId },
      select: { id: true, role: true, organizationId: true, actsForOrganization: true, deactivatedAt: true, user: { select: { displayName: true } } },
    });
    if (rows.length === 0) throw new InputRejected("userId", "errors.notCommunityMember");
    if (rows.some((r) => r.deactivatedAt)) throw new RuleBroken("errors.memberDeactivated");
    const name = rows[0]!.user.displayName;
    const existing = rows.find((r) => r.organizationId === org.id);
    const before = existing ? { organization: org.name, role: existing.role, actsForOrganization: existing.actsForOrganization } : null;
    const own = roleForOrganization(org.kind);
    let role: string;
    if (existing) {
      role = existing.role;
      await tx.membership.update({ where: { id: existing.id }, data: { actsForOrganization: input.actsForOrganization } });
    } else {
      // The row that will carry the organisation: the kind's own role, else a role of theirs not tied
      // to another organisation (staff first, for the community office), else a new observer role (列席).
      const held = own
        ? rows.find((r) => r.role === own)
        : (rows.find((r) => !r.organizationId && r.role === "communityStaff") ?? rows.find((r) => !r.organizationId));
      if (held?.organizationId) throw new RuleBroken("errors.organizationMemberElsewhere");
      role = held?.role ?? own ?? "observer";
      if (held) await tx.membership.update({ where: { id: held.id }, data: { organizationId: org.id, actsForOrganization: input.actsForOrganization } });
      else
        await tx.membership.create({
          data: { communityId, userId: input.userId, role, organizationId: org.id, actsForOrganization: input.actsForOrganization },
        });
    }
    const after = { organization: org.name, role, actsForOrganization: input.actsForOrganization };
    await audit(tx, {
      communityId,
      actor,
      action: "organization.member",
      subject: { id: input.userId, name },
      before,
      after: { organizationId: org.id, ...after },
    });
    return after;
  });
  await rightsChanged({ userId: input.userId });
  return { userId: input.userId, ...after };
}

/** Takes a person out of the organisation: the role it gave stays unless it was only for the organisation (then it goes too). */
export async function removeOrganizationMember(actor: Actor, communityId: string, organizationId: string, userId: string) {
  requirePermission(actor, "organization:manage", community(communityId));
  await prisma.$transaction(async (tx) => {
    const org = await orgOrThrow(tx, communityId, organizationId);
    const rows = await tx.membership.findMany({
      where: { communityId, userId },
      select: { id: true, role: true, organizationId: true, actsForOrganization: true, user: { select: { displayName: true } } },
    });
    const row = rows.find((r) => r.organizationId === org.id);
    if (!row) throw new NotFound("member");
    // The organisation's own role (property company, owners' committee) goes with it, unless it is their only role.
    const orgRole = row.role === roleForOrganization(org.kind) && rows.length > 1;
    if (orgRole) await tx.membership.delete({ where: { id: row.id } });
    else await tx.membership.update({ where: { id: row.id }, data: { organizationId: null, actsForOrganization: false } });
    await audit(tx, {
      communityId,
      actor,
      action: "organization.member",
      subject: { id: userId, name: row.user.displayName },
      before: { organizationId: org.id, organization: org.name, role: row.role, actsForOrganization: row.actsForOrganization },
      after: null,
    });
  });
  await rightsChanged({ userId });
  return { userId, removed: true as const };
}
