// The session's secretary (记录员): the one member who writes its minutes. Left empty,
// any holder of the community's secretary role may (isMinutesSecretary in the permission table).
import { prisma } from "~/utils/db.server";
import { InputRejected } from "~/utils/errors";
import { NotFound, loadSessionResource, requirePermission, type Actor } from "~/utils/permissions.server";
import { rightsChanged } from "~/utils/rights.server";

/** Who staff may name: the community's active members holding the secretary role. */
export async function secretaryChoices(communityId: string) {
  const rows = await prisma.membership.findMany({
    where: { communityId, role: "secretary", deactivatedAt: null },
    orderBy: { createdAt: "asc" },
    select: { user: { select: { id: true, displayName: true } } },
  });
  return [...new Map(rows.map((r) => [r.user.id, r.user])).values()];
}

/** Refuses a named secretary who is not an active secretary of the community (precisely, for the form and the API). */
export async function checkSecretary(communityId: string, secretaryId: string | null | undefined) {
  if (!secretaryId) return;
  const m = await prisma.membership.findFirst({ where: { communityId, userId: secretaryId, role: "secretary", deactivatedAt: null }, select: { id: true } });
  if (!m) throw new InputRejected("secretaryId", "errors.secretaryInvalid");
}

/** Staff name (or clear) the secretary of a scheduled or open session; the previous one loses the pen at once. */
export async function assignSecretary(actor: Actor, sessionId: string, secretaryId: string | null) {
  const session = await loadSessionResource(sessionId);
  if (!session) throw new NotFound("session");
  requirePermission(actor, "session:assignSecretary", session);
  if (!["scheduled", "open"].includes(session.status)) throw new InputRejected("sessionId", "errors.secretaryNotChangeable");
  await checkSecretary(session.communityId, secretaryId);
  // Only while still scheduled or open: a session that adjourned meanwhile keeps the secretary it had.
  const { count } = await prisma.councilSession.updateMany({ where: { id: sessionId, status: { in: ["scheduled", "open"] } }, data: { secretaryId } });
  if (count !== 1) throw new InputRejected("sessionId", "errors.secretaryNotChangeable");
  await rightsChanged({ sessionId });
  return { sessionId, secretaryId };
}
