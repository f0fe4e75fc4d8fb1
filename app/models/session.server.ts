// Council sessions and their agendas: staff schedule a session, build its
// agenda from accepted topics or free items, order it, give each item a time
// slot, and publish it to the council's seated members.
import type { z } from "zod";
import { prisma } from "~/utils/db.server";
import { agendaItemDocumentName, type SESSION_STATUSES, type TopicEventKind } from "~/utils/domain";
import { InputRejected } from "~/utils/errors";
import { NotFound, loadSessionResource, requirePermission, type Actor } from "~/utils/permissions.server";
import type { agendaAddSchema, sessionCreateSchema, sessionListSchema } from "~/utils/schemas";
import { beijingDayRange } from "~/utils/format";
import { createAgendaItem, lockAgenda } from "./agenda-item.server";
import { publish, socketRooms } from "~/utils/realtime.server";
import { rightsChanged } from "~/utils/rights.server";
import { notify } from "./notification.server";
import { checkSecretary } from "./session-secretary.server";
import { CURRENT_SEAT } from "./seat-terms";
import { moveTopic } from "./topic.server";

export async function scheduleSession(actor: Actor, input: z.infer<typeof sessionCreateSchema>) {
  const council = await prisma.council.findUnique({ where: { id: input.councilId }, select: { id: true, communityId: true } });
  if (!council) throw new InputRejected("councilId", "errors.councilInvalid");
  requirePermission(actor, "session:schedule", { type: "community", communityId: council.communityId });
  if (input.scheduledAt.getTime() < Date.now() - 3600_000) throw new InputRejected("scheduledAt", "errors.dateInPast");
  await checkSecretary(council.communityId, input.secretaryId);
  return prisma.councilSession.create({
    data: {
      councilId: council.id,
      title: input.title,
      scheduledAt: input.scheduledAt,
      place: input.place,
      mode: input.mode,
      chairId: actor.userId,
      secretaryId: input.secretaryId ?? null,
    },
    select: { id: true, title: true, scheduledAt: true },
  });
}

/** A session whose agenda the actor may change: it exists, they may edit it, and it has not started. */
async function editableSession(actor: Actor, sessionId: string) {
  const session = await loadSessionResource(sessionId);
  if (!session) throw new NotFound("session");
  requirePermission(actor, "session:editAgenda", session);
  if (session.status !== "scheduled") throw new InputRejected("sessionId", "errors.sessionNotScheduled");
  return session;
}

export async function addToAgenda(actor: Actor, sessionId: string, input: z.infer<typeof agendaAddSchema>) {
  await editableSession(actor, sessionId);
  if ("topicId" in input) return moveTopic(actor, input.topicId, { move: "schedule", sessionId, timeSlotMin: input.timeSlotMin });
  const item = await createAgendaItem({ sessionId, title: input.title, text: input.text, timeSlotMin: input.timeSlotMin });
  return { agendaItemId: item.id };
}

export async function removeFromAgenda(actor: Actor, sessionId: string, itemId: string) {
  await editableSession(actor, sessionId);
  const item = await prisma.agendaItem.findFirst({ where: { id: itemId, sessionId }, select: { id: true, topicId: true } });
  if (!item) throw new NotFound("agenda item");
  if (item.topicId) return moveTopic(actor, item.topicId, { move: "unschedule" });
  await prisma.$transaction([
    prisma.yDocument.deleteMany({ where: { name: agendaItemDocumentName(item.id) } }),
    prisma.agendaItem.delete({ where: { id: item.id } }),
  ]);
  await rightsChanged({ agendaItemId: item.id, removed: true });
  return { removed: item.id };
}

/** New order: the session's items, each exactly once. */
export async function reorderAgenda(actor: Actor, sessionId: string, itemIds: string[]) {
  await editableSession(actor, sessionId);
  // Checked and written in one transaction: an item added meanwhile makes the new order incomplete, and it is refused.
  await prisma.$transaction(async (tx) => {
    await lockAgenda(tx, sessionId);
    const current = await tx.agendaItem.findMany({ where: { sessionId }, select: { id: true } });
    const ids = new Set(current.map((i) => i.id));
    if (itemIds.length !== ids.size || new Set(itemIds).size !== itemIds.length || itemIds.some((id) => !ids.has(id)))
      throw new InputRejected("itemIds", "errors.agendaOrderInvalid");
    for (const [i, id] of itemIds.entries()) await tx.agendaItem.update({ where: { id }, data: { position: i + 1 } });
  });
}

export async function setTimeSlot(actor: Actor, sessionId: string, itemId: string, minutes: number) {
  await editableSession(actor, sessionId);
  const { count } = await prisma.agendaItem.updateMany({ where: { id: itemId, sessionId }, data: { timeSlotMin: minutes } });
  if (count !== 1) throw new NotFound("agenda item");
}

/** Publishing tells every seated member, and whoever raised a topic on it, that the agenda is out. */
export async function publishAgenda(actor: Actor, sessionId: string) {
  await editableSession(actor, sessionId);
  const session = await prisma.councilSession.update({
    where: { id: sessionId },
    data: { publishedAt: new Date() },
    select: {
      id: true,
      title: true,
      council: { select: { seats: { where: CURRENT_SEAT, select: { userId: true } } } },
      agendaItems: { select: { topic: { select: { id: true, raisedById: true } } } },
    },
  });
  const topics = session.agendaItems.flatMap((i) => (i.topic ? [i.topic] : []));
  await prisma.topicEvent.createMany({
    data: topics.map((t) => ({
      topicId: t.id,
      type: "agendaPublished" satisfies TopicEventKind,
      actorId: actor.userId,
      data: JSON.stringify({ sessionId, sessionTitle: session.title }),
    })),
  });
  for (const t of topics) publish(socketRooms.topic(t.id), "topic:moved", { topicId: t.id, status: "scheduled" });
  const to = [...session.council.seats.map((s) => s.userId), ...topics.map((t) => t.raisedById)].filter((id) => id !== actor.userId);
  await notify(to, "agendaPublished", { sessionId }, { title: session.title });
  return { publishedAt: new Date().toISOString() };
}

const SESSIONS_PAGE = 50;

/** Sessions the actor may see: one community's (403 unless a member) or every community they belong to; newest scheduled first. */
export async function listSessions(actor: Actor, filters: z.infer<typeof sessionListSchema>) {
  let communityIds: string[];
  if (filters.community) {
    const c = await prisma.community.findUnique({ where: { slug: filters.community }, select: { id: true } });
    if (!c) throw new NotFound("community");
    requirePermission(actor, "community:view", { type: "community", communityId: c.id });
    communityIds = [c.id];
  } else communityIds = [...new Set([...actor.memberships.map((m) => m.communityId), ...(actor.district?.communityIds ?? [])])];
  const where = {
    council: { communityId: { in: communityIds } },
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.from || filters.to ? { scheduledAt: beijingDayRange(filters.from, filters.to) } : {}),
  };
  const [rows, total] = await Promise.all([
    prisma.councilSession.findMany({
      where,
      orderBy: [{ scheduledAt: "desc" }, { id: "asc" }],
      skip: (filters.page - 1) * SESSIONS_PAGE,
      take: SESSIONS_PAGE,
      select: {
        id: true,
        title: true,
        scheduledAt: true,
        place: true,
        mode: true,
        status: true,
        council: { select: { id: true, name: true, community: { select: { slug: true, name: true } } } },
      },
    }),
    prisma.councilSession.count({ where }),
  ]);
  return {
    sessions: rows.map((s) => ({
      id: s.id,
      title: s.title,
      scheduledAt: s.scheduledAt.toISOString(),
      place: s.place,
      mode: s.mode,
      status: s.status as (typeof SESSION_STATUSES)[number],
      council: { id: s.council.id, name: s.council.name },
      community: { slug: s.council.community.slug, name: s.council.community.name },
    })),
    total,
    page: filters.page,
    pageSize: SESSIONS_PAGE,
  };
}
