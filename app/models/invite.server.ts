// Invite links: community staff create one for a role; whoever opens it before
// it expires (and while uses remain) gets an account, or an existing account
// gets the membership. Only the token's hash is stored.
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { hashPassword, hashToken } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import { LIMITS, RateLimited, hit, peek } from "~/utils/rate-limit.server";
import type { Prisma } from "~/generated/prisma/client";
import { audit } from "./audit.server";
import type { inviteAcceptSchema, inviteCreateSchema } from "~/utils/schemas";

export async function createInvite(communityId: string, createdById: string, input: z.infer<typeof inviteCreateSchema>) {
  if (input.organizationId) {
    const org = await prisma.organization.findFirst({ where: { id: input.organizationId, communityId }, select: { id: true } });
    if (!org) return { error: { organizationId: "errors.idInvalid" } as Record<string, string> };
  }
  const place = await invitePlace(prisma, communityId, input);
  if (!place) return { error: { place: "errors.invitePlaceInvalid" } as Record<string, string> };
  const token = randomBytes(18).toString("base64url");
  const invite = await prisma.invite.create({
    data: {
      communityId,
      createdById,
      role: input.role,
      organizationId: input.organizationId,
      note: input.note,
      maxUses: input.maxUses,
      ...place,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + input.expiresInDays * 24 * 3600 * 1000),
    },
    select: { id: true, role: true, expiresAt: true, maxUses: true },
  });
  return { token, path: `/invite/${token}`, invite };
}

type Place = { gridId: string | null; buildingId: string | null; unitId: string | null; householdId: string | null };

/**
 * The place an invite grants, from the most specific id given (household → unit → building →
 * grid), the rest derived from it; null if a place is not this community's, is archived, or
 * the ids given do not belong together.
 */
async function invitePlace(
  db: Prisma.TransactionClient,
  communityId: string,
  input: Partial<Record<keyof Place, string | null | undefined>>,
): Promise<Place | null> {
  let place: Place = { gridId: null, buildingId: null, unitId: null, householdId: null };
  const live = { archivedAt: null };
  if (input.householdId) {
    const h = await db.household.findFirst({
      where: { id: input.householdId, ...live, unit: { ...live, building: { communityId, ...live } } },
      select: { id: true, unit: { select: { id: true, building: { select: { id: true, gridId: true } } } } },
    });
    if (!h) return null;
    place = { householdId: h.id, unitId: h.unit.id, buildingId: h.unit.building.id, gridId: h.unit.building.gridId };
  } else if (input.unitId) {
    const u = await db.unit.findFirst({
      where: { id: input.unitId, ...live, building: { communityId, ...live } },
      select: { id: true, building: { select: { id: true, gridId: true } } },
    });
    if (!u) return null;
    place = { householdId: null, unitId: u.id, buildingId: u.building.id, gridId: u.building.gridId };
  } else if (input.buildingId) {
    const b = await db.building.findFirst({ where: { id: input.buildingId, communityId, ...live }, select: { id: true, gridId: true } });
    if (!b) return null;
    place = { householdId: null, unitId: null, buildingId: b.id, gridId: b.gridId };
  } else if (input.gridId) {
    const g = await db.grid.findFirst({ where: { id: input.gridId, communityId, ...live }, select: { id: true } });
    if (!g) return null;
    place = { householdId: null, unitId: null, buildingId: null, gridId: g.id };
  }
  // A less specific id given beside a more specific one must be the one derived (not another building's grid).
  for (const k of ["gridId", "buildingId", "unitId"] as const) if (input[k] && input[k] !== place[k]) return null;
  return place;
}

/** The invite behind a token if it can still be used; null otherwise. */
export async function findUsableInvite(token: string) {
  const invite = await prisma.invite.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      role: true,
      organizationId: true,
      gridId: true,
      buildingId: true,
      unitId: true,
      householdId: true,
      expiresAt: true,
      uses: true,
      maxUses: true,
      community: { select: { id: true, name: true, slug: true } },
    },
  });
  if (!invite || invite.expiresAt < new Date() || invite.uses >= invite.maxUses) return null;
  return invite;
}

/** The one refusal for details that clash with an existing account (docs/security.md). */
export const ACCOUNT_REFUSED = "errors.inviteAccountRefused";

type AcceptResult = { ok: true; userId: string } | { ok: false; errors: Record<string, string> };

/**
 * Uses one of the invite's uses and creates the membership (and the account,
 * for a newcomer) in one transaction: two people racing for the last use
 * cannot both get in.
 */
export async function acceptInvite(token: string, who: { userId: string } | { account: z.infer<typeof inviteAcceptSchema> }): Promise<AcceptResult> {
  const invite = await findUsableInvite(token);
  if (!invite) return { ok: false, errors: { _form: "invite.invalid" } };
  // Refusals per invite are bounded too, so many addresses together cannot probe through one link.
  const refusals = await peek(`invite-refused:${invite.id}`, LIMITS.inviteRefusals);
  if (refusals.count >= LIMITS.inviteRefusals.limit) throw new RateLimited(refusals.retryAfterSec);
  const passwordHash = "account" in who ? await hashPassword(who.account.password) : null;
  try {
    return await prisma.$transaction(async (tx) => {
      const claimed = await tx.invite.updateMany({
        where: { id: invite.id, uses: { lt: invite.maxUses }, expiresAt: { gt: new Date() } },
        data: { uses: { increment: 1 } },
      });
      if (claimed.count !== 1) throw new Refused({ _form: "invite.invalid" });
      let userId: string;
      if ("account" in who) {
        const { phone, displayName } = who.account;
        // Left empty: a made-up username nobody needs to remember (the phone number signs in).
        const username = who.account.username ?? `u-${randomBytes(6).toString("hex")}`;
        // One answer for a taken username and a registered phone (of this community or any other),
        // naming no field: otherwise an invite link is an oracle for who has an account.
        const taken = await tx.user.findFirst({ where: { OR: [{ username }, ...(phone ? [{ phone }] : [])] }, select: { id: true } });
        if (taken) throw new Refused({ _form: ACCOUNT_REFUSED });
        userId = (await tx.user.create({ data: { username, phone, displayName, passwordHash: passwordHash! }, select: { id: true } })).id;
      } else {
        userId = who.userId;
      }
      const held = await tx.membership.findMany({ where: { userId, communityId: invite.community.id }, select: { role: true, deactivatedAt: true } });
      // Staff deactivated this person here: a link does not bring them back (staff reactivate them).
      if (held.some((m) => m.deactivatedAt)) throw new Refused({ _form: "errors.memberDeactivated" });
      if (!held.some((m) => m.role === invite.role)) {
        const { gridId, buildingId, unitId, householdId } = invite;
        // The invite's place, unless it was archived since the link was made (then no place rather than a stale one).
        const place =
          householdId || unitId || buildingId || gridId
            ? ((await invitePlace(tx, invite.community.id, { gridId, buildingId, unitId, householdId })) ?? {})
            : {};
        await tx.membership.create({
          // Invited for an organisation: staff chose them to act for it (they can take that back on the organisations page).
          data: {
            userId,
            communityId: invite.community.id,
            role: invite.role,
            organizationId: invite.organizationId,
            actsForOrganization: !!invite.organizationId,
            ...place,
          },
        });
        // A role granted through a link is a change of role like any other: the person accepting is who made it.
        const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { displayName: true } });
        const before = held.map((m) => m.role);
        await audit(tx, {
          communityId: invite.community.id,
          actor: { userId, displayName: user.displayName },
          action: "role.grant",
          subject: { id: userId, name: user.displayName },
          before: { roles: before },
          after: { roles: [...before, invite.role], invite: invite.id, ...(gridId || buildingId || unitId || householdId ? { place } : {}) },
        });
      }
      return { ok: true as const, userId };
    });
  } catch (error) {
    // Thrown, not returned, so the transaction rolls back and the use is not spent.
    if (error instanceof Refused) {
      if (error.errors._form === ACCOUNT_REFUSED) await hit(`invite-refused:${invite.id}`, LIMITS.inviteRefusals);
      return { ok: false, errors: error.errors };
    }
    throw error;
  }
}

class Refused extends Error {
  constructor(readonly errors: Record<string, string>) {
    super("invite refused");
  }
}
