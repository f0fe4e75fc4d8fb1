// A council session in progress (问题共商): the commands of the chair and the
// members — check-in, the agenda item under deliberation, the floor, proxies,
// motions, opening and closing votes. Every rule is enforced here, on the
// server; every change is followed by announce() (live-state.server.ts), which
// pushes a fresh snapshot to everyone in the session. Ballots go through
// live-ballots.server.ts. All state lives in the database, so any process can
// take the next action.
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { sign, verifySignature } from "~/utils/auth.server";
import { eraseDeletedRows, prisma } from "~/utils/db.server";
import type { Constituency, TopicEventKind } from "~/utils/domain";
import { InputRejected, RuleBroken } from "~/utils/errors";
import { ACTIVE_MEMBERSHIP, NotFound, loadSessionResource, requirePermission, type Actor, type SessionResource } from "~/utils/permissions.server";
import { publish, socketRooms } from "~/utils/realtime.server";
import { rightsChanged } from "~/utils/rights.server";
import { minutesFactsChanged } from "./minutes/facts.server";
import { audit } from "./audit.server";
import { notify } from "./notification.server";
import { TOPIC_MOVES } from "./topic-states";
import { announce, countBallots, presence, quorumOf, type MotionResult } from "./live-state.server";
import { CURRENT_SEAT } from "./seat-terms";
import { RESUME_WINDOW_MIN } from "~/utils/liveux";
import { DEFAULT_OPTIONS, decide, type PassRule, type motionInputSchema } from "./vote-rules";

const CHECK_IN_TTL_MS = 6 * 3600_000;

async function sessionOrThrow(sessionId: string): Promise<SessionResource> {
  const s = await loadSessionResource(sessionId);
  if (!s) throw new NotFound("session");
  return s;
}

function requireOpen(s: SessionResource) {
  if (s.status !== "open") throw new RuleBroken("errors.sessionNotOpen");
}

// ——— Check-in ———

/** A signed, expiring check-in link for the meeting-room screen's QR code. */
export async function checkInLink(actor: Actor, sessionId: string, origin: string) {
  const s = await sessionOrThrow(sessionId);
  requirePermission(actor, "session:chair", s);
  const expires = Date.now() + CHECK_IN_TTL_MS;
  const token = `${expires}.${sign(`check-in:${sessionId}:${expires}`)}`;
  return { url: `${origin}/sessions/${sessionId}/check-in?t=${encodeURIComponent(token)}`, expiresAt: new Date(expires).toISOString() };
}

function checkToken(sessionId: string, token: string): void {
  const [expires, signature] = token.split(".");
  if (!expires || !signature || !verifySignature(`check-in:${sessionId}:${expires}`, signature)) throw new RuleBroken("errors.checkInInvalid");
  if (Number(expires) < Date.now()) throw new RuleBroken("errors.checkInExpired");
}

/**
 * Checks a person in: by the QR code (themselves, with the token), by the chair (anyone of the
 * community), or themselves from afar in a hybrid or online session whose chair allows it.
 */
export async function checkIn(actor: Actor, sessionId: string, how: { token: string } | { userId: string } | { self: true }) {
  const s = await sessionOrThrow(sessionId);
  if (s.status === "adjourned" || s.status === "cancelled") throw new RuleBroken("errors.sessionOver");
  let userId: string;
  let method: string;
  if ("token" in how) {
    requirePermission(actor, "session:attend", s);
    checkToken(sessionId, how.token);
    userId = actor.userId;
    method = "qr";
  } else if ("self" in how) {
    requirePermission(actor, "session:attend", s);
    const row = await prisma.councilSession.findUniqueOrThrow({ where: { id: sessionId }, select: { mode: true, selfCheckIn: true } });
    if (row.mode === "inPerson") throw new RuleBroken("errors.selfCheckInInPerson");
    if (!row.selfCheckIn) throw new RuleBroken("errors.selfCheckInOff");
    userId = actor.userId;
    method = "self";
  } else {
    requirePermission(actor, "session:chair", s);
    const member = await prisma.membership.findFirst({
      where: { userId: how.userId, communityId: s.communityId, ...ACTIVE_MEMBERSHIP },
      select: { userId: true },
    });
    if (!member) throw new InputRejected("userId", "errors.notCommunityMember");
    userId = how.userId;
    method = "chair";
  }
  const seat = await prisma.councilSeat.findFirst({ where: { councilId: s.councilId, userId, ...CURRENT_SEAT }, select: { constituency: true } });
  const kind = seat ? "member" : "observer";
  await prisma.attendance.upsert({
    where: { sessionId_userId: { sessionId, userId } },
    create: { sessionId, userId, kind, constituency: seat?.constituency, method },
    // Checking in again after being seated (or unseated) mid-session brings the record up to date.
    update: { kind, constituency: seat?.constituency ?? null },
  });
  announce(sessionId);
  void minutesFactsChanged(sessionId, ["attendance"]);
  return { userId, kind };
}

/** The chair lets members who are not in the room check themselves in (hybrid and online sessions), or stops it. */
export async function setSelfCheckIn(actor: Actor, sessionId: string, allowed: boolean) {
  const s = await sessionOrThrow(sessionId);
  requirePermission(actor, "session:chair", s);
  if (s.status === "adjourned" || s.status === "cancelled") throw new RuleBroken("errors.sessionOver");
  const row = await prisma.councilSession.findUniqueOrThrow({ where: { id: sessionId }, select: { mode: true, selfCheckIn: true, title: true } });
  if (row.mode === "inPerson") throw new RuleBroken("errors.selfCheckInInPerson");
  if (row.selfCheckIn !== allowed)
    await prisma.$transaction(async (tx) => {
      await tx.councilSession.update({ where: { id: sessionId }, data: { selfCheckIn: allowed } });
      await audit(tx, {
        communityId: s.communityId,
        actor,
        action: "settings.update",
        subject: { id: sessionId, name: row.title },
        before: { selfCheckIn: row.selfCheckIn },
        after: { selfCheckIn: allowed },
      });
    });
  announce(sessionId);
  return { selfCheckIn: allowed };
}

// Lookups by compound key on the ballot path use findFirst: Prisma batches concurrent
// findUnique calls into one query whose OR tree exceeds SQLite's expression depth
// (1000) when a thousand members vote in the same instant.
async function attendee(sessionId: string, userId: string) {
  return prisma.attendance.findFirst({ where: { sessionId, userId }, select: { kind: true, constituency: true } });
}

// ——— Chair: life cycle, items, floor ———

export async function openSession(actor: Actor, sessionId: string) {
  const s = await sessionOrThrow(sessionId);
  requirePermission(actor, "session:chair", s);
  const { count } = await prisma.councilSession.updateMany({ where: { id: sessionId, status: "scheduled" }, data: { status: "open", openedAt: new Date() } });
  if (count !== 1) throw new RuleBroken("errors.sessionNotScheduled");
  announce(sessionId);
  // The minutes are created when the session opens, with every fact block.
  void minutesFactsChanged(sessionId);
}

export async function adjournSession(actor: Actor, sessionId: string) {
  const s = await sessionOrThrow(sessionId);
  requirePermission(actor, "session:chair", s);
  requireOpen(s);
  if (await prisma.motion.count({ where: { sessionId, status: "voting" } })) throw new RuleBroken("errors.voteStillOpen");
  const minutes = await prisma.minutes.findUnique({ where: { sessionId }, select: { id: true } });
  await prisma.$transaction([
    prisma.councilSession.update({ where: { id: sessionId }, data: { status: "adjourned", adjournedAt: new Date(), floorUserId: null, floorSince: null } }),
    prisma.handRaise.updateMany({ where: { sessionId, loweredAt: null }, data: { loweredAt: new Date() } }),
    prisma.motion.updateMany({ where: { sessionId, status: { in: ["proposed", "seconded"] } }, data: { status: "withdrawn" } }),
    // On the session's timeline, so an adjournment taken back (session:resume) reads as both steps.
    ...(minutes ? [prisma.minutesEvent.create({ data: { minutesId: minutes.id, type: "adjourned", actorId: actor.userId } })] : []),
  ]);
  // The agenda's text is now the record: open editors become readers at once.
  await rightsChanged({ sessionId });
  announce(sessionId);
  // The end time, and motions withdrawn by the adjournment.
  void minutesFactsChanged(sessionId);
}

/** How long the chair may take back an adjournment (why: app/utils/liveux.ts). */
export const RESUME_WINDOW_MS = RESUME_WINDOW_MIN * 60_000;

/** The chair takes back an adjournment within RESUME_WINDOW_MS: the session is open again. */
export async function resumeSession(actor: Actor, sessionId: string, now = new Date()) {
  const s = await sessionOrThrow(sessionId);
  requirePermission(actor, "session:resume", s);
  const row = await prisma.councilSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: { status: true, adjournedAt: true, minutes: { select: { id: true, state: true } } },
  });
  if (row.status !== "adjourned" || !row.adjournedAt) throw new RuleBroken("errors.sessionNotAdjourned");
  if (now.getTime() - row.adjournedAt.getTime() > RESUME_WINDOW_MS) throw new RuleBroken("errors.resumeWindowOver", { minutes: RESUME_WINDOW_MS / 60_000 });
  // Minutes already sent out for review describe a finished session: taking it back would change them under the readers.
  if (row.minutes && row.minutes.state !== "draft") throw new RuleBroken("errors.resumeMinutesSubmitted");
  const minutesId = row.minutes?.id;
  await prisma.$transaction(async (tx) => {
    // Conditional on the adjournment read above: of two resumes (or a resume racing anything else) one wins.
    const { count } = await tx.councilSession.updateMany({
      where: { id: sessionId, status: "adjourned", adjournedAt: row.adjournedAt },
      data: { status: "open", adjournedAt: null },
    });
    if (count !== 1) throw new RuleBroken("errors.sessionNotAdjourned");
    // On the session's timeline (the minutes' history), beside the minutes' own steps.
    if (minutesId)
      await tx.minutesEvent.create({
        data: { minutesId, type: "resumed", actorId: actor.userId, data: JSON.stringify({ adjournedAt: row.adjournedAt!.toISOString() }) },
      });
  });
  // Motions the adjournment withdrew stay withdrawn, hands stay lowered: the chair starts again from a clean floor.
  // Editors that turned read-only are re-checked and may write again (the pages reload on the resume).
  await rightsChanged({ sessionId });
  announce(sessionId);
  void minutesFactsChanged(sessionId);
  return { status: "open" as const };
}

export async function openItem(actor: Actor, sessionId: string, itemId: string) {
  const s = await sessionOrThrow(sessionId);
  requirePermission(actor, "session:chair", s);
  requireOpen(s);
  if (!(await prisma.agendaItem.findFirst({ where: { id: itemId, sessionId }, select: { id: true } }))) throw new InputRejected("itemId", "errors.itemInvalid");
  if (await prisma.motion.count({ where: { sessionId, status: "voting" } })) throw new RuleBroken("errors.voteStillOpen");
  await prisma.councilSession.update({
    where: { id: sessionId },
    data: { currentItemId: itemId, itemOpenedAt: new Date(), floorUserId: null, floorSince: null },
  });
  announce(sessionId);
}

export async function raiseHand(actor: Actor, sessionId: string) {
  const s = await sessionOrThrow(sessionId);
  requirePermission(actor, "session:attend", s);
  requireOpen(s);
  if (!(await attendee(sessionId, actor.userId))) throw new RuleBroken("errors.notCheckedIn");
  const open = await prisma.handRaise.findFirst({ where: { sessionId, userId: actor.userId, loweredAt: null }, select: { id: true } });
  if (!open) await prisma.handRaise.create({ data: { sessionId, userId: actor.userId } });
  announce(sessionId);
}

/** Lowers a hand: one's own, or anyone's by the chair. */
export async function lowerHand(actor: Actor, sessionId: string, userId = actor.userId) {
  const s = await sessionOrThrow(sessionId);
  // Membership first, also for one's own hand: otherwise anyone signed in could learn which
  // session ids exist and poke any community's session (issue 10, item 10).
  requirePermission(actor, "session:attend", s);
  if (userId !== actor.userId) requirePermission(actor, "session:chair", s);
  await prisma.handRaise.updateMany({ where: { sessionId, userId, loweredAt: null }, data: { loweredAt: new Date() } });
  announce(sessionId);
}

export async function giveFloor(actor: Actor, sessionId: string, userId: string) {
  const s = await sessionOrThrow(sessionId);
  requirePermission(actor, "session:chair", s);
  requireOpen(s);
  if (!(await attendee(sessionId, userId))) throw new RuleBroken("errors.notCheckedIn");
  await prisma.$transaction([
    prisma.handRaise.updateMany({ where: { sessionId, userId, loweredAt: null }, data: { loweredAt: new Date() } }),
    prisma.councilSession.update({ where: { id: sessionId }, data: { floorUserId: userId, floorSince: new Date() } }),
  ]);
  announce(sessionId);
}

export async function takeFloor(actor: Actor, sessionId: string) {
  const s = await sessionOrThrow(sessionId);
  requirePermission(actor, "session:chair", s);
  await prisma.councilSession.update({ where: { id: sessionId }, data: { floorUserId: null, floorSince: null } });
  announce(sessionId);
}

/** The chair records an elderly resident's authorisation for a building or unit head to vote for them. */
export async function recordProxy(actor: Actor, sessionId: string, input: { grantorId: string; proxyId: string; note?: string }) {
  const s = await sessionOrThrow(sessionId);
  requirePermission(actor, "session:chair", s);
  const seat = await prisma.councilSeat.findFirst({
    where: { councilId: s.councilId, userId: input.grantorId, ...CURRENT_SEAT },
    select: { constituency: true },
  });
  if (seat?.constituency !== "resident") throw new InputRejected("grantorId", "errors.proxyGrantorInvalid");
  const head = await prisma.membership.findFirst({
    where: { userId: input.proxyId, communityId: s.communityId, role: { in: ["buildingHead", "unitHead"] }, ...ACTIVE_MEMBERSHIP },
    select: { id: true },
  });
  if (!head) throw new InputRejected("proxyId", "errors.proxyHolderInvalid");
  await prisma.proxyAuthorization.upsert({
    where: { sessionId_grantorId: { sessionId, grantorId: input.grantorId } },
    create: { sessionId, grantorId: input.grantorId, proxyId: input.proxyId, recordedById: actor.userId, note: input.note ?? "" },
    update: { proxyId: input.proxyId, recordedById: actor.userId, note: input.note ?? "", revokedAt: null },
  });
  announce(sessionId);
  void minutesFactsChanged(sessionId, ["attendance"]);
}

// ——— Motions and votes ———

export async function proposeMotion(actor: Actor, sessionId: string, input: z.infer<typeof motionInputSchema>) {
  const s = await sessionOrThrow(sessionId);
  const isChair = (() => {
    try {
      requirePermission(actor, "session:chair", s);
      return true;
    } catch {
      return false;
    }
  })();
  if (!isChair) {
    requirePermission(actor, "motion:propose", s);
    if ((await attendee(sessionId, actor.userId))?.kind !== "member") throw new RuleBroken("errors.notCheckedIn");
  }
  requireOpen(s);
  const session = await prisma.councilSession.findUniqueOrThrow({ where: { id: sessionId }, select: { currentItemId: true } });
  if (session.currentItemId !== input.agendaItemId) throw new RuleBroken("errors.itemNotCurrent");
  const motion = await prisma.motion.create({
    data: {
      sessionId,
      agendaItemId: input.agendaItemId,
      text: input.text,
      proposerId: actor.userId,
      options: JSON.stringify(input.options ?? DEFAULT_OPTIONS),
      ballot: input.ballot,
      passRule: input.passRule,
      constituencies: JSON.stringify(input.constituencies),
      hideResults: input.hideResults,
    },
    select: { id: true },
  });
  announce(sessionId);
  void minutesFactsChanged(sessionId, [`item:${input.agendaItemId}`]);
  return motion;
}

async function motionOrThrow(motionId: string) {
  const motion = await prisma.motion.findUnique({ where: { id: motionId } });
  if (!motion) throw new NotFound("motion");
  return { motion, session: await sessionOrThrow(motion.sessionId) };
}

export async function secondMotion(actor: Actor, motionId: string) {
  const { motion, session } = await motionOrThrow(motionId);
  requirePermission(actor, "motion:propose", session);
  requireOpen(session);
  if ((await attendee(session.sessionId, actor.userId))?.kind !== "member") throw new RuleBroken("errors.notCheckedIn");
  if (motion.proposerId === actor.userId) throw new RuleBroken("errors.cannotSecondOwn");
  const { count } = await prisma.motion.updateMany({ where: { id: motionId, status: "proposed" }, data: { status: "seconded", seconderId: actor.userId } });
  if (count !== 1) throw new RuleBroken("errors.motionNotProposed");
  announce(session.sessionId);
  void minutesFactsChanged(session.sessionId, [`item:${motion.agendaItemId}`]);
}

export async function withdrawMotion(actor: Actor, motionId: string) {
  const { motion, session } = await motionOrThrow(motionId);
  if (motion.proposerId !== actor.userId) requirePermission(actor, "session:chair", session);
  const { count } = await prisma.motion.updateMany({ where: { id: motionId, status: { in: ["proposed", "seconded"] } }, data: { status: "withdrawn" } });
  if (count !== 1) throw new RuleBroken("errors.motionNotOpenForChange");
  announce(session.sessionId);
  void minutesFactsChanged(session.sessionId, [`item:${motion.agendaItemId}`]);
}

export async function openVote(actor: Actor, motionId: string) {
  const { motion, session } = await motionOrThrow(motionId);
  requirePermission(actor, "session:chair", session);
  requireOpen(session);
  if (motion.status !== "seconded") throw new RuleBroken("errors.motionNotSeconded");
  const q = await quorumOf(session.sessionId, session.councilId);
  if (!q.met) throw new RuleBroken("errors.quorumNotMet", { present: q.present, required: q.required });
  await prisma.$transaction(async (tx) => {
    if (await tx.motion.count({ where: { sessionId: session.sessionId, status: "voting" } })) throw new RuleBroken("errors.voteStillOpen");
    const { count } = await tx.motion.updateMany({
      where: { id: motionId, status: "seconded" },
      data: { status: "voting", openedAt: new Date(), secretKey: motion.ballot === "secret" ? randomBytes(32).toString("base64url") : null },
    });
    if (count !== 1) throw new RuleBroken("errors.motionNotSeconded");
  });
  announce(session.sessionId);
  void minutesFactsChanged(session.sessionId, [`item:${motion.agendaItemId}`]);
}

/** Closes the vote: the result is computed here, stored once, and becomes the item's resolution. */
export async function closeVote(actor: Actor, motionId: string): Promise<MotionResult> {
  const { motion, session } = await motionOrThrow(motionId);
  requirePermission(actor, "session:chair", session);
  if (motion.status !== "voting") throw new RuleBroken(motion.status === "closed" ? "errors.voteClosed" : "errors.voteNotOpen");
  const options = JSON.parse(motion.options) as string[];
  const constituencies = JSON.parse(motion.constituencies) as Constituency[];
  const rule = motion.passRule as PassRule;
  const result = await prisma.$transaction(async (tx) => {
    // Flip the status first: from here no ballot can land (castBallot re-reads it in its own transaction).
    const { count } = await tx.motion.updateMany({ where: { id: motionId, status: "voting" }, data: { status: "closed", closedAt: new Date() } });
    if (count !== 1) throw new RuleBroken("errors.voteClosed");
    const tally = await countBallots(motionId, options, tx);
    const p = await presence(session.sessionId, session.councilId, tx);
    const outcome = decide({
      options,
      counts: tally.counts,
      present: p.present,
      rule,
      constituencies: constituencies.map((c) => ({ name: c, counts: tally.byConstituency[c] ?? {}, present: p.byConstituency[c]?.present ?? 0 })),
    });
    const r: MotionResult = {
      ...tally,
      present: p.present,
      presentByConstituency: Object.fromEntries(Object.entries(p.byConstituency).map(([k, v]) => [k, v.present])),
      eligible: p.seated,
      passRule: rule,
      constituencies,
      passed: outcome.passed,
      winner: outcome.winner,
      failedIn: outcome.failedIn,
    };
    if (motion.ballot === "open") {
      const ballots = await tx.ballot.findMany({ where: { motionId }, select: { voterKey: true, choice: true, proxy: true, castById: true } });
      const names = new Map(
        (
          await tx.user.findMany({
            where: { id: { in: ballots.flatMap((b) => [b.voterKey, b.castById ?? b.voterKey]) } },
            select: { id: true, displayName: true },
          })
        ).map((u) => [u.id, u.displayName]),
      );
      r.roll = ballots.map((b) => ({
        name: names.get(b.voterKey) ?? "?",
        choice: b.choice,
        proxy: b.proxy,
        castBy: b.proxy ? (names.get(b.castById ?? "") ?? null) : null,
      }));
    } else {
      // Secret: only the counts survive. The key that tied ballots to voters is erased with them.
      await tx.ballot.deleteMany({ where: { motionId } });
    }
    await tx.motion.update({ where: { id: motionId }, data: { result: JSON.stringify(r), secretKey: null } });
    const item = await tx.agendaItem.update({
      where: { id: motion.agendaItemId },
      data: { resolutionText: motion.text, resolutionMotionId: motionId, resolvedAt: new Date() },
      select: { topicId: true },
    });
    if (item.topicId) {
      await tx.topicEvent.create({
        data: {
          topicId: item.topicId,
          type: (r.passed ? "resolved" : "voteFailed") satisfies TopicEventKind,
          actorId: actor.userId,
          data: JSON.stringify({ motion: motion.text, counts: r.counts, sessionId: session.sessionId }),
        },
      });
      if (r.passed)
        await tx.topic.updateMany({ where: { id: item.topicId, status: { in: [...TOPIC_MOVES.resolve.from] } }, data: { status: TOPIC_MOVES.resolve.to } });
    }
    return { r, topicId: item.topicId };
  });
  // A secret vote's deleted ballots and erased key: gone from the disk too (SQLite does it as it
  // deletes). In the background: VACUUM may take a while on a city's table, the result may not wait.
  if (motion.ballot === "secret") eraseDeletedRows(["Ballot", "Motion"]).catch((e) => console.error("[db] VACUUM after a secret vote", e));
  publish(socketRooms.session(session.sessionId), "vote:closed", { motionId, result: result.r });
  announce(session.sessionId);
  // The result and the resolution, in the item's section of the minutes on every open screen.
  void minutesFactsChanged(session.sessionId, [`item:${motion.agendaItemId}`]);
  if (result.topicId) {
    const t = await prisma.topic.findUniqueOrThrow({
      where: { id: result.topicId },
      select: { raisedById: true, title: true, coSigns: { select: { userId: true } } },
    });
    await notify(
      [t.raisedById, ...t.coSigns.map((c) => c.userId)],
      "topicMoved",
      { topicId: result.topicId },
      { title: t.title, status: result.r.passed ? "resolved" : "voteFailed" },
    );
  }
  return result.r;
}
