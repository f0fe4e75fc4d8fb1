// The audit log (操作记录): every change of a role, a seat or a community setting,
// written in the same transaction as the change, with who, when, and the state
// before and after. The app only inserts and reads these rows: there is no update
// or delete of AuditEntry anywhere in app/ (tests/audit.test.ts checks the source).
import type { Prisma } from "~/generated/prisma/client";
import { prisma } from "~/utils/db.server";
import { requirePermission, type Actor } from "~/utils/permissions.server";

export const AUDIT_ACTIONS = [
  "role.grant",
  "role.revoke",
  "member.deactivate",
  "member.reactivate",
  "seat.start",
  "seat.end",
  "settings.update",
  "place.create",
  "place.rename",
  "place.move",
  "place.merge",
  "place.archive",
  "member.place",
  "roster.import",
  "organization.create",
  "organization.rename",
  "organization.archive",
  "organization.member",
  "community.create",
  "member.passwordReset",
  "points.correct",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

type Tx = Prisma.TransactionClient;

/** Records one change; call it inside the change's transaction so the two commit together. */
export async function audit(
  tx: Tx,
  entry: {
    communityId: string;
    actor: Pick<Actor, "userId" | "displayName">;
    action: AuditAction;
    subject?: { id: string; name: string };
    before: unknown;
    after: unknown;
  },
): Promise<void> {
  await tx.auditEntry.create({
    data: {
      communityId: entry.communityId,
      actorId: entry.actor.userId,
      actorName: entry.actor.displayName,
      action: entry.action,
      subjectId: entry.subject?.id ?? null,
      subjectName: entry.subject?.name ?? null,
      before: JSON.stringify(entry.before ?? null),
      after: JSON.stringify(entry.after ?? null),
    },
  });
}

/** The community's log, newest first, a page at a time (before: an entry id from the previous page). */
export async function auditLog(actor: Actor, communityId: string, { limit = 50, before }: { limit?: number; before?: string } = {}) {
  requirePermission(actor, "audit:view", { type: "community", communityId });
  const rows = await prisma.auditEntry.findMany({
    where: { communityId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(before ? { cursor: { id: before }, skip: 1 } : {}),
  });
  return {
    entries: rows.slice(0, limit).map((r) => ({
      id: r.id,
      at: r.createdAt.toISOString(),
      action: r.action as AuditAction,
      actor: { id: r.actorId, name: r.actorName },
      subject: r.subjectId ? { id: r.subjectId, name: r.subjectName ?? "" } : null,
      before: JSON.parse(r.before) as unknown,
      after: JSON.parse(r.after) as unknown,
    })),
    next: rows.length > limit ? rows[limit - 1]!.id : null,
  };
}
