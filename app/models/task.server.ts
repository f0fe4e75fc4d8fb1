// Joint-handling tasks (联办任务): a resolution, a referred topic or staff create them; the
// lead organisation's owner and the co-handlers post progress; the residents who raised and
// co-signed the topic and the council's seated members verify and rate them under the
// community's rule (task-rules.ts). Every change is a TaskEvent on the task's timeline (and so
// on its topic's) and is pushed live to the task's and the topic's rooms.
import { stringify } from "csv-stringify/sync";
import type { Prisma } from "~/generated/prisma/client";
import { prisma } from "~/utils/db.server";
import { minutesFactsChanged } from "./minutes/facts.server";
import { InputRejected, RuleBroken } from "~/utils/errors";
import {
  ACTIVE_MEMBERSHIP,
  NotFound,
  PermissionDenied,
  can,
  loadSessionResource,
  loadTaskResource,
  requirePermission,
  type Actor,
  type TaskResource,
} from "~/utils/permissions.server";
import { publish, socketRooms } from "~/utils/realtime.server";
import type { TaskCreateInput, TaskListFilters, VerificationInput } from "~/utils/task-schemas";
import { encodePhotos, savePhotos } from "~/utils/uploads.server";
import { audit } from "./audit.server";
import { notify, type NotificationType } from "./notification.server";
import { placeWhere } from "./places.server";
import { decideVerification, rollUp, taskSettingsOf, type TaskSettings, type Verdict } from "./task-rules";
import { assertTaskMove, isOverdue, isWorking, WORKING_STATUSES } from "./task-states";

type Tx = Prisma.TransactionClient;

/** The Socket.IO room of one task (joined with task:join, like topic:join). */
export const taskRoom = (taskId: string) => `task:${taskId}`;

function taskEvent(tx: Tx, taskId: string, kind: string, actorId: string | null, data: Record<string, unknown> = {}) {
  return tx.taskEvent.create({ data: { taskId, kind, actorId, data: JSON.stringify(data) } });
}

/** Tells the task's page and its topic's page that something changed (they reload what they show). */
function announce(task: { id: string; topicId: string | null }, kind: string, extra: Record<string, unknown> = {}) {
  const payload = { taskId: task.id, kind, ...extra };
  publish(taskRoom(task.id), "task:changed", payload);
  if (task.topicId) publish(socketRooms.topic(task.topicId), "topic:task", payload);
}

const community = (communityId: string) => ({ type: "community" as const, communityId });

async function taskOrThrow(taskId: string): Promise<TaskResource> {
  const r = await loadTaskResource(taskId);
  if (!r) throw new NotFound("task");
  return r;
}

async function settingsOf(communityId: string, tx: Tx = prisma): Promise<TaskSettings> {
  const c = await tx.community.findUniqueOrThrow({
    where: { id: communityId },
    select: { taskVerificationRule: true, taskVerificationDays: true, taskSilenceCounts: true, taskResponseDeadlineHours: true, taskSatisfiedRatings: true },
  });
  return taskSettingsOf(c);
}

/** An owner must hold an active membership of the lead organisation. */
async function checkOwner(communityId: string, organizationId: string, ownerId: string | undefined | null, tx: Tx = prisma) {
  if (!ownerId) return;
  const m = await tx.membership.findFirst({ where: { userId: ownerId, communityId, organizationId, ...ACTIVE_MEMBERSHIP }, select: { id: true } });
  if (!m) throw new InputRejected("ownerId", "errors.ownerNotInOrganization");
}

function checkFuture(field: string, date: Date, now = new Date()) {
  if (date.getTime() <= now.getTime()) throw new InputRejected(field, "errors.deadlinePast");
}

async function checkPlace(communityId: string, input: { gridId?: string; buildingId?: string; unitId?: string }) {
  if (input.gridId && !(await prisma.grid.findFirst({ where: { id: input.gridId, communityId }, select: { id: true } })))
    throw new InputRejected("gridId", "errors.placeInvalid");
  if (input.buildingId && !(await prisma.building.findFirst({ where: { id: input.buildingId, communityId }, select: { id: true } })))
    throw new InputRejected("buildingId", "errors.placeInvalid");
  if (input.unitId && !(await prisma.unit.findFirst({ where: { id: input.unitId, buildingId: input.buildingId ?? "-" }, select: { id: true } })))
    throw new InputRejected("unitId", "errors.placeInvalid");
}

/** The people who act for the owner's side: the owner, else every active member of the lead organisation. */
async function ownerSide(task: { communityId: string; organizationId: string; ownerId: string | null }): Promise<string[]> {
  if (task.ownerId) return [task.ownerId];
  const ms = await prisma.membership.findMany({
    where: { communityId: task.communityId, organizationId: task.organizationId, ...ACTIVE_MEMBERSHIP },
    select: { userId: true },
  });
  return ms.map((m) => m.userId);
}

async function staffOf(communityId: string): Promise<string[]> {
  const ms = await prisma.membership.findMany({ where: { communityId, role: "communityStaff", ...ACTIVE_MEMBERSHIP }, select: { userId: true } });
  return ms.map((m) => m.userId);
}

/** Everyone entitled to verify: the topic's raiser and co-signers, and the community's seated council members (never the lead organisation's). */
async function verifiersOf(task: TaskResource): Promise<string[]> {
  const seated = await prisma.councilSeat.findMany({ where: { councilId: { in: task.councilIds }, current: true }, select: { userId: true } });
  const candidates = [...new Set([...task.verifierIds, ...seated.map((s) => s.userId)])];
  const active = await prisma.membership.findMany({
    where: { userId: { in: candidates }, communityId: task.communityId, ...ACTIVE_MEMBERSHIP },
    select: { userId: true, organizationId: true },
  });
  const lead = new Set(active.filter((m) => m.organizationId === task.organizationId).map((m) => m.userId));
  return [...new Set(active.map((m) => m.userId))].filter((id) => !lead.has(id));
}

function basisOf(actor: Actor, task: TaskResource, raiserId: string | null): "raiser" | "coSigner" | "councilMember" {
  if (raiserId === actor.userId) return "raiser";
  if (task.verifierIds.includes(actor.userId)) return "coSigner";
  return "councilMember";
}

// ——— Creating ———

/**
 * Creates a task. `from` says how it came: staff directly (task:create), or the chair of the
 * session whose vote passed (checked by createTaskFromResolution before calling this).
 */
async function insertTask(actor: Actor, communityId: string, input: TaskCreateInput, now = new Date()) {
  const org = await prisma.organization.findFirst({ where: { id: input.organizationId, communityId }, select: { id: true, name: true } });
  if (!org) throw new InputRejected("organizationId", "errors.organizationInvalid");
  checkFuture("deadline", input.deadline, now);
  await checkOwner(communityId, org.id, input.ownerId);
  await checkPlace(communityId, input);
  const coIds = input.coHandlers.map((c) => c.organizationId);
  if (new Set(coIds).size !== coIds.length || coIds.includes(org.id)) throw new InputRejected("coHandlers", "errors.coHandlerDuplicate");
  if (coIds.length && (await prisma.organization.count({ where: { id: { in: coIds }, communityId } })) !== coIds.length)
    throw new InputRejected("coHandlers", "errors.organizationInvalid");
  input.milestones.forEach((m) => checkFuture("milestones", m.dueAt, now));
  // A milestone is a step towards the deadline; one after it could never be on time.
  if (input.milestones.some((m) => m.dueAt.getTime() > input.deadline.getTime())) throw new InputRejected("milestones", "errors.milestoneAfterDeadline");
  let topicId = input.topicId ?? null;
  let agendaItemId = input.agendaItemId ?? null;
  const motionId = input.motionId ?? null;
  if (motionId) {
    const motion = await prisma.motion.findFirst({
      where: { id: motionId, session: { council: { communityId } } },
      select: { agendaItemId: true, status: true, result: true },
    });
    if (!motion) throw new InputRejected("motionId", "errors.resolutionInvalid");
    if (agendaItemId && agendaItemId !== motion.agendaItemId) throw new InputRejected("motionId", "errors.resolutionInvalid");
    const passed = motion.status === "closed" && motion.result && (JSON.parse(motion.result) as { passed?: boolean }).passed === true;
    if (!passed) throw new RuleBroken("errors.resolutionNotPassed");
    agendaItemId = motion.agendaItemId;
  }
  if (agendaItemId) {
    const item = await prisma.agendaItem.findFirst({
      where: { id: agendaItemId, session: { council: { communityId } } },
      select: { topicId: true, resolvedAt: true },
    });
    if (!item) throw new InputRejected("agendaItemId", "errors.resolutionInvalid");
    topicId ??= item.topicId;
  }
  if (topicId && !(await prisma.topic.findFirst({ where: { id: topicId, communityId }, select: { id: true } })))
    throw new InputRejected("topicId", "errors.topicInvalid");
  if (input.parentId) {
    const parent = await prisma.task.findFirst({ where: { id: input.parentId, communityId }, select: { parentId: true, status: true } });
    // One level of sub-tasks: enough for "the drain, the paving, the notice", and the roll-up stays legible.
    if (!parent || parent.parentId) throw new InputRejected("parentId", "errors.parentInvalid");
    if (!isWorking(parent.status)) throw new RuleBroken("errors.taskNotWorking");
  }
  const origin = agendaItemId ? "resolution" : topicId ? "referral" : "direct";
  const task = await prisma.$transaction(async (tx) => {
    const t = await tx.task.create({
      data: {
        communityId,
        title: input.title,
        description: input.description,
        organizationId: org.id,
        ownerId: input.ownerId,
        deadline: input.deadline,
        gridId: input.gridId,
        buildingId: input.buildingId,
        unitId: input.unitId,
        parentId: input.parentId,
        weight: input.weight,
        origin,
        agendaItemId,
        motionId,
        topicId,
        createdById: actor.userId,
        coHandlers: { create: input.coHandlers.map((c) => ({ organizationId: c.organizationId, share: c.share })) },
        milestones: { create: input.milestones.map((m, i) => ({ title: m.title, dueAt: m.dueAt, position: i })) },
      },
      select: { id: true, title: true, topicId: true, ownerId: true, organizationId: true, communityId: true, parentId: true, status: true, deadline: true },
    });
    await taskEvent(tx, t.id, "created", actor.userId, {
      origin,
      organization: org.name,
      deadline: input.deadline.toISOString(),
      title: t.title,
      parentId: t.parentId,
    });
    if (t.parentId) await taskEvent(tx, t.parentId, "subTaskAdded", actor.userId, { subTaskId: t.id, title: t.title, weight: input.weight });
    return t;
  });
  await notify(await ownerSide(task), "taskAssigned", { topicId: task.topicId ?? undefined, taskId: task.id }, { title: task.title });
  announce(task, "created");
  // A task from a resolution is a fact of its session's minutes (their "tasks" block).
  if (agendaItemId && !task.parentId) {
    const item = await prisma.agendaItem.findUnique({ where: { id: agendaItemId }, select: { sessionId: true } });
    if (item) void minutesFactsChanged(item.sessionId, ["tasks"]);
  }
  return task;
}

export async function createTask(actor: Actor, communityId: string, input: TaskCreateInput) {
  requirePermission(actor, "task:create", community(communityId));
  return insertTask(actor, communityId, input);
}

/** The live action: the chair turns a passed vote's resolution into a task, in the session. */
export async function createTaskFromResolution(
  actor: Actor,
  input: { motionId: string; title?: string; organizationId: string; ownerId?: string; deadline: Date },
) {
  const motion = await prisma.motion.findUnique({
    where: { id: input.motionId },
    select: { sessionId: true, text: true, agendaItemId: true, agendaItem: { select: { title: true, resolutionText: true } } },
  });
  if (!motion) throw new NotFound("motion");
  const session = await loadSessionResource(motion.sessionId);
  if (!session) throw new NotFound("session");
  requirePermission(actor, "task:createFromResolution", session);
  const task = await insertTask(actor, session.communityId, {
    title: input.title ?? (motion.agendaItem.title.length >= 2 ? motion.agendaItem.title.slice(0, 80) : motion.text.slice(0, 80)),
    description: motion.agendaItem.resolutionText ?? motion.text,
    organizationId: input.organizationId,
    ownerId: input.ownerId,
    deadline: input.deadline,
    motionId: input.motionId,
    agendaItemId: motion.agendaItemId,
    weight: 1,
    coHandlers: [],
    milestones: [],
  });
  publish(socketRooms.session(motion.sessionId), "task:created", { motionId: input.motionId, taskId: task.id, title: task.title });
  return { taskId: task.id, title: task.title };
}

// ——— Working on it ———

/**
 * A progress update: the lead organisation's (its figure is the task's progress) or a
 * co-handler's on its own share. Photos go through the topic photo pipeline; nothing is kept
 * if anything is refused.
 */
export async function postProgress(
  actor: Actor,
  taskId: string,
  input: { progress: number; text: string; photoKind: "before" | "after" },
  photos: File[] = [],
) {
  const r = await taskOrThrow(taskId);
  requirePermission(actor, "task:view", r);
  const lead = can(actor, "task:work", r);
  let coHandler: { id: string; organizationId: string } | null = null;
  if (!lead) {
    if (!can(actor, "task:workShare", r)) throw new PermissionDenied("task:work");
    const orgIds = actor.memberships.filter((m) => m.communityId === r.communityId && m.organizationId).map((m) => m.organizationId!);
    coHandler = await prisma.taskCoHandler.findFirst({ where: { taskId, organizationId: { in: orgIds } }, select: { id: true, organizationId: true } });
    if (!coHandler) throw new PermissionDenied("task:workShare");
  }
  if (!isWorking(r.status)) throw new RuleBroken("errors.taskNotWorking", { status: r.status });
  const encoded = await encodePhotos(photos, actor.userId);
  const saved = await savePhotos(encoded);
  try {
    const result = await prisma.$transaction(async (tx) => {
      // Re-read the status inside the transaction: a submit may have landed since.
      const t = await tx.task.findUniqueOrThrow({ where: { id: taskId }, select: { status: true, firstResponseAt: true, topicId: true, title: true } });
      if (!isWorking(t.status)) throw new RuleBroken("errors.taskNotWorking", { status: t.status });
      const position = await tx.taskPhoto.count({ where: { taskId } });
      const update = await tx.taskUpdate.create({
        data: {
          taskId,
          authorId: actor.userId,
          coHandlerId: coHandler?.id,
          progress: input.progress,
          text: input.text,
          photos: {
            create: encoded.map((p, i) => ({
              taskId,
              kind: input.photoKind,
              file: saved.files[i]!,
              width: p.width,
              height: p.height,
              bytes: p.data.length,
              position: position + i,
            })),
          },
        },
        select: { id: true, createdAt: true },
      });
      const data: Prisma.TaskUncheckedUpdateInput = {};
      if (!t.firstResponseAt) data.firstResponseAt = update.createdAt;
      if (coHandler) await tx.taskCoHandler.update({ where: { id: coHandler.id }, data: { progress: input.progress } });
      else {
        data.progress = input.progress;
        if (t.status !== "inProgress") {
          data.status = assertTaskMove(t.status, "start");
          await taskEvent(tx, taskId, "started", actor.userId);
        }
      }
      if (Object.keys(data).length) await tx.task.update({ where: { id: taskId }, data });
      const share = coHandler ? await tx.organization.findUnique({ where: { id: coHandler.organizationId }, select: { name: true } }) : null;
      await taskEvent(tx, taskId, "progress", actor.userId, {
        updateId: update.id,
        progress: input.progress,
        text: input.text,
        photos: encoded.length,
        ...(share ? { share: share.name } : {}),
      });
      return { updateId: update.id, topicId: t.topicId };
    });
    announce({ id: taskId, topicId: result.topicId }, "progress", { progress: input.progress });
    return { updateId: result.updateId, progress: await taskProgress(taskId) };
  } catch (error) {
    await saved.undo();
    throw error;
  }
}

/** The progress shown for a task: its own figure, or its sub-tasks' weighted roll-up. */
export async function taskProgress(taskId: string): Promise<number> {
  const t = await prisma.task.findUniqueOrThrow({
    where: { id: taskId },
    select: { progress: true, children: { select: { weight: true, progress: true, status: true } } },
  });
  return rollUp(t.progress, t.children);
}

/** start: the owner's side takes it up. submit: the work is done (a sub-task finishes; a task goes to the residents). */
export async function moveTask(actor: Actor, taskId: string, move: "start" | "submit", now = new Date()) {
  const r = await taskOrThrow(taskId);
  requirePermission(actor, "task:work", r);
  const t = await prisma.task.findUniqueOrThrow({
    where: { id: taskId },
    select: { status: true, parentId: true, topicId: true, title: true, verificationRound: true, children: { select: { status: true } } },
  });
  const effective = move === "submit" && t.parentId ? "finish" : move;
  const to = assertTaskMove(t.status, effective);
  if (move === "submit" && t.children.some((c) => c.status !== "closed")) throw new RuleBroken("errors.subTasksOpen");
  await prisma.$transaction(async (tx) => {
    const data: Prisma.TaskUncheckedUpdateInput = { status: to };
    if (effective === "finish") Object.assign(data, { closedAt: now, closedVia: "done", progress: 100 });
    if (effective === "submit") Object.assign(data, { verificationRound: { increment: 1 }, verificationRequestedAt: now, sentBackReason: null });
    const { count } = await tx.task.updateMany({ where: { id: taskId, status: t.status }, data });
    if (count !== 1) throw new RuleBroken("errors.taskChanged");
    if (effective === "start") await tx.task.updateMany({ where: { id: taskId, firstResponseAt: null }, data: { firstResponseAt: now } });
    await taskEvent(tx, taskId, effective === "submit" ? "submitted" : effective === "finish" ? "closed" : "started", actor.userId, {
      ...(effective === "submit" ? { round: t.verificationRound + 1 } : {}),
      ...(effective === "finish" ? { via: "done" } : {}),
    });
  });
  if (effective === "submit") {
    const verifiers = await verifiersOf(r);
    await notify(verifiers, "taskVerify", { topicId: t.topicId ?? undefined, taskId }, { title: t.title });
  }
  announce({ id: taskId, topicId: t.topicId }, effective);
  return { status: to };
}

/** Names (or changes) the owner: the lead organisation itself or the community's staff. */
export async function assignOwner(actor: Actor, taskId: string, ownerId: string) {
  const r = await taskOrThrow(taskId);
  if (!can(actor, "task:work", r) && !can(actor, "task:create", community(r.communityId))) throw new PermissionDenied("task:work");
  if (r.status === "closed") throw new RuleBroken("errors.taskNotWorking", { status: r.status });
  await checkOwner(r.communityId, r.organizationId, ownerId);
  const owner = await prisma.user.findUniqueOrThrow({ where: { id: ownerId }, select: { displayName: true } });
  const t = await prisma.$transaction(async (tx) => {
    const t = await tx.task.update({ where: { id: taskId }, data: { ownerId }, select: { topicId: true, title: true } });
    await taskEvent(tx, taskId, "ownerChanged", actor.userId, { owner: owner.displayName });
    return t;
  });
  await notify([ownerId], "taskAssigned", { topicId: t.topicId ?? undefined, taskId }, { title: t.title });
  announce({ id: taskId, topicId: t.topicId }, "ownerChanged");
}

export async function completeMilestone(actor: Actor, milestoneId: string, now = new Date()) {
  const m = await prisma.taskMilestone.findUnique({ where: { id: milestoneId }, select: { taskId: true, title: true, doneAt: true } });
  if (!m) throw new NotFound("milestone");
  const r = await taskOrThrow(m.taskId);
  requirePermission(actor, "task:work", r);
  if (m.doneAt) return;
  const t = await prisma.$transaction(async (tx) => {
    await tx.taskMilestone.update({ where: { id: milestoneId }, data: { doneAt: now } });
    await taskEvent(tx, m.taskId, "milestoneDone", actor.userId, { title: m.title });
    return tx.task.findUniqueOrThrow({ where: { id: m.taskId }, select: { topicId: true } });
  });
  announce({ id: m.taskId, topicId: t.topicId }, "milestoneDone");
}

// ——— Deadline extensions (延期) ———

export async function requestExtension(actor: Actor, taskId: string, input: { deadline: Date; reason: string }, now = new Date()) {
  const r = await taskOrThrow(taskId);
  requirePermission(actor, "task:work", r);
  if (!isWorking(r.status)) throw new RuleBroken("errors.taskNotWorking", { status: r.status });
  const t = await prisma.task.findUniqueOrThrow({ where: { id: taskId }, select: { deadline: true, title: true, topicId: true } });
  checkFuture("deadline", input.deadline, now);
  if (input.deadline.getTime() <= t.deadline.getTime()) throw new InputRejected("deadline", "errors.extensionNotLater");
  const extension = await prisma.$transaction(async (tx) => {
    if (await tx.taskExtension.count({ where: { taskId, status: "pending" } })) throw new RuleBroken("errors.extensionPending");
    const e = await tx.taskExtension.create({
      data: { taskId, requestedById: actor.userId, previousDeadline: t.deadline, requestedDeadline: input.deadline, reason: input.reason },
      select: { id: true },
    });
    await taskEvent(tx, taskId, "extensionRequested", actor.userId, { extensionId: e.id, deadline: input.deadline.toISOString(), reason: input.reason });
    return e;
  });
  await notify(await staffOf(r.communityId), "taskExtensionRequested", { topicId: t.topicId ?? undefined, taskId }, { title: t.title });
  announce({ id: taskId, topicId: t.topicId }, "extensionRequested");
  return { extensionId: extension.id };
}

export async function decideExtension(actor: Actor, extensionId: string, input: { approve: boolean; note: string }, now = new Date()) {
  const e = await prisma.taskExtension.findUnique({
    where: { id: extensionId },
    select: { taskId: true, status: true, requestedById: true, requestedDeadline: true },
  });
  if (!e) throw new NotFound("extension");
  const r = await taskOrThrow(e.taskId);
  requirePermission(actor, "task:decideExtension", r);
  const t = await prisma.$transaction(async (tx) => {
    const { count } = await tx.taskExtension.updateMany({
      where: { id: extensionId, status: "pending" },
      data: { status: input.approve ? "approved" : "rejected", decidedById: actor.userId, decidedAt: now, decisionNote: input.note },
    });
    if (count !== 1) throw new RuleBroken("errors.extensionDecided");
    if (input.approve) await tx.task.update({ where: { id: e.taskId }, data: { deadline: e.requestedDeadline } });
    await taskEvent(tx, e.taskId, "extensionDecided", actor.userId, {
      extensionId,
      approved: input.approve,
      deadline: e.requestedDeadline.toISOString(),
      note: input.note,
    });
    return tx.task.findUniqueOrThrow({ where: { id: e.taskId }, select: { topicId: true, title: true } });
  });
  await notify([e.requestedById], "taskExtensionDecided", { topicId: t.topicId ?? undefined, taskId: e.taskId }, { title: t.title, approved: input.approve });
  announce({ id: e.taskId, topicId: t.topicId }, "extensionDecided");
}

// ——— Residents' verification (验收与评价) ———

/**
 * Records (or, on a repeat in the same round, changes) one verifier's verdict and rating, then
 * applies the community's rule. Refused unless the task awaits verification, nothing written.
 */
export async function verifyTask(actor: Actor, taskId: string, input: VerificationInput, now = new Date()) {
  await settleTask(taskId, now);
  const r = await taskOrThrow(taskId);
  requirePermission(actor, "task:view", r);
  if (r.status !== "awaitingVerification") throw new RuleBroken("errors.taskNotAwaitingVerification", { status: r.status });
  requirePermission(actor, "task:verify", r);
  const topic = await prisma.task.findUniqueOrThrow({ where: { id: taskId }, select: { verificationRound: true, topic: { select: { raisedById: true } } } });
  const round = topic.verificationRound;
  const basis = basisOf(actor, r, topic.topic?.raisedById ?? null);
  await prisma.$transaction(async (tx) => {
    const current = await tx.task.findUniqueOrThrow({ where: { id: taskId }, select: { status: true, verificationRound: true } });
    if (current.status !== "awaitingVerification" || current.verificationRound !== round)
      throw new RuleBroken("errors.taskNotAwaitingVerification", { status: current.status });
    const fields = { verdict: input.verdict, rating: input.rating ?? null, comment: input.comment, basis };
    const prior = await tx.taskVerification.findUnique({ where: { taskId_userId_round: { taskId, userId: actor.userId, round } }, select: { id: true } });
    await tx.taskVerification.upsert({
      where: { taskId_userId_round: { taskId, userId: actor.userId, round } },
      create: { taskId, userId: actor.userId, round, ...fields },
      update: fields,
    });
    await taskEvent(tx, taskId, "verification", actor.userId, { ...fields, round, changed: !!prior });
  });
  const outcome = await settleTask(taskId, now);
  const after = await prisma.task.findUniqueOrThrow({ where: { id: taskId }, select: { status: true, topicId: true } });
  if (outcome === "pending") announce({ id: taskId, topicId: after.topicId }, "verification");
  return { status: after.status };
}

/**
 * Applies the community's verification rule to a task awaiting verification, if it is decided
 * now (a response, or the window's end): closes it or sends it back. Idempotent; safe from
 * several processes (the status change is conditional).
 */
export async function settleTask(taskId: string, now = new Date()): Promise<"pending" | "closed" | "sentBack" | "notAwaiting"> {
  const t = await prisma.task.findUnique({
    where: { id: taskId },
    select: {
      status: true,
      communityId: true,
      verificationRound: true,
      verificationRequestedAt: true,
      topicId: true,
      title: true,
      ownerId: true,
      organizationId: true,
    },
  });
  if (!t || t.status !== "awaitingVerification") return "notAwaiting";
  const settings = await settingsOf(t.communityId);
  const responses = await prisma.taskVerification.findMany({
    where: { taskId, round: t.verificationRound },
    orderBy: { updatedAt: "asc" },
    select: { verdict: true, comment: true, updatedAt: true, createdAt: true },
  });
  const r = await taskOrThrow(taskId);
  const entitled = (await verifiersOf(r)).length;
  const decision = decideVerification({
    rule: settings.rule,
    days: settings.days,
    silence: settings.silence,
    requestedAt: t.verificationRequestedAt ?? now,
    now,
    entitled,
    // The first answer's time counts (a changed verdict is still a response within the window).
    responses: responses.map((x) => ({ verdict: x.verdict as Verdict, at: x.createdAt })),
  });
  if (decision.outcome === "pending") return "pending";
  const reason =
    decision.outcome === "sentBack"
      ? decision.via === "silence"
        ? null
        : ([...responses].reverse().find((x) => x.verdict === "sendBack")?.comment ?? null)
      : null;
  const changed = await prisma.$transaction(async (tx) => {
    const { count } = await tx.task.updateMany({
      where: { id: taskId, status: "awaitingVerification", verificationRound: t.verificationRound },
      data:
        decision.outcome === "closed"
          ? { status: assertTaskMove(t.status, "close"), closedAt: now, closedVia: decision.via }
          : { status: assertTaskMove(t.status, "sendBack"), sentBackReason: reason ?? "", closedAt: null },
    });
    if (count !== 1) return false;
    await taskEvent(tx, taskId, decision.outcome, null, { via: decision.via, round: t.verificationRound, ...(reason ? { reason } : {}) });
    return true;
  });
  if (!changed) return "pending";
  const side = await ownerSide(t);
  if (decision.outcome === "sentBack")
    await notify(side, "taskSentBack", { topicId: t.topicId ?? undefined, taskId }, { title: t.title, reason: reason ?? "" });
  else await notify(side, "taskClosed", { topicId: t.topicId ?? undefined, taskId }, { title: t.title });
  announce({ id: taskId, topicId: t.topicId }, decision.outcome);
  return decision.outcome;
}

/** For the scheduler: settles every task whose verification window has ended. Returns how many changed. */
export async function settleVerifications(now = new Date()): Promise<number> {
  const waiting = await prisma.task.findMany({ where: { status: "awaitingVerification" }, select: { id: true } });
  let changed = 0;
  for (const w of waiting) if (["closed", "sentBack"].includes(await settleTask(w.id, now))) changed++;
  return changed;
}

// ——— Reading ———

const listSelect = {
  id: true,
  title: true,
  status: true,
  deadline: true,
  progress: true,
  weight: true,
  parentId: true,
  createdAt: true,
  closedAt: true,
  organization: { select: { id: true, name: true } },
  owner: { select: { id: true, displayName: true } },
  grid: { select: { name: true } },
  building: { select: { name: true } },
  unit: { select: { name: true } },
  topic: { select: { id: true, title: true } },
  children: { select: { weight: true, progress: true, status: true } },
} satisfies Prisma.TaskSelect;

type ListRow = Prisma.TaskGetPayload<{ select: typeof listSelect }>;
function shape(rows: ListRow[], now: Date) {
  return rows.map(({ children, ...t }) => ({ ...t, progress: rollUp(t.progress, children), subTasks: children.length, overdue: isOverdue(t, now) }));
}

const PAGE_SIZE = 30;

async function listWhere(communityId: string, f: Omit<TaskListFilters, "page">, now: Date): Promise<Prisma.TaskWhereInput> {
  const where: Prisma.TaskWhereInput = { communityId };
  // A place means everything under it: a grid's tasks include those that name only a building or unit in it.
  if (f.place) where.AND = [await placeWhere(communityId, f.place)];
  if (f.status === "overdue") Object.assign(where, { status: { in: [...WORKING_STATUSES] }, deadline: { lt: now } });
  else if (f.status === "open") where.status = { not: "closed" };
  else if (f.status) where.status = f.status;
  if (f.organizationId) where.OR = [{ organizationId: f.organizationId }, { coHandlers: { some: { organizationId: f.organizationId } } }];
  if (f.gridId) where.gridId = f.gridId;
  if (f.buildingId) where.buildingId = f.buildingId;
  if (f.unitId) where.unitId = f.unitId;
  if (f.dueBy) {
    const end = new Date(`${f.dueBy}T00:00:00+08:00`).getTime() + 86_400_000;
    where.deadline = { ...(where.deadline as object), lt: new Date(Math.min(end, f.status === "overdue" ? now.getTime() : end)) };
  }
  return where;
}

/** A community's tasks, filtered by status, organisation (lead or co-handling), place and due date. */
export async function listTasks(actor: Actor, communityId: string, filters: TaskListFilters, now = new Date()) {
  requirePermission(actor, "community:view", community(communityId));
  const where = await listWhere(communityId, filters, now);
  const [rows, total] = await Promise.all([
    prisma.task.findMany({ where, orderBy: [{ deadline: "asc" }], skip: (filters.page - 1) * PAGE_SIZE, take: PAGE_SIZE, select: listSelect }),
    prisma.task.count({ where }),
  ]);
  return { items: shape(rows, now), total, page: filters.page, pageSize: PAGE_SIZE, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** /tasks: what this person owns, co-handles, their organisations' tasks, and tasks waiting for their verification. */
export async function myTasks(actor: Actor, now = new Date()) {
  const orgIds = [...new Set(actor.memberships.filter((m) => m.organizationId).map((m) => m.organizationId!))];
  const councilIds = actor.seats.map((s) => s.councilId);
  const open = { status: { not: "closed" } };
  const [owned, coHandling, organization, candidates] = await Promise.all([
    prisma.task.findMany({ where: { ownerId: actor.userId, ...open }, orderBy: { deadline: "asc" }, take: 100, select: listSelect }),
    prisma.task.findMany({
      where: { coHandlers: { some: { organizationId: { in: orgIds } } }, ...open },
      orderBy: { deadline: "asc" },
      take: 100,
      select: listSelect,
    }),
    prisma.task.findMany({ where: { organizationId: { in: orgIds }, ...open }, orderBy: { deadline: "asc" }, take: 100, select: listSelect }),
    prisma.task.findMany({
      where: {
        status: "awaitingVerification",
        communityId: { in: [...new Set(actor.memberships.map((m) => m.communityId))] },
        organizationId: { notIn: orgIds },
        OR: [
          { topic: { raisedById: actor.userId } },
          { topic: { coSigns: { some: { userId: actor.userId } } } },
          { community: { councils: { some: { id: { in: councilIds } } } } },
        ],
      },
      orderBy: { verificationRequestedAt: "asc" },
      take: 100,
      select: { ...listSelect, verificationRound: true, verifications: { where: { userId: actor.userId }, select: { round: true } } },
    }),
  ]);
  const toVerify = candidates
    .filter((c) => !c.verifications.some((v) => v.round === c.verificationRound))
    .map(({ verifications: _v, verificationRound: _r, ...rest }) => rest);
  return { owned: shape(owned, now), coHandling: shape(coHandling, now), organization: shape(organization, now), toVerify: shape(toVerify, now) };
}

/** One task with everything its page shows, and what this person may do with it. */
export async function getTask(actor: Actor, taskId: string, now = new Date()) {
  await settleTask(taskId, now);
  const r = await taskOrThrow(taskId);
  requirePermission(actor, "task:view", r);
  const t = await prisma.task.findUniqueOrThrow({
    where: { id: taskId },
    select: {
      id: true,
      communityId: true,
      title: true,
      description: true,
      status: true,
      sentBackReason: true,
      deadline: true,
      progress: true,
      weight: true,
      origin: true,
      verificationRound: true,
      verificationRequestedAt: true,
      firstResponseAt: true,
      closedAt: true,
      closedVia: true,
      createdAt: true,
      community: { select: { slug: true, name: true } },
      organization: { select: { id: true, name: true } },
      owner: { select: { id: true, displayName: true } },
      createdBy: { select: { displayName: true } },
      grid: { select: { name: true } },
      building: { select: { name: true } },
      unit: { select: { name: true } },
      parent: { select: { id: true, title: true } },
      topic: { select: { id: true, title: true } },
      agendaItem: { select: { id: true, title: true, resolutionText: true, session: { select: { id: true, title: true } } } },
      children: { orderBy: { createdAt: "asc" }, select: { id: true, title: true, weight: true, progress: true, status: true, deadline: true } },
      coHandlers: { select: { id: true, share: true, progress: true, organization: { select: { id: true, name: true } } } },
      milestones: { orderBy: { position: "asc" }, select: { id: true, title: true, dueAt: true, doneAt: true } },
      photos: { orderBy: { position: "asc" }, select: { id: true, file: true, kind: true, width: true, height: true, updateId: true } },
      extensions: {
        orderBy: { createdAt: "desc" },
        select: {
          id: true,
          status: true,
          reason: true,
          requestedDeadline: true,
          previousDeadline: true,
          decisionNote: true,
          createdAt: true,
          decidedAt: true,
          requestedBy: { select: { displayName: true } },
          decidedBy: { select: { displayName: true } },
        },
      },
      verifications: {
        orderBy: [{ round: "asc" }, { createdAt: "asc" }],
        select: {
          id: true,
          round: true,
          verdict: true,
          rating: true,
          comment: true,
          basis: true,
          userId: true,
          updatedAt: true,
          user: { select: { displayName: true } },
        },
      },
      events: { orderBy: { createdAt: "asc" }, select: { id: true, kind: true, data: true, createdAt: true, actor: { select: { displayName: true } } } },
    },
  });
  const mayWork = can(actor, "task:work", r);
  const mayWorkShare = !mayWork && can(actor, "task:workShare", r);
  const myOrgIds = actor.memberships.filter((m) => m.communityId === r.communityId && m.organizationId).map((m) => m.organizationId!);
  const myShare = mayWorkShare ? (t.coHandlers.find((c) => myOrgIds.includes(c.organization.id)) ?? null) : null;
  const isStaff = can(actor, "task:create", community(r.communityId));
  const mine = t.verifications.find((v) => v.userId === actor.userId && v.round === t.verificationRound) ?? null;
  return {
    ...t,
    progress: rollUp(t.progress, t.children),
    ownProgress: t.progress,
    overdue: isOverdue(t, now),
    events: t.events.map((e) => ({ ...e, data: JSON.parse(e.data) as Record<string, unknown> })),
    verifications: t.verifications.map(({ userId: _u, ...v }) => v),
    myVerification: mine ? { verdict: mine.verdict, rating: mine.rating, comment: mine.comment } : null,
    rights: {
      work: mayWork && isWorking(t.status),
      share: myShare && isWorking(t.status) ? { id: myShare.id, organization: myShare.organization.name } : null,
      submit: mayWork && isWorking(t.status) && t.children.every((c) => c.status === "closed"),
      assign: (mayWork || isStaff) && t.status !== "closed",
      requestExtension: mayWork && isWorking(t.status) && !t.extensions.some((e) => e.status === "pending"),
      decideExtension: can(actor, "task:decideExtension", r),
      verify: t.status === "awaitingVerification" && can(actor, "task:verify", r),
      addSubTask: isStaff && !t.parent && isWorking(t.status),
    },
  };
}

/** The community's organisations with their active members: who may lead, co-handle and own tasks. */
export async function taskOrganizations(actor: Actor, communityId: string) {
  requirePermission(actor, "community:view", community(communityId));
  const orgs = await prisma.organization.findMany({
    where: { communityId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, kind: true, memberships: { where: ACTIVE_MEMBERSHIP, select: { user: { select: { id: true, displayName: true } } } } },
  });
  return orgs.map(({ memberships, ...o }) => ({ ...o, members: [...new Map(memberships.map((m) => [m.user.id, m.user])).values()] }));
}

/** The people the lead organisation may name as owner (its active members). */
export async function ownerCandidates(communityId: string, organizationId: string) {
  const ms = await prisma.membership.findMany({
    where: { communityId, organizationId, ...ACTIVE_MEMBERSHIP },
    select: { user: { select: { id: true, displayName: true } } },
  });
  return [...new Map(ms.map((m) => [m.user.id, m.user])).values()];
}

/** Every step of every task made for a topic, for the topic's timeline (one story from raising to verification). */
export async function topicTaskEvents(topicId: string) {
  const events = await prisma.taskEvent.findMany({
    where: { task: { topicId } },
    orderBy: { createdAt: "asc" },
    take: 2000,
    select: { id: true, kind: true, data: true, createdAt: true, actor: { select: { displayName: true } }, task: { select: { id: true, title: true } } },
  });
  return events.map((e) => ({
    id: `task-${e.id}`,
    type: "task",
    createdAt: e.createdAt,
    actor: e.actor,
    data: { ...(JSON.parse(e.data) as Record<string, unknown>), kind: e.kind, taskId: e.task.id, taskTitle: e.task.title },
  }));
}

const CSV_COLUMNS = [
  "id",
  "title",
  "status",
  "overdue",
  "organization",
  "owner",
  "deadline",
  "progress",
  "place",
  "topic",
  "createdAt",
  "closedAt",
  "ratings",
  "averageRating",
] as const;

/** The community's tasks (same filters as the list) as CSV with a UTF-8 BOM, so Excel reads the Chinese right. */
export async function exportTasksCsv(actor: Actor, communityId: string, filters: Omit<TaskListFilters, "page">, now = new Date()): Promise<string> {
  requirePermission(actor, "community:view", community(communityId));
  const rows = await prisma.task.findMany({
    where: await listWhere(communityId, filters, now),
    orderBy: { deadline: "asc" },
    take: 50_000,
    select: { ...listSelect, verifications: { where: { verdict: "confirm" }, select: { rating: true } } },
  });
  const records = rows.map((t) => {
    const ratings = t.verifications.map((v) => v.rating).filter((x): x is number => x != null);
    return [
      t.id,
      t.title,
      t.status,
      isOverdue(t, now) ? "yes" : "no",
      t.organization.name,
      t.owner?.displayName ?? "",
      t.deadline.toISOString(),
      String(rollUp(t.progress, t.children)),
      [t.grid?.name, t.building?.name, t.unit?.name].filter(Boolean).join(" "),
      t.topic?.title ?? "",
      t.createdAt.toISOString(),
      t.closedAt?.toISOString() ?? "",
      String(ratings.length),
      ratings.length ? (ratings.reduce((a, b) => a + b, 0) / ratings.length).toFixed(2) : "",
    ];
  });
  return "\uFEFF" + stringify([[...CSV_COLUMNS], ...records]);
}

export type { NotificationType };

// ——— The community's verification settings ———

export async function getTaskSettings(actor: Actor, communityId: string): Promise<TaskSettings> {
  requirePermission(actor, "community:view", community(communityId));
  return settingsOf(communityId);
}

/** Staff change the verification rule; the change is audited like every other setting. */
export async function updateTaskSettings(actor: Actor, communityId: string, input: TaskSettings): Promise<TaskSettings> {
  requirePermission(actor, "community:configure", community(communityId));
  const satisfied = [...new Set(input.satisfiedRatings)].sort();
  return prisma.$transaction(async (tx) => {
    const before = await settingsOf(communityId, tx);
    await tx.community.update({
      where: { id: communityId },
      data: {
        taskVerificationRule: input.rule,
        taskVerificationDays: input.days,
        taskSilenceCounts: input.silence,
        taskResponseDeadlineHours: input.responseDeadlineHours,
        taskSatisfiedRatings: JSON.stringify(satisfied),
      },
    });
    const after = await settingsOf(communityId, tx);
    await audit(tx, { communityId, actor, action: "settings.update", before: { tasks: before }, after: { tasks: after } });
    return after;
  });
}
