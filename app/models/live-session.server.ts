// A council session in progress (问题共商): who is here, who speaks, motions and
// votes. Every rule is enforced here, on the server; every change is followed by
// a fresh snapshot of the session pushed to everyone in it. All state lives in
// the database, so any process can compute the snapshot and take the next action.
import { createHmac, randomBytes } from "node:crypto";
import type { z } from "zod";
import { sign, verifySignature } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import type { Constituency } from "~/utils/domain";
import { InputRejected, RuleBroken } from "~/utils/errors";
import type { Prisma } from "~/generated/prisma/client";
import { NotFound, loadSessionResource, requirePermission, type Actor, type SessionResource } from "~/utils/permissions.server";
import { publish, rooms } from "~/utils/realtime.server";
import { rightsChanged } from "~/utils/rights.server";
import { notify } from "./notification.server";
import { TOPIC_MOVES } from "./topic-states";
import { DEFAULT_OPTIONS, decide, quorum, type PassRule, type ballotInputSchema, type motionInputSchema } from "./vote-rules";

const CHECK_IN_TTL_MS = 6 * 3600_000;
type Db = Prisma.TransactionClient;

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

/** Checks a person in: by the QR code (themselves, with the token) or by the chair (anyone of the community). */
export async function checkIn(actor: Actor, sessionId: string, how: { token: string } | { userId: string }) {
  const s = await sessionOrThrow(sessionId);
  if (s.status === "adjourned" || s.status === "cancelled") throw new RuleBroken("errors.sessionOver");
  let userId: string;
  let method: string;
  if ("token" in how) {
    requirePermission(actor, "session:attend", s);
    checkToken(sessionId, how.token);
    userId = actor.userId;
    method = "qr";
  } else {
    requirePermission(actor, "session:chair", s);
    const member = await prisma.membership.findFirst({ where: { userId: how.userId, communityId: s.communityId }, select: { userId: true } });
    if (!member) throw new InputRejected("userId", "errors.notCommunityMember");
    userId = how.userId;
    method = "chair";
  }
  const seat = await prisma.councilSeat.findFirst({ where: { councilId: s.councilId, userId }, select: { constituency: true } });
  await prisma.attendance.upsert({
    where: { sessionId_userId: { sessionId, userId } },
    create: { sessionId, userId, kind: seat ? "member" : "observer", constituency: seat?.constituency, method },
    update: {},
  });
  announce(sessionId);
  return { userId, kind: seat ? "member" : "observer" };
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
}

export async function adjournSession(actor: Actor, sessionId: string) {
  const s = await sessionOrThrow(sessionId);
  requirePermission(actor, "session:chair", s);
  requireOpen(s);
  if (await prisma.motion.count({ where: { sessionId, status: "voting" } })) throw new RuleBroken("errors.voteStillOpen");
  await prisma.$transaction([
    prisma.councilSession.update({ where: { id: sessionId }, data: { status: "adjourned", adjournedAt: new Date(), floorUserId: null, floorSince: null } }),
    prisma.handRaise.updateMany({ where: { sessionId, loweredAt: null }, data: { loweredAt: new Date() } }),
    prisma.motion.updateMany({ where: { sessionId, status: { in: ["proposed", "seconded"] } }, data: { status: "withdrawn" } }),
  ]);
  // The agenda's text is now the record: open editors become readers at once.
  rightsChanged({ sessionId });
  announce(sessionId);
}

export async function openItem(actor: Actor, sessionId: string, itemId: string) {
  const s = await sessionOrThrow(sessionId);
  requirePermission(actor, "session:chair", s);
  requireOpen(s);
  if (!(await prisma.agendaItem.findFirst({ where: { id: itemId, sessionId }, select: { id: true } }))) throw new InputRejected("itemId", "errors.itemInvalid");
  if (await prisma.motion.count({ where: { sessionId, status: "voting" } })) throw new RuleBroken("errors.voteStillOpen");
  await prisma.councilSession.update({ where: { id: sessionId }, data: { currentItemId: itemId, itemOpenedAt: new Date(), floorUserId: null, floorSince: null } });
  announce(sessionId);
}

export async function raiseHand(actor: Actor, sessionId: string) {
  const s = await sessionOrThrow(sessionId);
  requireOpen(s);
  if (!(await attendee(sessionId, actor.userId))) throw new RuleBroken("errors.notCheckedIn");
  const open = await prisma.handRaise.findFirst({ where: { sessionId, userId: actor.userId, loweredAt: null }, select: { id: true } });
  if (!open) await prisma.handRaise.create({ data: { sessionId, userId: actor.userId } });
  announce(sessionId);
}

/** Lowers a hand: one's own, or anyone's by the chair. */
export async function lowerHand(actor: Actor, sessionId: string, userId = actor.userId) {
  const s = await sessionOrThrow(sessionId);
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
  const seat = await prisma.councilSeat.findUnique({ where: { councilId_userId: { councilId: s.councilId, userId: input.grantorId } }, select: { constituency: true } });
  if (seat?.constituency !== "resident") throw new InputRejected("grantorId", "errors.proxyGrantorInvalid");
  const head = await prisma.membership.findFirst({
    where: { userId: input.proxyId, communityId: s.communityId, role: { in: ["buildingHead", "unitHead"] } },
    select: { id: true },
  });
  if (!head) throw new InputRejected("proxyId", "errors.proxyHolderInvalid");
  await prisma.proxyAuthorization.upsert({
    where: { sessionId_grantorId: { sessionId, grantorId: input.grantorId } },
    create: { sessionId, grantorId: input.grantorId, proxyId: input.proxyId, recordedById: actor.userId, note: input.note ?? "" },
    update: { proxyId: input.proxyId, recordedById: actor.userId, note: input.note ?? "", revokedAt: null },
  });
  announce(sessionId);
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
}

export async function withdrawMotion(actor: Actor, motionId: string) {
  const { motion, session } = await motionOrThrow(motionId);
  if (motion.proposerId !== actor.userId) requirePermission(actor, "session:chair", session);
  const { count } = await prisma.motion.updateMany({ where: { id: motionId, status: { in: ["proposed", "seconded"] } }, data: { status: "withdrawn" } });
  if (count !== 1) throw new RuleBroken("errors.motionNotOpenForChange");
  announce(session.sessionId);
}

/**
 * Seated members in the room, and those represented by a proxy holder who is.
 * Inside a transaction pass its client: with one SQLite connection, a query on
 * the outer client would wait for the transaction to end.
 */
async function presence(sessionId: string, councilId: string, db: Db = prisma) {
  const [seats, attendance, proxies] = await Promise.all([
    db.councilSeat.findMany({ where: { councilId }, select: { userId: true, constituency: true } }),
    db.attendance.findMany({ where: { sessionId }, select: { userId: true, kind: true } }),
    db.proxyAuthorization.findMany({ where: { sessionId, revokedAt: null }, select: { grantorId: true, proxyId: true } }),
  ]);
  const here = new Set(attendance.filter((a) => a.kind === "member").map((a) => a.userId));
  const inRoom = new Set(attendance.map((a) => a.userId));
  for (const p of proxies) if (inRoom.has(p.proxyId)) here.add(p.grantorId);
  const seated = seats.length;
  const present = seats.filter((s) => here.has(s.userId));
  const byConstituency: Record<string, { seated: number; present: number }> = {};
  for (const s of seats) {
    const c = (byConstituency[s.constituency] ??= { seated: 0, present: 0 });
    c.seated++;
    if (here.has(s.userId)) c.present++;
  }
  return { seated, present: present.length, byConstituency, here };
}

async function quorumOf(sessionId: string, councilId: string) {
  const [council, p] = await Promise.all([
    prisma.council.findUniqueOrThrow({ where: { id: councilId }, select: { quorumRatio: true, quorumInclusive: true } }),
    presence(sessionId, councilId),
  ]);
  return { ...quorum(p.seated, p.present, council.quorumRatio, council.quorumInclusive), byConstituency: p.byConstituency };
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
}

/** How a ballot row names its voter: the user id, or for a secret vote an HMAC under the motion's key (erased at close). */
function voterKeyOf(ballot: string, secretKey: string | null, voterId: string): string {
  return ballot === "secret" ? createHmac("sha256", secretKey ?? "").update(voterId).digest("base64url") : voterId;
}

export type BallotAck = { clientBallotId: string; status: "recorded" | "duplicate" | "superseded" };

/**
 * Casts (or changes) a ballot exactly once: the same clientBallotId is
 * acknowledged without counting again, and a ballot with a lower seq than
 * the voter's stored one (a late retry) never overwrites a newer choice.
 *
 * Ballots are group-committed: those that arrive while a write is in flight
 * are checked together (a handful of reads for the whole group) and written in
 * one transaction, then each is acknowledged. Durability is the same — no
 * acknowledgement before the commit — at a fraction of the cost per ballot.
 */
export function castBallot(actor: Actor, input: BallotInput): Promise<BallotAck> {
  return new Promise((resolve, reject) => {
    box.queue.push({ actor, input, resolve, reject });
    if (!box.running) {
      box.running = true;
      setImmediate(() => void drain());
    }
  });
}

type BallotInput = z.infer<typeof ballotInputSchema>;
type Job = { actor: Actor; input: BallotInput; resolve: (ack: BallotAck) => void; reject: (error: unknown) => void };
type Checked = Job & { motionId: string; sessionId: string; voterId: string; voterKey: string; constituency: string; castById: string | null; proxy: boolean };
// Per module copy, unlike the caches below: its errors are this copy's classes, which the
// callers of this copy recognise (instanceof) and turn into a 409 or a translated refusal.
const box = { queue: [] as Job[], running: false };
/** Statements per transaction stay well inside what one commit should carry. */
const MAX_GROUP = 400;

async function drain(): Promise<void> {
  try {
    while (box.queue.length > 0) {
      const group = box.queue.splice(0, MAX_GROUP);
      try {
        await castGroup(group);
      } catch (error) {
        for (const job of group) job.reject(error);
      }
    }
  } finally {
    box.running = false;
  }
}

async function castGroup(group: Job[]): Promise<void> {
  const motions = new Map(
    (
      await prisma.motion.findMany({
        where: { id: { in: [...new Set(group.map((j) => j.input.motionId))] } },
        select: {
          id: true,
          status: true,
          options: true,
          ballot: true,
          secretKey: true,
          session: { select: { id: true, status: true, councilId: true, chairId: true, council: { select: { communityId: true } } } },
        },
      })
    ).map((m) => [m.id, m]),
  );
  const sessions = [...new Set([...motions.values()].map((m) => m.session.id))];
  const councils = [...new Set([...motions.values()].map((m) => m.session.councilId))];
  const [attendance, seats, proxies] = await Promise.all([
    prisma.attendance.findMany({ where: { sessionId: { in: sessions }, userId: { in: [...new Set(group.map((j) => j.actor.userId))] } }, select: { sessionId: true, userId: true, kind: true } }),
    prisma.councilSeat.findMany({
      where: { councilId: { in: councils }, userId: { in: [...new Set(group.map((j) => j.input.onBehalfOf ?? j.actor.userId))] } },
      select: { councilId: true, userId: true, constituency: true },
    }),
    group.some((j) => j.input.onBehalfOf)
      ? prisma.proxyAuthorization.findMany({
          where: { sessionId: { in: sessions }, proxyId: { in: group.filter((j) => j.input.onBehalfOf).map((j) => j.actor.userId) }, revokedAt: null },
          select: { sessionId: true, grantorId: true, proxyId: true },
        })
      : [],
  ]);
  const here = new Map(attendance.map((a) => [`${a.sessionId}:${a.userId}`, a.kind]));
  const seatOf = new Map(seats.map((s) => [`${s.councilId}:${s.userId}`, s.constituency]));
  const proxyOk = new Set(proxies.map((p) => `${p.sessionId}:${p.grantorId}:${p.proxyId}`));

  const checked: Checked[] = [];
  for (const job of group) {
    try {
      const { actor, input } = job;
      const motion = motions.get(input.motionId);
      if (!motion) throw new NotFound("motion");
      const session: SessionResource = {
        type: "session",
        sessionId: motion.session.id,
        status: motion.session.status,
        councilId: motion.session.councilId,
        communityId: motion.session.council.communityId,
        chairId: motion.session.chairId,
      };
      if (motion.status !== "voting") throw new RuleBroken("errors.voteClosed");
      if (!(JSON.parse(motion.options) as string[]).includes(input.choice)) throw new InputRejected("choice", "errors.choiceInvalid");
      const caster = here.get(`${session.sessionId}:${actor.userId}`);
      if (input.onBehalfOf) {
        if (!proxyOk.has(`${session.sessionId}:${input.onBehalfOf}:${actor.userId}`)) throw new RuleBroken("errors.noProxy");
        if (!caster) throw new RuleBroken("errors.notCheckedIn");
      } else {
        requirePermission(actor, "vote:cast", session);
        if (caster !== "member") throw new RuleBroken("errors.notCheckedIn");
      }
      const voterId = input.onBehalfOf ?? actor.userId;
      const constituency = seatOf.get(`${session.councilId}:${voterId}`);
      if (!constituency) throw new RuleBroken("errors.notSeated");
      checked.push({
        ...job,
        motionId: motion.id,
        sessionId: session.sessionId,
        voterId,
        voterKey: voterKeyOf(motion.ballot, motion.secretKey, voterId),
        constituency,
        castById: motion.ballot === "secret" ? null : actor.userId,
        proxy: Boolean(input.onBehalfOf),
      });
    } catch (error) {
      job.reject(error);
    }
  }
  if (checked.length === 0) return;

  let changed: number[];
  try {
    changed = await writeBallots(checked);
  } catch {
    // One bad ballot (say, a reused clientBallotId) must not sink the others: write them one by one.
    changed = [];
    for (const c of checked) changed.push(await writeBallots([c]).then((r) => r[0]!, () => -1));
  }
  const unchanged = checked.filter((_, i) => changed[i] === 0);
  const [stored, open] = unchanged.length
    ? await Promise.all([
        prisma.ballot.findMany({ where: { motionId: { in: [...new Set(unchanged.map((c) => c.motionId))] }, voterKey: { in: unchanged.map((c) => c.voterKey) } }, select: { motionId: true, voterKey: true, clientBallotId: true } }),
        prisma.motion.findMany({ where: { id: { in: [...new Set(unchanged.map((c) => c.motionId))] }, status: "voting" }, select: { id: true } }),
      ])
    : [[], []];
  const storedId = new Map(stored.map((b) => [`${b.motionId}:${b.voterKey}`, b.clientBallotId]));
  const stillOpen = new Set(open.map((m) => m.id));
  const tallies = new Map<string, string>();
  checked.forEach((c, i) => {
    const ack = (status: BallotAck["status"]) => c.resolve({ clientBallotId: c.input.clientBallotId, status });
    if (changed[i] === 1) {
      tallies.set(c.motionId, c.sessionId);
      return ack("recorded");
    }
    if (changed[i] === -1) return c.reject(new RuleBroken("errors.ballotIdInvalid"));
    // Nothing changed: the vote closed meanwhile, or this ballot (or a newer one) is already in.
    if (storedId.get(`${c.motionId}:${c.voterKey}`) === c.input.clientBallotId) return ack("duplicate");
    if (!stillOpen.has(c.motionId)) return c.reject(new RuleBroken("errors.voteClosed"));
    ack("superseded");
  });
  for (const [motionId, sessionId] of tallies) scheduleTally(sessionId, motionId);
}

/**
 * One write transaction for a group, two statements per ballot and no reads.
 * A ballot lands only while its motion is voting (the close flips the status in
 * its own transaction, so nothing lands after it); the unique key holds one row
 * per voter, replaced only by a newer seq. Returns the rows changed per ballot.
 */
async function writeBallots(ballots: Checked[]): Promise<number[]> {
  const results = await prisma.$transaction(
    ballots.flatMap((b) => [
      prisma.$executeRaw`INSERT INTO "Ballot" ("id", "motionId", "voterKey", "choice", "constituency", "clientBallotId", "seq", "castById", "proxy")
        SELECT ${randomBytes(12).toString("base64url")}, ${b.motionId}, ${b.voterKey}, ${b.input.choice}, ${b.constituency}, ${b.input.clientBallotId}, ${b.input.seq}, ${b.castById}, ${b.proxy}
        WHERE EXISTS (SELECT 1 FROM "Motion" WHERE "id" = ${b.motionId} AND "status" = 'voting')
        ON CONFLICT ("motionId", "voterKey") DO UPDATE SET "choice" = excluded."choice", "seq" = excluded."seq", "clientBallotId" = excluded."clientBallotId",
          "castById" = excluded."castById", "proxy" = excluded."proxy"
        WHERE excluded."seq" > "Ballot"."seq"`,
      prisma.$executeRaw`INSERT INTO "BallotReceipt" ("motionId", "userId")
        SELECT ${b.motionId}, ${b.voterId} WHERE EXISTS (SELECT 1 FROM "Motion" WHERE "id" = ${b.motionId} AND "status" = 'voting')
        ON CONFLICT ("motionId", "userId") DO NOTHING`,
    ]),
  );
  return ballots.map((_, i) => results[i * 2]!);
}

type Counts = Record<string, number>;
async function countBallots(motionId: string, options: string[], db: Db = prisma) {
  const rows = await db.ballot.groupBy({ by: ["choice", "constituency"], where: { motionId }, _count: { _all: true } });
  const counts: Counts = Object.fromEntries(options.map((o) => [o, 0]));
  const byConstituency: Record<string, Counts> = {};
  for (const r of rows) {
    counts[r.choice] = (counts[r.choice] ?? 0) + r._count._all;
    const c = (byConstituency[r.constituency] ??= Object.fromEntries(options.map((o) => [o, 0])));
    c[r.choice] = (c[r.choice] ?? 0) + r._count._all;
  }
  return { counts, byConstituency, cast: rows.reduce((n, r) => n + r._count._all, 0) };
}

export type MotionResult = {
  counts: Counts;
  byConstituency: Record<string, Counts>;
  cast: number;
  present: number;
  presentByConstituency: Record<string, number>;
  eligible: number;
  passRule: PassRule;
  constituencies: Constituency[];
  passed: boolean;
  winner: string | null;
  failedIn: string[];
  /** Open ballots only: who chose what, proxy votes marked. */
  roll?: { name: string; choice: string; proxy: boolean; castBy: string | null }[];
};

/** Closes the vote: the result is computed here, stored once, and becomes the item's resolution. */
export async function closeVote(actor: Actor, motionId: string): Promise<MotionResult> {
  const { motion, session } = await motionOrThrow(motionId);
  requirePermission(actor, "session:chair", session);
  if (motion.status !== "voting") throw new RuleBroken("errors.voteClosed");
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
        (await tx.user.findMany({ where: { id: { in: ballots.flatMap((b) => [b.voterKey, b.castById ?? b.voterKey]) } }, select: { id: true, displayName: true } })).map((u) => [u.id, u.displayName]),
      );
      r.roll = ballots.map((b) => ({ name: names.get(b.voterKey) ?? "?", choice: b.choice, proxy: b.proxy, castBy: b.proxy ? (names.get(b.castById ?? "") ?? null) : null }));
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
        data: { topicId: item.topicId, type: r.passed ? "resolved" : "voteFailed", actorId: actor.userId, data: JSON.stringify({ motion: motion.text, counts: r.counts, sessionId: session.sessionId }) },
      });
      if (r.passed) await tx.topic.updateMany({ where: { id: item.topicId, status: { in: [...TOPIC_MOVES.resolve.from] } }, data: { status: TOPIC_MOVES.resolve.to } });
    }
    return { r, topicId: item.topicId };
  });
  publish(rooms.session(session.sessionId), "vote:closed", { motionId, result: result.r });
  announce(session.sessionId);
  if (result.topicId) {
    const t = await prisma.topic.findUniqueOrThrow({ where: { id: result.topicId }, select: { raisedById: true, title: true, coSigns: { select: { userId: true } } } });
    await notify([t.raisedById, ...t.coSigns.map((c) => c.userId)], "topicMoved", { topicId: result.topicId }, { title: t.title, status: result.r.passed ? "resolved" : "voteFailed" });
  }
  return result.r;
}

// ——— Live state ———

export type LiveTally = { motionId: string; cast: number; eligible: number; counts?: Counts; byConstituency?: Record<string, Counts> };

async function tallyOf(motionId: string): Promise<LiveTally> {
  const motion = await prisma.motion.findUniqueOrThrow({ where: { id: motionId }, select: { options: true, hideResults: true, session: { select: { councilId: true } } } });
  const [t, eligible] = await Promise.all([countBallots(motionId, JSON.parse(motion.options) as string[]), prisma.councilSeat.count({ where: { councilId: motion.session.councilId } })]);
  return motion.hideResults ? { motionId, cast: t.cast, eligible } : { motionId, cast: t.cast, eligible, counts: t.counts, byConstituency: t.byConstituency };
}

// The live tally goes out at most every 100 ms per motion, however fast ballots arrive:
// the first ballot after a quiet spell is pushed at once, the rest once per period, and a
// motion that has been quiet for a period is forgotten (a long meeting leaves nothing behind).
const TALLY_EVERY_MS = 100;
const tallyTimers = new Map<string, { again: boolean }>();
function scheduleTally(sessionId: string, motionId: string): void {
  const pending = tallyTimers.get(motionId);
  if (pending) return void (pending.again = true);
  const entry = { again: true };
  tallyTimers.set(motionId, entry);
  const tick = () => {
    if (!entry.again) return void tallyTimers.delete(motionId);
    entry.again = false;
    tallyOf(motionId)
      .then((tally) => publish(rooms.session(sessionId), "vote:tally", tally))
      .catch((e) => console.error("[live] tally", e));
    setTimeout(tick, TALLY_EVERY_MS);
  };
  setTimeout(tick, 0);
}

/**
 * The live state, the same for everyone. Computed at most once per change:
 * many people (re)joining at once share one computation (a council of a
 * thousand checking in would otherwise compute it a thousand times).
 */
// One per process (one module graph): an action through the API invalidates what a Socket.IO join would serve.
const snapshots = new Map<string, Promise<SharedState>>();
function sharedState(sessionId: string): Promise<SharedState> {
  let snapshot = snapshots.get(sessionId);
  if (!snapshot) {
    snapshot = computeState(sessionId);
    snapshots.set(sessionId, snapshot);
    snapshot.catch(() => snapshots.delete(sessionId));
    // Even without a change, no snapshot is served for long (timers, server time).
    setTimeout(() => snapshots.get(sessionId) === snapshot && snapshots.delete(sessionId), 1000).unref();
  }
  return snapshot;
}

/** The state as one person sees it: the shared state, plus their own place in it. */
export async function liveState(sessionId: string, viewer?: Actor) {
  const shared = await sharedState(sessionId);
  const voting = shared.motions.find((m) => m.status === "voting");
  // The tally moves with every ballot: counted fresh (one small query), never cached with the rest.
  const state = { ...shared, tally: voting ? await tallyOf(voting.id) : null };
  if (!viewer) return { ...state, me: null };
  const proxyFor = state.proxies.filter((p) => p.proxyId === viewer.userId);
  return {
    ...state,
    me: {
      userId: viewer.userId,
      // What this viewer (and those they vote for by proxy) chose in the open vote, so a reload shows it again.
      ballots: voting ? await ownBallots(voting.id, [viewer.userId, ...proxyFor.map((p) => p.grantorId)]) : {},
      checkedIn: state.attendance.find((a) => a.userId === viewer.userId)?.kind ?? null,
      handRaised: state.hands.some((h) => h.userId === viewer.userId),
      proxyFor: proxyFor.map((p) => ({ userId: p.grantorId, name: p.grantor })),
    },
  };
}

async function computeState(sessionId: string) {
  const s = await prisma.councilSession.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      // Read with the rest: a snapshot is at least as new as its version. Every change is followed by
      // an increment and a push (announce), so the newest version a client holds has every change
      // (pushes can overtake each other, and a process may serve a cached one for a moment).
      stateVersion: true,
      title: true,
      status: true,
      councilId: true,
      chairId: true,
      openedAt: true,
      adjournedAt: true,
      currentItemId: true,
      itemOpenedAt: true,
      floorUserId: true,
      floorSince: true,
      speakerLimitSec: true,
      agendaItems: { orderBy: { position: "asc" }, select: { id: true, title: true, position: true, timeSlotMin: true, resolutionText: true, resolvedAt: true, topicId: true } },
      attendance: { orderBy: { checkedInAt: "asc" }, select: { userId: true, kind: true, constituency: true, method: true } },
      hands: { where: { loweredAt: null }, orderBy: { raisedAt: "asc" }, select: { userId: true, raisedAt: true } },
      proxies: { where: { revokedAt: null }, select: { grantorId: true, proxyId: true } },
      motions: {
        where: { status: { not: "withdrawn" } },
        orderBy: { createdAt: "asc" },
        select: { id: true, agendaItemId: true, text: true, proposerId: true, seconderId: true, options: true, ballot: true, passRule: true, constituencies: true, hideResults: true, status: true, result: true },
      },
    },
  });
  if (!s) throw new NotFound("session");
  const q = await quorumOf(sessionId, s.councilId);
  const ids = new Set([...s.attendance.map((a) => a.userId), ...s.hands.map((h) => h.userId), ...s.motions.flatMap((m) => [m.proposerId, m.seconderId ?? ""]), s.floorUserId ?? "", ...s.proxies.flatMap((p) => [p.grantorId, p.proxyId])]);
  const names = new Map((await prisma.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, displayName: true } })).map((u) => [u.id, u.displayName]));
  const name = (id: string | null) => (id ? (names.get(id) ?? "?") : null);
  const current = s.agendaItems.find((i) => i.id === s.currentItemId) ?? null;
  // Only the latest result carries its roll call: in a council of a thousand each roll is
  // tens of kilobytes, and every state goes to everyone (older rolls stay in the database).
  const lastClosed = s.motions.filter((m) => m.status === "closed").at(-1)?.id;
  return {
    sessionId: s.id,
    title: s.title,
    status: s.status,
    chairId: s.chairId,
    openedAt: s.openedAt?.toISOString() ?? null,
    adjournedAt: s.adjournedAt?.toISOString() ?? null,
    version: s.stateVersion,
    serverTime: new Date().toISOString(),
    items: s.agendaItems.map((i) => ({ ...i, resolvedAt: i.resolvedAt?.toISOString() ?? null })),
    currentItem: current
      ? {
          id: current.id,
          title: current.title,
          position: current.position,
          openedAt: s.itemOpenedAt?.toISOString() ?? null,
          endsAt: s.itemOpenedAt && current.timeSlotMin ? new Date(s.itemOpenedAt.getTime() + current.timeSlotMin * 60_000).toISOString() : null,
        }
      : null,
    floor: s.floorUserId ? { userId: s.floorUserId, name: name(s.floorUserId), since: s.floorSince?.toISOString() ?? null, limitSec: s.speakerLimitSec } : null,
    hands: s.hands.map((h) => ({ userId: h.userId, name: name(h.userId), raisedAt: h.raisedAt.toISOString() })),
    attendance: s.attendance.map((a) => ({ userId: a.userId, name: name(a.userId), kind: a.kind, constituency: a.constituency, method: a.method })),
    proxies: s.proxies.map((p) => ({ grantor: name(p.grantorId), grantorId: p.grantorId, proxy: name(p.proxyId), proxyId: p.proxyId })),
    quorum: q,
    motions: s.motions
      .filter((m) => m.agendaItemId === s.currentItemId || m.status === "voting")
      .map((m) => ({
        id: m.id,
        agendaItemId: m.agendaItemId,
        text: m.text,
        proposer: name(m.proposerId),
        proposerId: m.proposerId,
        seconder: name(m.seconderId),
        options: JSON.parse(m.options) as string[],
        ballot: m.ballot,
        passRule: m.passRule,
        constituencies: JSON.parse(m.constituencies) as string[],
        hideResults: m.hideResults,
        status: m.status,
        result: m.result ? withoutOldRoll(JSON.parse(m.result) as MotionResult, m.id === lastClosed) : null,
      })),
  };
}
type SharedState = Awaited<ReturnType<typeof computeState>>;

function withoutOldRoll(result: MotionResult, latest: boolean): MotionResult {
  if (latest || !result.roll) return result;
  const { roll: _roll, ...rest } = result;
  return rest;
}
export type LiveState = Awaited<ReturnType<typeof liveState>>;

/** The choices of these voters in an open vote, keyed like the page's ballots: motionId, or motionId:voterId for a proxy. */
async function ownBallots(motionId: string, voterIds: string[]): Promise<Record<string, string>> {
  const motion = await prisma.motion.findUniqueOrThrow({ where: { id: motionId }, select: { ballot: true, secretKey: true } });
  const keys = new Map(voterIds.map((id, i) => [voterKeyOf(motion.ballot, motion.secretKey, id), i === 0 ? motionId : `${motionId}:${id}`]));
  const rows = await prisma.ballot.findMany({ where: { motionId, voterKey: { in: [...keys.keys()] } }, select: { voterKey: true, choice: true } });
  return Object.fromEntries(rows.map((r) => [keys.get(r.voterKey)!, r.choice]));
}

// A change is pushed as a snapshot, coalesced: at most every 50 ms, and in a
// big room (the snapshot lists everyone present) one more millisecond per person,
// so a thousand people checking in cost about one push a second, not a thousand.
const stateTimers = new Map<string, NodeJS.Timeout>();
/** People present at each session's last push; only the most recent sessions are remembered. */
const roomSize = new Map<string, number>();
const ROOM_SIZES_KEPT = 500;
function announce(sessionId: string): void {
  snapshots.delete(sessionId);
  if (stateTimers.has(sessionId)) return;
  stateTimers.set(
    sessionId,
    setTimeout(
      () => {
        stateTimers.delete(sessionId);
        // The version counts changes in the database, so every process's pushes order the same way.
        prisma.councilSession
          .update({ where: { id: sessionId }, data: { stateVersion: { increment: 1 } }, select: { id: true } })
          .then(() => {
            snapshots.delete(sessionId);
            return liveState(sessionId);
          })
          .then((state) => {
            rememberRoomSize(sessionId, ["adjourned", "cancelled"].includes(state.status) ? null : state.attendance.length);
            publish(rooms.session(sessionId), "session:state", state);
          })
          .catch((e) => console.error("[live] state", e));
      },
      50 + Math.min(1000, roomSize.get(sessionId) ?? 0),
    ),
  );
}

function rememberRoomSize(sessionId: string, size: number | null): void {
  roomSize.delete(sessionId);
  if (size === null) return; // a session that is over needs no pacing
  roomSize.set(sessionId, size);
  if (roomSize.size > ROOM_SIZES_KEPT) roomSize.delete(roomSize.keys().next().value!);
}

/** What this process keeps in memory for live sessions (tests check that it drains). */
export function liveMemory() {
  return { tallyTimers: tallyTimers.size, stateTimers: stateTimers.size, roomSizes: roomSize.size, snapshots: snapshots.size };
}

/** For the pages and API: the state, after checking the viewer may see it. */
export async function viewLiveState(actor: Actor, sessionId: string) {
  const s = await sessionOrThrow(sessionId);
  requirePermission(actor, "session:view", s);
  return liveState(sessionId, actor);
}
