// Forgotten passwords (忘记密码): staff issue a member a one-time reset link — shown with its QR
// code on the members page, handed over in person — with which the member sets a new password
// and is signed in. Like activation links, only a hash is stored, it expires after a day and
// works once; using it ends every other sign-in of that member (browser sessions, API tokens,
// realtime tickets) so whoever held the old password is out at once.
import { randomBytes } from "node:crypto";
import { needsActivation } from "~/models/activation.server";
import { audit } from "~/models/audit.server";
import { hashPassword, hashToken } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import { RuleBroken } from "~/utils/errors";
import { ACTIVE_MEMBERSHIP, NotFound, can, requirePermission, type Actor } from "~/utils/permissions.server";
import { qrSvg } from "~/utils/qr.server";
import { resetTokenSchema } from "~/utils/reset-schemas";
import { rightsChanged } from "~/utils/rights.server";

/** A reset link is handed over in person and used the same day. */
export const RESET_TTL_MS = 24 * 3600 * 1000;

export type IssuedReset = { userId: string; url: string; qr: string; expiresAt: string };

/**
 * A new reset link for one member of the community (staff, or the street office over it). Whoever
 * holds the link holds the account, so it is refused for a member the actor could not manage
 * everywhere: one who also belongs to another community the actor has no say in, or a street
 * office's super-user (their rights reach many communities).
 */
export async function issuePasswordReset(actor: Actor, communityId: string, userId: string, origin: string): Promise<IssuedReset> {
  requirePermission(actor, "member:resetPassword", { type: "community", communityId });
  const user = await prisma.user.findFirst({
    where: { id: userId, memberships: { some: { communityId } } },
    select: { id: true, displayName: true, passwordHash: true, districtId: true, memberships: { select: { communityId: true, deactivatedAt: true } } },
  });
  if (!user) throw new NotFound("member");
  if (user.memberships.some((m) => m.communityId === communityId && m.deactivatedAt)) throw new RuleBroken("errors.memberDeactivated");
  if (needsActivation(user.passwordHash)) throw new RuleBroken("errors.resetUseActivation");
  const elsewhere = user.memberships.some((m) => !can(actor, "member:resetPassword", { type: "community", communityId: m.communityId }));
  if (user.districtId || elsewhere) throw new RuleBroken("errors.resetNotHere");
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(Date.now() + RESET_TTL_MS);
  await prisma.$transaction(async (tx) => {
    // A new link replaces the member's unused ones: a lost note stops working when staff issue another.
    await tx.passwordReset.deleteMany({ where: { userId: user.id, usedAt: null } });
    await tx.passwordReset.create({ data: { userId: user.id, communityId, createdById: actor.userId, tokenHash: hashToken(token), expiresAt } });
    await audit(tx, {
      communityId,
      actor,
      action: "member.passwordReset",
      subject: { id: user.id, name: user.displayName },
      before: null,
      after: { expiresAt: expiresAt.toISOString() },
    });
  });
  const url = `${origin}/reset/${token}`;
  return { userId: user.id, url, qr: await qrSvg(url), expiresAt: expiresAt.toISOString() };
}

/** The reset behind a token while it can be used; null otherwise (one answer for unknown, used and expired). */
export async function findUsableReset(token: string) {
  if (!resetTokenSchema.safeParse(token).success) return null;
  const row = await prisma.passwordReset.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, communityId: true, expiresAt: true, usedAt: true, user: { select: { id: true, displayName: true, phone: true, username: true } } },
  });
  if (!row || row.usedAt || row.expiresAt <= new Date()) return null;
  // Deactivated since the link was issued: the link goes with the membership.
  const active = await prisma.membership.count({ where: { userId: row.user.id, communityId: row.communityId, ...ACTIVE_MEMBERSHIP } });
  if (!active) return null;
  return { id: row.id, userId: row.user.id, displayName: row.user.displayName, signInAs: row.user.phone ?? row.user.username ?? "" };
}

/**
 * Sets the new password and spends the link in one transaction (the conditional update is the
 * claim: of two people racing with one link exactly one gets in), and ends every other sign-in
 * of the member; their live connections then close (rightsChanged).
 */
export async function spendPasswordReset(token: string, password: string): Promise<{ ok: true; userId: string } | { ok: false }> {
  const reset = await findUsableReset(token);
  if (!reset) return { ok: false };
  const passwordHash = await hashPassword(password);
  const done = await prisma.$transaction(async (tx) => {
    const claimed = await tx.passwordReset.updateMany({ where: { id: reset.id, usedAt: null, expiresAt: { gt: new Date() } }, data: { usedAt: new Date() } });
    if (claimed.count !== 1) return false;
    await tx.user.update({ where: { id: reset.userId }, data: { passwordHash } });
    await tx.realtimeTicket.deleteMany({ where: { userId: reset.userId } });
    await tx.authSession.deleteMany({ where: { userId: reset.userId } });
    await tx.apiToken.deleteMany({ where: { userId: reset.userId } });
    await tx.passwordReset.deleteMany({ where: { userId: reset.userId, usedAt: null } });
    return true;
  });
  if (!done) return { ok: false };
  await rightsChanged({ userId: reset.userId });
  return { ok: true, userId: reset.userId };
}
