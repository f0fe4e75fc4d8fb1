// Topics (议题): raised by residents, co-signed by neighbours, triaged by staff
// through the state machine in topic-states.ts. Every change leaves a step on
// the topic's timeline and tells the people it concerns.
import type { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import { prisma, provider } from "~/utils/db.server";
import { agendaItemDocumentName, type TopicEventKind } from "~/utils/domain";
import { beijingDayRange } from "~/utils/format";
import { placeWhere } from "./places.server";
import { InputRejected } from "~/utils/errors";
import { NotFound, can, loadTopicResource, requirePermission, type Actor, type TopicResource } from "~/utils/permissions.server";
import { publish, socketRooms } from "~/utils/realtime.server";
import { rightsChanged } from "~/utils/rights.server";
import type { TopicMoveInput, topicListSchema, topicRaiseSchema } from "~/utils/schemas";
import { encodePhotos, savePhotos } from "~/utils/uploads.server";
import { createAgendaItem } from "./agenda-item.server";
import { notify } from "./notification.server";
import { topicTaskEvents } from "./task.server";
import { CLOSED_STATUSES, assertMove, canMove, isClosed, IllegalMove, type TopicMove } from "./topic-states";

type Tx = Prisma.TransactionClient;

function event(tx: Tx, topicId: string, type: TopicEventKind, actorId: string | null, data: Record<string, unknown> = {}) {
  return tx.topicEvent.create({ data: { topicId, type, actorId, data: JSON.stringify(data) } });
}

const community = (communityId: string) => ({ type: "community" as const, communityId });

/** The topic's place, checked (active places of this community only) and completed upwards: a unit's building and grid, a building's grid. */
async function checkPlace(communityId: string, input: { gridId?: string; buildingId?: string; unitId?: string }) {
  const active = { archivedAt: null };
  if (input.gridId && !(await prisma.grid.findFirst({ where: { id: input.gridId, communityId, ...active }, select: { id: true } })))
    throw new InputRejected("gridId", "errors.placeInvalid");
  const building = input.buildingId
    ? await prisma.building.findFirst({ where: { id: input.buildingId, communityId, ...active }, select: { id: true, gridId: true } })
    : null;
  if (input.buildingId && !building) throw new InputRejected("buildingId", "errors.placeInvalid");
  if (input.unitId && !(await prisma.unit.findFirst({ where: { id: input.unitId, buildingId: input.buildingId ?? "-", ...active }, select: { id: true } })))
    throw new InputRejected("unitId", "errors.placeInvalid");
  return { gridId: building?.gridId ?? input.gridId, buildingId: input.buildingId, unitId: input.unitId };
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export async function raiseTopic(actor: Actor, communityId: string, input: z.infer<typeof topicRaiseSchema>, photos: File[] = []) {
  requirePermission(actor, "topic:raise", community(communityId));
  if (input.onBehalfOf) requirePermission(actor, "topic:raiseOnBehalf", community(communityId));
  const category = await prisma.topicCategory.findFirst({ where: { communityId, key: input.category, archived: false }, select: { key: true } });
  if (!category) throw new InputRejected("category", "errors.categoryInvalid");
  const place = await checkPlace(communityId, input);
  // Encode every photo before saving anything: one bad file and nothing is kept.
  const encoded = await encodePhotos(photos, actor.userId);
  const saved = await savePhotos(encoded);
  try {
    const topic = await prisma.$transaction(async (tx) => {
      const t = await tx.topic.create({
        data: {
          communityId,
          raisedById: actor.userId,
          title: input.title,
          description: input.description,
          category: input.category,
          gridId: place.gridId,
          buildingId: place.buildingId,
          unitId: place.unitId,
          onBehalfOf: input.onBehalfOf,
          photos: { create: encoded.map((p, i) => ({ file: saved.files[i]!, width: p.width, height: p.height, bytes: p.data.length, position: i })) },
        },
        select: { id: true, title: true, status: true, createdAt: true },
      });
      await event(tx, t.id, "raised", actor.userId, input.onBehalfOf ? { onBehalfOf: input.onBehalfOf } : {});
      return t;
    });
    // Staff triage new topics: they hear of one when it arrives, not when they next open the list.
    const staff = await prisma.membership.findMany({
      where: { communityId, role: "communityStaff", deactivatedAt: null, userId: { not: actor.userId } },
      select: { userId: true },
    });
    await notify(
      staff.map((s) => s.userId),
      "topicRaised",
      { topicId: topic.id },
      { title: topic.title },
    );
    return topic;
  } catch (error) {
    await saved.undo();
    throw error;
  }
}

/**
 * The count column always equals the rows. On SQLite one statement suffices (one writer at a
 * time, so two processes cannot skew it). On PostgreSQL (READ COMMITTED) the count in that
 * statement comes from the snapshot taken when it started: a refresh that waited for another's
 * row lock would then write its older count over the newer one. So lock the row first; the
 * count, in a later statement, sees every co-sign committed before the lock.
 */
async function refreshCoSignCount(topicId: string, tx?: Tx): Promise<number> {
  const refresh = async (t: Tx) => {
    if (provider === "postgresql") await t.$executeRaw`SELECT 1 FROM "Topic" WHERE "id" = ${topicId} FOR UPDATE`;
    await t.$executeRaw`UPDATE "Topic" SET "coSignCount" = (SELECT COUNT(*) FROM "CoSign" WHERE "topicId" = ${topicId}) WHERE "id" = ${topicId}`;
    return (await t.topic.findUniqueOrThrow({ where: { id: topicId }, select: { coSignCount: true } })).coSignCount;
  };
  if (tx) return refresh(tx);
  return provider === "postgresql" ? prisma.$transaction(refresh) : refresh(prisma);
}

/** Marks the topic ready for the council the first time co-signs reach the threshold (once, even under races). */
async function markReadyIfDue(topicId: string, actorId: string | null): Promise<void> {
  const t = await prisma.topic.findUniqueOrThrow({
    where: { id: topicId },
    select: { coSignCount: true, readyAt: true, raisedById: true, communityId: true, title: true, community: { select: { coSignThreshold: true } } },
  });
  if (t.readyAt || t.coSignCount < t.community.coSignThreshold) return;
  const won = await prisma.topic.updateMany({ where: { id: topicId, readyAt: null }, data: { readyAt: new Date() } });
  if (won.count !== 1) return;
  await event(prisma, topicId, "ready", actorId, { coSigns: t.coSignCount });
  const staff = await prisma.membership.findMany({ where: { communityId: t.communityId, role: "communityStaff" }, select: { userId: true } });
  await notify([t.raisedById, ...staff.map((s) => s.userId)], "topicReady", { topicId }, { title: t.title, coSigns: t.coSignCount });
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === "P2002";
}

async function topicOrThrow(topicId: string): Promise<TopicResource> {
  const topic = await loadTopicResource(topicId);
  if (!topic) throw new NotFound("topic");
  return topic;
}

export async function coSign(actor: Actor, topicId: string): Promise<{ count: number; coSigned: true }> {
  const topic = await topicOrThrow(topicId);
  requirePermission(actor, "topic:coSign", topic);
  try {
    await prisma.coSign.create({ data: { topicId, userId: actor.userId } });
  } catch (error) {
    // Co-signing twice (a double tap, a retry) is the same as once.
    if (!isUniqueViolation(error)) throw error;
  }
  const count = await refreshCoSignCount(topicId);
  publish(socketRooms.topic(topicId), "topic:coSigns", { topicId, count });
  await markReadyIfDue(topicId, actor.userId);
  return { count, coSigned: true };
}

export async function withdrawCoSign(actor: Actor, topicId: string): Promise<{ count: number; coSigned: false }> {
  const topic = await topicOrThrow(topicId);
  requirePermission(actor, "topic:view", topic);
  await prisma.coSign.deleteMany({ where: { topicId, userId: actor.userId } });
  const count = await refreshCoSignCount(topicId);
  publish(socketRooms.topic(topicId), "topic:coSigns", { topicId, count });
  return { count, coSigned: false };
}

/** Who hears about a topic's moves: whoever raised it and everyone who co-signed it. */
async function followers(topicId: string): Promise<string[]> {
  const t = await prisma.topic.findUniqueOrThrow({ where: { id: topicId }, select: { raisedById: true, coSigns: { select: { userId: true } } } });
  return [t.raisedById, ...t.coSigns.map((c) => c.userId)];
}

export async function moveTopic(actor: Actor, topicId: string, input: TopicMoveInput) {
  const topic = await prisma.topic.findUnique({
    where: { id: topicId },
    select: { id: true, status: true, communityId: true, raisedById: true, referredOrgId: true, title: true, description: true },
  });
  if (!topic) throw new NotFound("topic");
  const resource: TopicResource = {
    type: "topic",
    topicId,
    communityId: topic.communityId,
    raisedById: topic.raisedById,
    referredOrgId: topic.referredOrgId,
    status: topic.status,
  };
  if (input.move === "orgAnswer") requirePermission(actor, "topic:orgAnswer", resource);
  else requirePermission(actor, "topic:triage", community(topic.communityId));
  const to = assertMove(topic.status, input.move);
  const now = new Date();
  let data: Prisma.TopicUpdateManyMutationInput & { referredOrgId?: string; mergedIntoId?: string } = { status: to };
  let eventData: Record<string, unknown> = {};
  let referredTo: string | null = null;

  switch (input.move) {
    case "answer":
    case "orgAnswer":
      data = { ...data, answer: input.answer, answeredById: actor.userId, closedAt: now };
      eventData = { answer: input.answer };
      break;
    case "refer": {
      const org = await prisma.organization.findFirst({
        where: { id: input.organizationId, communityId: topic.communityId, archivedAt: null },
        select: { id: true, name: true },
      });
      if (!org) throw new InputRejected("organizationId", "errors.organizationInvalid");
      if (input.dueAt <= now) throw new InputRejected("dueAt", "errors.dueInPast");
      data = { ...data, referredOrgId: org.id, referralDue: input.dueAt };
      eventData = { organization: org.name, dueAt: input.dueAt.toISOString() };
      referredTo = org.id;
      break;
    }
    case "merge": {
      if (input.intoTopicId === topicId) throw new InputRejected("intoTopicId", "errors.mergeIntoSelf");
      const target = await prisma.topic.findFirst({
        where: { id: input.intoTopicId, communityId: topic.communityId },
        select: { id: true, title: true, status: true },
      });
      if (!target) throw new InputRejected("intoTopicId", "errors.topicInvalid");
      if (isClosed(target.status)) throw new InputRejected("intoTopicId", "errors.mergeIntoClosed");
      data = { ...data, mergedIntoId: target.id, closedAt: now };
      eventData = { intoTopicId: target.id, intoTitle: target.title };
      break;
    }
    case "decline":
      data = { ...data, declineReason: input.reason, closedAt: now };
      eventData = { reason: input.reason };
      break;
    case "schedule": {
      const session = await prisma.councilSession.findFirst({
        where: { id: input.sessionId, council: { communityId: topic.communityId } },
        select: { id: true, title: true, status: true },
      });
      if (!session) throw new InputRejected("sessionId", "errors.sessionInvalid");
      if (session.status !== "scheduled") throw new InputRejected("sessionId", "errors.sessionNotScheduled");
      eventData = { sessionId: session.id, sessionTitle: session.title };
      break;
    }
  }

  let removedItems: string[] = [];
  await prisma.$transaction(async (tx) => {
    // Compare-and-set on the status: of two staff moving the same topic at once, one wins.
    const { count } = await tx.topic.updateMany({ where: { id: topicId, status: topic.status }, data });
    if (count !== 1) {
      const now = await tx.topic.findUnique({ where: { id: topicId }, select: { status: true } });
      throw new IllegalMove(input.move, now?.status ?? "gone");
    }
    if (input.move === "merge") await carryCoSigns(tx, topicId, input.intoTopicId);
    if (input.move === "schedule") {
      const item = await createAgendaItem(
        { sessionId: input.sessionId, title: topic.title, text: topic.description || topic.title, topicId, timeSlotMin: input.timeSlotMin },
        tx,
      );
      eventData.agendaItemId = item.id;
    }
    if (input.move === "unschedule") {
      const items = await tx.agendaItem.findMany({ where: { topicId, session: { status: "scheduled" } }, select: { id: true } });
      await tx.yDocument.deleteMany({ where: { name: { in: items.map((i) => agendaItemDocumentName(i.id)) } } });
      await tx.agendaItem.deleteMany({ where: { id: { in: items.map((i) => i.id) } } });
      removedItems = items.map((i) => i.id);
    }
    await event(tx, topicId, MOVE_EVENTS[input.move], actor.userId, eventData);
    if (input.move === "merge") await event(tx, input.intoTopicId, "mergedFrom", actor.userId, { fromTopicId: topicId, fromTitle: topic.title });
  });

  // Whoever has an unscheduled item's text open is told it is gone, at once.
  await Promise.all(removedItems.map((agendaItemId) => rightsChanged({ agendaItemId, removed: true })));
  publish(socketRooms.topic(topicId), "topic:moved", { topicId, status: to });
  const others = (ids: string[]) => ids.filter((id) => id !== actor.userId);
  await notify(others(await followers(topicId)), "topicMoved", { topicId }, { title: topic.title, status: to, move: input.move });
  if (referredTo) {
    const reps = await prisma.membership.findMany({ where: { communityId: topic.communityId, organizationId: referredTo }, select: { userId: true } });
    await notify(others(reps.map((r) => r.userId)), "topicReferred", { topicId }, { title: topic.title });
  }
  if (input.move === "merge") {
    const count = await refreshCoSignCount(input.intoTopicId);
    publish(socketRooms.topic(input.intoTopicId), "topic:coSigns", { topicId: input.intoTopicId, count });
    await markReadyIfDue(input.intoTopicId, actor.userId);
  }
  return { topicId, status: to };
}

/**
 * Merging keeps everyone who cared: the source's co-signers and its raiser
 * become co-signers of the target, once each, never its own raiser.
 */
async function carryCoSigns(tx: Tx, fromId: string, intoId: string): Promise<void> {
  const [from, into] = await Promise.all([
    tx.topic.findUniqueOrThrow({ where: { id: fromId }, select: { raisedById: true, coSigns: { select: { userId: true } } } }),
    tx.topic.findUniqueOrThrow({ where: { id: intoId }, select: { raisedById: true, coSigns: { select: { userId: true } } } }),
  ]);
  const already = new Set([into.raisedById, ...into.coSigns.map((c) => c.userId)]);
  const carried = [...new Set([from.raisedById, ...from.coSigns.map((c) => c.userId)])].filter((id) => !already.has(id));
  if (carried.length) await tx.coSign.createMany({ data: carried.map((userId) => ({ topicId: intoId, userId })) });
  await refreshCoSignCount(intoId, tx);
}

/** The timeline step each move leaves (app/i18n: timeline.<event>). */
const MOVE_EVENTS: Record<TopicMove, TopicEventKind> = {
  answer: "answered",
  refer: "referred",
  orgAnswer: "orgAnswered",
  merge: "merged",
  decline: "declined",
  accept: "accepted",
  schedule: "scheduled",
  unschedule: "unscheduled",
  resolve: "resolved",
};

const MOVES_FOR_STAFF: TopicMove[] = ["answer", "refer", "accept", "schedule", "merge", "decline", "unschedule"];

/** What the viewer may do with the topic now: the page offers exactly these. */
export function allowedMoves(actor: Actor, topic: TopicResource): TopicMove[] {
  const moves: TopicMove[] = [];
  if (can(actor, "topic:triage", community(topic.communityId))) moves.push(...MOVES_FOR_STAFF.filter((m) => canMove(topic.status, m)));
  if (canMove(topic.status, "orgAnswer") && can(actor, "topic:orgAnswer", topic)) moves.push("orgAnswer");
  return moves;
}

export async function getTopic(actor: Actor, topicId: string) {
  const resource = await topicOrThrow(topicId);
  requirePermission(actor, "topic:view", resource);
  const topic = await prisma.topic.findUniqueOrThrow({
    where: { id: topicId },
    select: {
      id: true,
      title: true,
      description: true,
      category: true,
      status: true,
      onBehalfOf: true,
      coSignCount: true,
      readyAt: true,
      answer: true,
      referralDue: true,
      declineReason: true,
      closedAt: true,
      createdAt: true,
      communityId: true,
      community: { select: { slug: true, name: true, coSignThreshold: true } },
      raisedBy: { select: { id: true, displayName: true } },
      grid: { select: { id: true, name: true } },
      building: { select: { id: true, name: true } },
      unit: { select: { id: true, name: true } },
      referredOrg: { select: { id: true, name: true } },
      mergedInto: { select: { id: true, title: true } },
      photos: { orderBy: { position: "asc" }, select: { id: true, file: true, width: true, height: true } },
      events: { orderBy: { createdAt: "asc" }, select: { id: true, type: true, data: true, createdAt: true, actor: { select: { displayName: true } } } },
      agendaItems: { select: { id: true, session: { select: { id: true, title: true, scheduledAt: true } } } },
      coSigns: { where: { userId: actor.userId }, select: { id: true } },
    },
  });
  const { coSigns, events, ...rest } = topic;
  // One story: the topic's own steps and its tasks' (progress, verification), in time order.
  const taskSteps = await topicTaskEvents(topicId);
  const steps = [...events.map((e) => ({ ...e, data: JSON.parse(e.data) as Record<string, unknown> })), ...taskSteps].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime(),
  );
  return {
    ...rest,
    coSignedByMe: coSigns.length > 0,
    overdue: topic.status === "referred" && !!topic.referralDue && topic.referralDue < new Date(),
    events: steps,
    mayCoSign: can(actor, "topic:coSign", resource),
    moves: allowedMoves(actor, resource),
  };
}

const PAGE_SIZE = 20;

export async function listTopics(actor: Actor, communityId: string, filters: z.infer<typeof topicListSchema>) {
  requirePermission(actor, "community:view", community(communityId));
  const where: Prisma.TopicWhereInput = { communityId };
  if (filters.q) where.OR = [{ title: { contains: filters.q } }, { description: { contains: filters.q } }];
  if (filters.status === "open") where.status = { notIn: [...CLOSED_STATUSES] };
  else if (filters.status === "closed") where.status = { in: [...CLOSED_STATUSES] };
  else if (filters.status) where.status = filters.status;
  if (filters.category) where.category = filters.category;
  if (filters.gridId) where.gridId = filters.gridId;
  if (filters.place) where.AND = [...asArray(where.AND), await placeWhere(communityId, filters.place)];
  if (filters.from || filters.to) where.createdAt = beijingDayRange(filters.from, filters.to);
  if (filters.mine) where.AND = [...asArray(where.AND), { OR: [{ raisedById: actor.userId }, { coSigns: { some: { userId: actor.userId } } }] }];
  const [items, total] = await Promise.all([
    prisma.topic.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (filters.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        title: true,
        category: true,
        status: true,
        coSignCount: true,
        readyAt: true,
        createdAt: true,
        referralDue: true,
        raisedBy: { select: { displayName: true } },
        grid: { select: { name: true } },
        building: { select: { name: true } },
        _count: { select: { photos: true } },
      },
    }),
    prisma.topic.count({ where }),
  ]);
  return { items, total, page: filters.page, pageSize: PAGE_SIZE, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** Staff triage queue: open topics, most urgent first (co-signs, age, deadlines). */
export async function triageQueue(actor: Actor, communityId: string, { place }: { place?: string } = {}) {
  requirePermission(actor, "topic:triage", community(communityId));
  const open = await prisma.topic.findMany({
    where: { communityId, status: { in: ["raised", "referred", "accepted"] }, ...(place ? { AND: [await placeWhere(communityId, place)] } : {}) },
    take: 500,
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      title: true,
      status: true,
      category: true,
      coSignCount: true,
      readyAt: true,
      referralDue: true,
      createdAt: true,
      referredOrg: { select: { name: true } },
    },
  });
  const now = Date.now();
  return open
    .map((t) => {
      const ageDays = (now - t.createdAt.getTime()) / 86_400_000;
      const overdue = t.status === "referred" && !!t.referralDue && t.referralDue.getTime() < now;
      const dueSoon = t.status === "referred" && !!t.referralDue && !overdue && t.referralDue.getTime() - now < 2 * 86_400_000;
      const urgency = t.coSignCount * 3 + ageDays + (t.readyAt ? 10 : 0) + (overdue ? 30 : dueSoon ? 10 : 0);
      return { ...t, overdue, urgency: Math.round(urgency * 10) / 10 };
    })
    .sort((a, b) => b.urgency - a.urgency);
}

/** An organisation's queue: topics referred to it, waiting for its formal answer. */
export async function referralQueue(actor: Actor, communityId: string) {
  const orgIds = actor.memberships
    .filter((m) => m.communityId === communityId && m.organizationId && m.actsForOrganization !== false)
    .map((m) => m.organizationId!);
  if (orgIds.length === 0) return [];
  const topics = await prisma.topic.findMany({
    where: { communityId, status: "referred", referredOrgId: { in: orgIds } },
    orderBy: { referralDue: "asc" },
    select: { id: true, title: true, referralDue: true, coSignCount: true, createdAt: true, referredOrg: { select: { name: true } } },
  });
  const now = new Date();
  return topics.map((t) => ({ ...t, overdue: !!t.referralDue && t.referralDue < now }));
}
