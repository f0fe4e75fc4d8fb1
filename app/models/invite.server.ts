// Invite links: community staff create one for a role; whoever opens it before
// it expires (and while uses remain) gets an account, or an existing account
// gets the membership. Only the token's hash is stored.
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { hashPassword, hashToken } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import { LIMITS, RateLimited, hit, peek } from "~/utils/rate-limit.server";
import { audit } from "./audit.server";
import type { inviteAcceptSchema, inviteCreateSchema } from "~/utils/schemas";

export async function createInvite(communityId: string, createdById: string, input: z.infer<typeof inviteCreateSchema>) {
  if (input.organizationId) {
    const org = await prisma.organization.findFirst({ where: { id: input.organizationId, communityId }, select: { id: true } });
    if (!org) return { error: { organizationId: "errors.idInvalid" } };
  }
  const token = randomBytes(18).toString("base64url");
  const invite = await prisma.invite.create({
    data: {
      communityId,
      createdById,
      role: input.role,
      organizationId: input.organizationId,
      note: input.note,
      maxUses: input.maxUses,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + input.expiresInDays * 24 * 3600 * 1000),
    },
    select: { id: true, role: true, expiresAt: true, maxUses: true },
  });
  return { token, path: `/invite/${token}`, invite };
}

/** The invite behind a token if it can still be used; null otherwise. */
export async function findUsableInvite(token: string) {
  const invite = await prisma.invite.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      role: true,
      organizationId: true,
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
        await tx.membership.create({ data: { userId, communityId: invite.community.id, role: invite.role, organizationId: invite.organizationId } });
        // A role granted through a link is a change of role like any other: the person accepting is who made it.
        const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { displayName: true } });
        const before = held.map((m) => m.role);
        await audit(tx, {
          communityId: invite.community.id,
          actor: { userId, displayName: user.displayName },
          action: "role.grant",
          subject: { id: userId, name: user.displayName },
          before: { roles: before },
          after: { roles: [...before, invite.role], invite: invite.id },
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
