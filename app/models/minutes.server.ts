// The minutes of a session (会议纪要) after the facts: review, approval, publication as a
// tamper-evident public notice (公示), corrections, verification, objections (异议).
// Each step is decided in the permission table (minutes:*), written with its event on the
// session's timeline (MinutesEvent) and notified. The co-edited text and its fact blocks are
// app/models/minutes/facts.server.ts; the document contract is app/models/minutes/document.ts.
import type { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import { prisma } from "~/utils/db.server";
import { minutesDocumentName, type MinutesState } from "~/utils/domain";
import { InputRejected, RuleBroken } from "~/utils/errors";
import type { commentAnchorSchema } from "~/utils/minutes-schemas";
import {
  ACTIVE_MEMBERSHIP,
  NotFound,
  can,
  communityBySlug,
  loadMinutesResource,
  requirePermission,
  type Actor,
  type MinutesResource,
} from "~/utils/permissions.server";
import { rightsChanged } from "~/utils/rights.server";
import type { MinutesNode, PublishedMinutes } from "./minutes/document";
import { minutesFactsChanged, writeMinutesFacts } from "./minutes/facts.server";
import { lookUpHash, verifyChain, versionHash, type ChainReport, type HashLookup } from "./minutes/hash";
import { documents } from "./minutes/live-doc.server";
import { readMinutesJson } from "./minutes/ydoc";
import { notify } from "./notification.server";

const DAY_MS = 24 * 3600_000;
const MAX_REVIEW_DAYS = 30;

async function minutesResourceOrThrow(sessionId: string): Promise<MinutesResource> {
  const r = await loadMinutesResource(sessionId);
  if (!r) throw new NotFound("session");
  return r;
}

/** The minutes row of a session that has begun (created now if its document was never written). */
async function minutesRow(sessionId: string) {
  let row = await prisma.minutes.findUnique({ where: { sessionId } });
  if (!row) {
    await writeMinutesFacts(sessionId);
    row = await prisma.minutes.findUnique({ where: { sessionId } });
  }
  if (!row) throw new RuleBroken("errors.minutesNotStarted");
  return row;
}

/** Moves the state only from `from`: two clicks, two tabs or two processes cannot both move it. */
async function moveState(
  tx: Prisma.TransactionClient,
  minutesId: string,
  from: MinutesState[],
  data: Prisma.MinutesUpdateManyMutationInput,
  refusal: string,
): Promise<void> {
  const { count } = await tx.minutes.updateMany({ where: { id: minutesId, state: { in: from } }, data });
  if (count !== 1) throw new RuleBroken(refusal);
}

async function event(tx: Prisma.TransactionClient, minutesId: string, type: string, actorId: string | null, data: Record<string, unknown> = {}) {
  await tx.minutesEvent.create({ data: { minutesId, type, actorId, data: JSON.stringify(data) } });
}

async function sessionPeople(sessionId: string) {
  const s = await prisma.councilSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: { title: true, chairId: true, secretaryId: true, attendance: { select: { userId: true } } },
  });
  return { title: s.title, chairId: s.chairId, secretaryId: s.secretaryId, attendees: s.attendance.map((a) => a.userId) };
}

// ——— Reading ———

export async function getMinutes(actor: Actor, sessionId: string) {
  const r = await minutesResourceOrThrow(sessionId);
  requirePermission(actor, "minutes:view", r);
  if (r.sessionStatus === "scheduled") throw new RuleBroken("errors.minutesNotStarted");
  const row = await minutesRow(sessionId);
  const [session, versions, comments, events] = await Promise.all([
    prisma.councilSession.findUniqueOrThrow({
      where: { id: sessionId },
      select: { id: true, title: true, status: true, council: { select: { community: { select: { slug: true, name: true } } } } },
    }),
    prisma.minutesVersion.findMany({
      where: { minutesId: row.id },
      orderBy: { version: "asc" },
      select: { version: true, hash: true, previousHash: true, publishedAt: true, noticeFrom: true, noticeTo: true, correctionReason: true },
    }),
    prisma.minutesComment.findMany({ where: { minutesId: row.id }, orderBy: { createdAt: "asc" } }),
    prisma.minutesEvent.findMany({ where: { minutesId: row.id }, orderBy: { createdAt: "asc" } }),
  ]);
  const names = await namesOf([...comments.flatMap((c) => [c.authorId, c.resolvedById ?? ""]), ...events.map((e) => e.actorId ?? "")]);
  const fresh = { ...r, state: row.state };
  const inReview = row.state === "inReview";
  return {
    id: row.id,
    sessionId,
    docName: minutesDocumentName(sessionId),
    state: row.state as MinutesState,
    reviewEndsAt: row.reviewEndsAt?.toISOString() ?? null,
    reviewOpen: inReview && !!row.reviewEndsAt && row.reviewEndsAt.getTime() > Date.now(),
    correctionReason: row.correctionReason,
    session: { id: session.id, title: session.title, status: session.status, community: session.council.community },
    versions: versions.map((v) => ({
      ...v,
      publishedAt: v.publishedAt.toISOString(),
      noticeFrom: v.noticeFrom.toISOString(),
      noticeTo: v.noticeTo.toISOString(),
    })),
    comments: comments.map((c) => ({
      id: c.id,
      author: names.get(c.authorId) ?? "?",
      mine: c.authorId === actor.userId,
      quote: c.quote,
      anchor: JSON.parse(c.anchor) as Record<string, unknown>,
      body: c.body,
      createdAt: c.createdAt.toISOString(),
      resolvedAt: c.resolvedAt?.toISOString() ?? null,
      resolvedBy: c.resolvedById ? (names.get(c.resolvedById) ?? "?") : null,
      resolution: c.resolution,
    })),
    timeline: events.map((e) => ({
      type: e.type,
      at: e.createdAt.toISOString(),
      by: e.actorId ? (names.get(e.actorId) ?? "?") : null,
      data: JSON.parse(e.data) as Record<string, unknown>,
    })),
    can: {
      edit: can(actor, "minutes:edit", fresh),
      submit: can(actor, "minutes:submit", fresh) && row.state === "draft" && r.sessionStatus === "adjourned",
      comment: can(actor, "minutes:comment", fresh) && inReview,
      resolve: can(actor, "minutes:resolve", fresh) && (inReview || row.state === "draft"),
      approve: can(actor, "minutes:approve", fresh) && (inReview || (row.state === "draft" && row.correctionReason !== null)),
      publish: can(actor, "minutes:publish", fresh) && row.state === "approved",
      correct: can(actor, "minutes:correct", fresh) && row.state === "published",
      downloadDraft: can(actor, "minutes:downloadDraft", fresh),
    },
  };
}

async function namesOf(ids: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter(Boolean))];
  if (wanted.length === 0) return new Map();
  return new Map((await prisma.user.findMany({ where: { id: { in: wanted } }, select: { id: true, displayName: true } })).map((u) => [u.id, u.displayName]));
}

// ——— Review ———

/** The secretary submits the draft for review by the attendees until `reviewEndsAt`. */
export async function submitForReview(actor: Actor, sessionId: string, input: { reviewEndsAt: Date }) {
  const r = await minutesResourceOrThrow(sessionId);
  requirePermission(actor, "minutes:submit", r);
  if (r.sessionStatus !== "adjourned") throw new RuleBroken("errors.minutesSessionNotOver");
  const now = Date.now();
  if (input.reviewEndsAt.getTime() <= now) throw new InputRejected("reviewEndsAt", "errors.dateInPast");
  if (input.reviewEndsAt.getTime() > now + MAX_REVIEW_DAYS * DAY_MS) throw new InputRejected("reviewEndsAt", "errors.reviewTooLong", { days: MAX_REVIEW_DAYS });
  const row = await minutesRow(sessionId);
  // Reviewers read the facts as they stand now.
  await writeMinutesFacts(sessionId);
  await prisma.$transaction(async (tx) => {
    await moveState(tx, row.id, ["draft"], { state: "inReview", reviewEndsAt: input.reviewEndsAt }, "errors.minutesNotDraft");
    await event(tx, row.id, "submitted", actor.userId, { reviewEndsAt: input.reviewEndsAt.toISOString() });
  });
  const people = await sessionPeople(sessionId);
  await notify(
    [...people.attendees, people.chairId ?? ""].filter((id) => id && id !== actor.userId),
    "minutesInReview",
    { sessionId },
    { title: people.title },
  );
  return { state: "inReview" as const };
}

export type CommentAnchor = z.infer<typeof commentAnchorSchema>;

/** An attendee comments on a passage during the review window. */
export async function commentOnMinutes(actor: Actor, sessionId: string, input: { quote: string; body: string; anchor?: CommentAnchor }) {
  const r = await minutesResourceOrThrow(sessionId);
  requirePermission(actor, "minutes:comment", r);
  const row = await minutesRow(sessionId);
  if (row.state === "published") throw new RuleBroken("errors.minutesPublishedNoComment");
  if (row.state !== "inReview") throw new RuleBroken("errors.minutesNotInReview");
  if (!row.reviewEndsAt || row.reviewEndsAt.getTime() <= Date.now()) throw new RuleBroken("errors.reviewClosed");
  const comment = await prisma.$transaction(async (tx) => {
    const c = await tx.minutesComment.create({
      data: { minutesId: row.id, authorId: actor.userId, quote: input.quote, body: input.body, anchor: JSON.stringify(input.anchor ?? {}) },
      select: { id: true },
    });
    await event(tx, row.id, "commented", actor.userId, { commentId: c.id, quote: input.quote.slice(0, 80) });
    return c;
  });
  const people = await sessionPeople(sessionId);
  if (people.secretaryId && people.secretaryId !== actor.userId) await notify([people.secretaryId], "minutesComment", { sessionId }, { title: people.title });
  return { id: comment.id };
}

/** The secretary resolves a comment (with an optional answer), having changed the text or not. */
export async function resolveComment(actor: Actor, sessionId: string, commentId: string, input: { resolution?: string }) {
  const r = await minutesResourceOrThrow(sessionId);
  requirePermission(actor, "minutes:resolve", r);
  const row = await minutesRow(sessionId);
  if (row.state !== "inReview" && row.state !== "draft") throw new RuleBroken("errors.minutesNotInReview");
  const comment = await prisma.minutesComment.findFirst({ where: { id: commentId, minutesId: row.id }, select: { id: true, authorId: true } });
  if (!comment) throw new NotFound("comment");
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.minutesComment.updateMany({
      where: { id: comment.id, resolvedAt: null },
      data: { resolvedAt: new Date(), resolvedById: actor.userId, resolution: input.resolution?.trim() || null },
    });
    if (count !== 1) throw new RuleBroken("errors.commentAlreadyResolved");
    await event(tx, row.id, "resolved", actor.userId, { commentId });
  });
  const people = await sessionPeople(sessionId);
  if (comment.authorId !== actor.userId) await notify([comment.authorId], "minutesCommentResolved", { sessionId }, { title: people.title });
  return { id: comment.id, resolved: true };
}

/** The chair approves: from now on nobody writes (open editors become readers at once). */
export async function approveMinutes(actor: Actor, sessionId: string) {
  const r = await minutesResourceOrThrow(sessionId);
  requirePermission(actor, "minutes:approve", r);
  const row = await minutesRow(sessionId);
  const from: MinutesState[] = row.correctionReason !== null ? ["inReview", "draft"] : ["inReview"];
  if (!from.includes(row.state as MinutesState)) throw new RuleBroken("errors.minutesNotInReview");
  // Last facts before the text freezes.
  await writeMinutesFacts(sessionId);
  await prisma.$transaction(async (tx) => {
    if (await tx.minutesComment.count({ where: { minutesId: row.id, resolvedAt: null } })) throw new RuleBroken("errors.commentsUnresolved");
    await moveState(tx, row.id, from, { state: "approved", approvedById: actor.userId, approvedAt: new Date() }, "errors.minutesNotInReview");
    await event(tx, row.id, "approved", actor.userId);
  });
  await rightsChanged({ sessionId });
  const people = await sessionPeople(sessionId);
  if (people.secretaryId && people.secretaryId !== actor.userId) await notify([people.secretaryId], "minutesApproved", { sessionId }, { title: people.title });
  return { state: "approved" as const };
}

/** What a version's hash covers besides the content (document.ts PublishedMinutes, without the derived fields). */
export type VersionMetadata = {
  communityName: string;
  sessionTitle: string;
  startsAt: string;
  endedAt: string | null;
  place: string;
  chair: string;
  secretary: string;
  correctionReason: string | null;
  publishedAt: string;
  noticeFrom: string;
  noticeTo: string;
};

/** The secretary publishes the approved minutes as version n+1, chained to version n. */
export async function publishMinutes(actor: Actor, sessionId: string, input: { noticeDays: number }) {
  const r = await minutesResourceOrThrow(sessionId);
  requirePermission(actor, "minutes:publish", r);
  const row = await minutesRow(sessionId);
  if (row.state !== "approved") throw new RuleBroken("errors.minutesNotApproved");
  const content: MinutesNode = await documents().read(minutesDocumentName(sessionId), readMinutesJson);
  const s = await prisma.councilSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: {
      title: true,
      scheduledAt: true,
      openedAt: true,
      adjournedAt: true,
      place: true,
      chairId: true,
      secretaryId: true,
      council: { select: { community: { select: { name: true } } } },
    },
  });
  const names = await namesOf([s.chairId ?? "", s.secretaryId ?? ""]);
  const publishedAt = new Date();
  const noticeTo = new Date(publishedAt.getTime() + input.noticeDays * DAY_MS);
  const metadata: VersionMetadata = {
    communityName: s.council.community.name,
    sessionTitle: s.title,
    startsAt: (s.openedAt ?? s.scheduledAt).toISOString(),
    endedAt: s.adjournedAt?.toISOString() ?? null,
    place: s.place,
    chair: s.chairId ? (names.get(s.chairId) ?? "") : "",
    secretary: s.secretaryId ? (names.get(s.secretaryId) ?? "") : "",
    correctionReason: row.correctionReason,
    publishedAt: publishedAt.toISOString(),
    noticeFrom: publishedAt.toISOString(),
    noticeTo: noticeTo.toISOString(),
  };
  const version = await prisma.$transaction(async (tx) => {
    const previous = await tx.minutesVersion.findFirst({ where: { minutesId: row.id }, orderBy: { version: "desc" }, select: { version: true, hash: true } });
    const number = (previous?.version ?? 0) + 1;
    const previousHash = previous?.hash ?? null;
    const hash = versionHash({ content, metadata, version: number, previousHash });
    await moveState(tx, row.id, ["approved"], { state: "published", correctionReason: null }, "errors.minutesNotApproved");
    // The unique (minutesId, version) refuses a second version n+1 from a racing publish.
    await tx.minutesVersion.create({
      data: {
        minutesId: row.id,
        version: number,
        content: JSON.stringify(content),
        metadata: JSON.stringify(metadata),
        hash,
        previousHash,
        correctionReason: row.correctionReason,
        publishedById: actor.userId,
        publishedAt,
        noticeFrom: publishedAt,
        noticeTo,
      },
    });
    await event(tx, row.id, "published", actor.userId, { version: number, hash, noticeTo: noticeTo.toISOString() });
    return { version: number, hash };
  });
  const people = await sessionPeople(sessionId);
  await notify(
    [...people.attendees, people.chairId ?? ""].filter((id) => id && id !== actor.userId),
    row.correctionReason ? "minutesCorrected" : "minutesPublished",
    { sessionId },
    { title: people.title },
  );
  return { minutesId: row.id, ...version, noticeFrom: publishedAt.toISOString(), noticeTo: noticeTo.toISOString() };
}

/** The secretary opens a correction of the published minutes: a reason is required; the next published version carries it. */
export async function correctMinutes(actor: Actor, sessionId: string, input: { reason: string }) {
  const r = await minutesResourceOrThrow(sessionId);
  requirePermission(actor, "minutes:correct", r);
  if (!input.reason.trim()) throw new InputRejected("reason", "errors.correctionReasonRequired");
  const row = await minutesRow(sessionId);
  await prisma.$transaction(async (tx) => {
    await moveState(
      tx,
      row.id,
      ["published"],
      { state: "draft", correctionReason: input.reason.trim(), approvedAt: null, approvedById: null },
      "errors.minutesNotPublished",
    );
    await event(tx, row.id, "correctionOpened", actor.userId, { reason: input.reason.trim() });
  });
  // The secretary writes again.
  await rightsChanged({ sessionId });
  return { state: "draft" as const };
}

// ——— Published versions, verification ———

async function minutesById(minutesId: string) {
  const row = await prisma.minutes.findUnique({ where: { id: minutesId }, select: { id: true, sessionId: true } });
  if (!row) throw new NotFound("minutes");
  return { row, resource: await minutesResourceOrThrow(row.sessionId) };
}

/** A published version for reading and rendering (latest when `version` is omitted). */
export async function publishedVersion(actor: Actor, minutesId: string, version?: number, origin = "") {
  const { row, resource } = await minutesById(minutesId);
  requirePermission(actor, "minutes:view", resource);
  const all = await prisma.minutesVersion.findMany({ where: { minutesId: row.id }, orderBy: { version: "asc" }, select: { version: true } });
  if (all.length === 0) throw new NotFound("published minutes");
  const wanted = version ?? all[all.length - 1]!.version;
  const v = await prisma.minutesVersion.findUnique({ where: { minutesId_version: { minutesId: row.id, version: wanted } } });
  if (!v) throw new NotFound("version");
  let content: MinutesNode = { type: "doc", content: [] };
  let meta: Partial<VersionMetadata> = {};
  let readable = true;
  try {
    content = JSON.parse(v.content) as MinutesNode;
    meta = JSON.parse(v.metadata) as VersionMetadata;
  } catch {
    // A damaged row is shown as such (verification names it), never a crash.
    readable = false;
  }
  const published: PublishedMinutes = {
    locale: "zh-CN",
    communityName: meta.communityName ?? "",
    sessionTitle: meta.sessionTitle ?? "",
    startsAt: new Date(meta.startsAt ?? v.publishedAt),
    endedAt: meta.endedAt ? new Date(meta.endedAt) : null,
    place: meta.place ?? "",
    chair: meta.chair ?? "",
    secretary: meta.secretary ?? "",
    version: v.version,
    correctionReason: v.correctionReason,
    publishedAt: v.publishedAt,
    noticeFrom: v.noticeFrom,
    noticeTo: v.noticeTo,
    hash: v.hash,
    previousHash: v.previousHash,
    url: `${origin}/minutes/${row.id}?v=${v.version}`,
    content,
  };
  return {
    minutesId: row.id,
    sessionId: row.sessionId,
    versionId: v.id,
    versions: all.map((x) => x.version),
    latest: all[all.length - 1]!.version,
    readable,
    published,
  };
}

export type Verification = ChainReport & { minutesId: string; given: (HashLookup & { hash: string }) | null };

/** Recomputes the chain from the stored rows; a given hash is looked up (current, stale, unknown or malformed). */
export async function verifyMinutes(actor: Actor, minutesId: string, givenHash?: string): Promise<Verification> {
  const { row, resource } = await minutesById(minutesId);
  requirePermission(actor, "minutes:view", resource);
  const stored = await prisma.minutesVersion.findMany({
    where: { minutesId: row.id },
    select: { version: true, content: true, metadata: true, hash: true, previousHash: true },
  });
  const report = verifyChain(stored);
  const given = givenHash === undefined || givenHash === "" ? null : { ...lookUpHash(givenHash, stored), hash: givenHash.slice(0, 200) };
  return { minutesId: row.id, ...report, given };
}

// ——— Public notice board (公示栏) and objections (异议) ———

export async function listNotices(actor: Actor, slug: string) {
  const community = await communityBySlug(slug);
  requirePermission(actor, "community:view", { type: "community", communityId: community.id });
  return {
    community: { slug: community.slug, name: community.name },
    canAnswer: can(actor, "notice:answer", { type: "community", communityId: community.id }),
    notices: await publishedNotices(community.id),
  };
}

/** The community's published minutes (公示), newest first: for the notice board and the public view (dashboard.server.ts publicView). */
export async function publishedNotices(communityId: string) {
  const community = { id: communityId };
  const minutes = await prisma.minutes.findMany({
    where: { session: { council: { communityId: community.id } }, versions: { some: {} } },
    select: {
      id: true,
      sessionId: true,
      session: {
        select: {
          title: true,
          agendaItems: {
            orderBy: { position: "asc" },
            select: { position: true, title: true, resolutionText: true, resolutionMotionId: true, motions: { select: { id: true, result: true } } },
          },
        },
      },
      versions: {
        orderBy: { version: "desc" },
        take: 1,
        select: {
          id: true,
          version: true,
          hash: true,
          publishedAt: true,
          noticeFrom: true,
          noticeTo: true,
          correctionReason: true,
          objections: { select: { answeredAt: true } },
        },
      },
    },
  });
  const now = Date.now();
  return minutes
    .map((m) => {
      const v = m.versions[0]!;
      return {
        minutesId: m.id,
        sessionId: m.sessionId,
        sessionTitle: m.session.title,
        version: v.version,
        hash: v.hash,
        correctionReason: v.correctionReason,
        publishedAt: v.publishedAt.toISOString(),
        noticeFrom: v.noticeFrom.toISOString(),
        noticeTo: v.noticeTo.toISOString(),
        open: v.noticeFrom.getTime() <= now && now <= v.noticeTo.getTime(),
        resolutions: m.session.agendaItems
          .filter((i) => i.resolutionMotionId)
          .map((i) => {
            const motion = i.motions.find((x) => x.id === i.resolutionMotionId);
            const passed = motion?.result ? (JSON.parse(motion.result) as { passed: boolean }).passed : false;
            return { position: i.position, item: i.title, text: i.resolutionText ?? "", passed };
          }),
        objections: { total: v.objections.length, unanswered: v.objections.filter((o) => !o.answeredAt).length },
      };
    })
    .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
}

async function communityOfMinutes(minutesId: string) {
  const { row, resource } = await minutesById(minutesId);
  return { row, communityId: resource.communityId, resource };
}

export async function listObjections(actor: Actor, minutesId: string) {
  const { row, communityId, resource } = await communityOfMinutes(minutesId);
  requirePermission(actor, "minutes:view", resource);
  const rows = await prisma.objection.findMany({
    where: { version: { minutesId: row.id } },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      authorId: true,
      body: true,
      answer: true,
      answeredById: true,
      answeredAt: true,
      createdAt: true,
      version: { select: { version: true } },
    },
  });
  const names = await namesOf(rows.flatMap((o) => [o.authorId, o.answeredById ?? ""]));
  return {
    canObject: can(actor, "notice:object", { type: "community", communityId }),
    canAnswer: can(actor, "notice:answer", { type: "community", communityId }),
    objections: rows.map((o) => ({
      id: o.id,
      version: o.version.version,
      author: names.get(o.authorId) ?? "?",
      body: o.body,
      createdAt: o.createdAt.toISOString(),
      answer: o.answer,
      answeredBy: o.answeredById ? (names.get(o.answeredById) ?? "?") : null,
      answeredAt: o.answeredAt?.toISOString() ?? null,
    })),
  };
}

/** A member objects to the current version of a public notice, during its notice period. */
export async function raiseObjection(actor: Actor, minutesId: string, input: { body: string }) {
  const { row, communityId } = await communityOfMinutes(minutesId);
  requirePermission(actor, "notice:object", { type: "community", communityId });
  const v = await prisma.minutesVersion.findFirst({
    where: { minutesId: row.id },
    orderBy: { version: "desc" },
    select: { id: true, noticeFrom: true, noticeTo: true },
  });
  if (!v) throw new RuleBroken("errors.minutesNotPublished");
  const now = Date.now();
  if (now < v.noticeFrom.getTime() || now > v.noticeTo.getTime()) throw new RuleBroken("errors.noticePeriodOver");
  const o = await prisma.objection.create({ data: { versionId: v.id, authorId: actor.userId, body: input.body }, select: { id: true } });
  await prisma.minutesEvent.create({ data: { minutesId: row.id, type: "objection", actorId: actor.userId, data: JSON.stringify({ objectionId: o.id }) } });
  const staff = await prisma.membership.findMany({ where: { communityId, role: "communityStaff", ...ACTIVE_MEMBERSHIP }, select: { userId: true } });
  const title = (await prisma.councilSession.findUniqueOrThrow({ where: { id: row.sessionId }, select: { title: true } })).title;
  await notify(
    staff.map((m) => m.userId).filter((id) => id !== actor.userId),
    "minutesObjection",
    { sessionId: row.sessionId },
    { title },
  );
  return { id: o.id };
}

/** Staff answer an objection (once). */
export async function answerObjection(actor: Actor, objectionId: string, input: { answer: string }) {
  const o = await prisma.objection.findUnique({ where: { id: objectionId }, select: { id: true, authorId: true, version: { select: { minutesId: true } } } });
  if (!o) throw new NotFound("objection");
  const { row, communityId } = await communityOfMinutes(o.version.minutesId);
  requirePermission(actor, "notice:answer", { type: "community", communityId });
  const { count } = await prisma.objection.updateMany({
    where: { id: o.id, answeredAt: null },
    data: { answer: input.answer, answeredById: actor.userId, answeredAt: new Date() },
  });
  if (count !== 1) throw new RuleBroken("errors.objectionAlreadyAnswered");
  await prisma.minutesEvent.create({
    data: { minutesId: row.id, type: "objectionAnswered", actorId: actor.userId, data: JSON.stringify({ objectionId: o.id }) },
  });
  const title = (await prisma.councilSession.findUniqueOrThrow({ where: { id: row.sessionId }, select: { title: true } })).title;
  if (o.authorId !== actor.userId) await notify([o.authorId], "minutesObjectionAnswered", { sessionId: row.sessionId }, { title });
  return { id: o.id, answered: true };
}

/** Rewrites every fact block now (the minutes page asks on opening, so a session that began before minutes existed gets them). */
export function refreshMinutesFacts(sessionId: string): Promise<void> {
  return minutesFactsChanged(sessionId);
}
