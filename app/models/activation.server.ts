// Activation links (激活链接): an account that staff made (a roster import) has no password
// anyone knows. Staff issue a per-person, one-time link — printed with its QR code or sent —
// with which that person sets their password and is signed in; from then on they sign in by
// phone number. Like invite links: only a hash is stored, it expires, it works once, and the
// page that uses it is rate-limited per address. A link is only for an account that has never
// had a password: it can't be used to take over an account someone already uses.
import { randomBytes } from "node:crypto";
import { hashPassword, hashToken } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import { RuleBroken } from "~/utils/errors";
import { ACTIVE_MEMBERSHIP, NotFound, requirePermission, type Actor } from "~/utils/permissions.server";
import { qrSvg } from "~/utils/qr.server";

/** The password hash of an account nobody has activated yet: no password verifies against it. */
export const NO_PASSWORD = "!activation-pending";
export const needsActivation = (passwordHash: string) => passwordHash === NO_PASSWORD;

/** How long a printed link stays usable (a grid worker has two weeks to hand the sheets out). */
export const ACTIVATION_TTL_MS = 14 * 24 * 3600 * 1000;
/** At most this many links on one printed sheet batch. */
export const ACTIVATION_BATCH = 200;

type Issued = { userId: string; displayName: string; phone: string | null; url: string; qr: string; expiresAt: string };

async function issue(actor: Actor, communityId: string, user: { id: string; displayName: string; phone: string | null }, origin: string): Promise<Issued> {
  const token = randomBytes(18).toString("base64url");
  const expiresAt = new Date(Date.now() + ACTIVATION_TTL_MS);
  await prisma.$transaction([
    // A new link replaces the person's unused ones: a lost sheet stops working when staff print another.
    prisma.activationLink.deleteMany({ where: { userId: user.id, usedAt: null } }),
    prisma.activationLink.create({ data: { userId: user.id, communityId, createdById: actor.userId, tokenHash: hashToken(token), expiresAt } }),
  ]);
  const url = `${origin}/activate/${token}`;
  return { userId: user.id, displayName: user.displayName, phone: user.phone, url, qr: await qrSvg(url), expiresAt: expiresAt.toISOString() };
}

/** A new activation link for one member who has not activated their account yet (staff). */
export async function issueActivationLink(actor: Actor, communityId: string, userId: string, origin: string): Promise<Issued> {
  requirePermission(actor, "member:manage", { type: "community", communityId });
  const user = await prisma.user.findFirst({
    where: { id: userId, memberships: { some: { communityId } } },
    select: { id: true, displayName: true, phone: true, passwordHash: true, memberships: { where: { communityId }, select: { deactivatedAt: true } } },
  });
  if (!user) throw new NotFound("member");
  if (user.memberships.some((m) => m.deactivatedAt)) throw new RuleBroken("errors.memberDeactivated");
  if (!needsActivation(user.passwordHash)) throw new RuleBroken("errors.activationNotNeeded");
  return issue(actor, communityId, user, origin);
}

/** Members who have not activated their account yet, for the printable sheet. */
export async function pendingActivations(actor: Actor, communityId: string) {
  requirePermission(actor, "member:manage", { type: "community", communityId });
  const where = { passwordHash: NO_PASSWORD, memberships: { some: { communityId, ...ACTIVE_MEMBERSHIP } } };
  const [count, people] = await Promise.all([
    prisma.user.count({ where }),
    prisma.user.findMany({
      where,
      select: { id: true, displayName: true, phone: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: ACTIVATION_BATCH,
    }),
  ]);
  return { count, people };
}

/** New links for (up to ACTIVATION_BATCH of) the members who have not activated yet, or for the ones named (staff). */
export async function issueActivationLinks(actor: Actor, communityId: string, origin: string, userIds?: string[]): Promise<Issued[]> {
  const { people } = await pendingActivations(actor, communityId);
  const chosen = userIds ? people.filter((p) => userIds.includes(p.id)) : people;
  const out: Issued[] = [];
  for (const p of chosen) out.push(await issue(actor, communityId, p, origin));
  return out;
}

/** The link behind a token while it can be used; null otherwise (one answer for unknown, used, expired). */
export async function findUsableActivation(token: string) {
  const link = await prisma.activationLink.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, communityId: true, expiresAt: true, usedAt: true, user: { select: { id: true, displayName: true, phone: true, passwordHash: true } } },
  });
  if (!link || link.usedAt || link.expiresAt <= new Date() || !needsActivation(link.user.passwordHash)) return null;
  const active = await prisma.membership.count({ where: { userId: link.user.id, communityId: link.communityId, ...ACTIVE_MEMBERSHIP } });
  if (!active) return null;
  const community = await prisma.community.findUnique({ where: { id: link.communityId }, select: { name: true } });
  return { id: link.id, userId: link.user.id, displayName: link.user.displayName, phone: link.user.phone, community: community?.name ?? "" };
}

/**
 * Sets the person's first password and spends the link, in one transaction: the conditional
 * update is the claim, so of two people racing with one link exactly one gets in.
 */
export async function activate(token: string, password: string): Promise<{ ok: true; userId: string } | { ok: false }> {
  const link = await findUsableActivation(token);
  if (!link) return { ok: false };
  const passwordHash = await hashPassword(password);
  const done = await prisma.$transaction(async (tx) => {
    const claimed = await tx.activationLink.updateMany({ where: { id: link.id, usedAt: null, expiresAt: { gt: new Date() } }, data: { usedAt: new Date() } });
    if (claimed.count !== 1) return false;
    const set = await tx.user.updateMany({ where: { id: link.userId, passwordHash: NO_PASSWORD }, data: { passwordHash } });
    if (set.count !== 1) return false;
    // Other links of this person are of no use any more.
    await tx.activationLink.deleteMany({ where: { userId: link.userId, usedAt: null } });
    return true;
  });
  return done ? { ok: true, userId: link.userId } : { ok: false };
}
