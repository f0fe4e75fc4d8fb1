// The live state of a council session: the same snapshot for everyone, computed
// from the database at most once per change and pushed to the session's room,
// plus the counts it is built from (presence, quorum, ballots). It never imports
// the commands (live-session.server.ts) or the ballot pipeline
// (live-ballots.server.ts): they call announce() and scheduleTally() after a change.
import { createHmac } from "node:crypto";
import type { Prisma } from "~/generated/prisma/client";
import { prisma } from "~/utils/db.server";
import type { Constituency } from "~/utils/domain";
import { NotFound, loadSessionResource, requirePermission, type Actor } from "~/utils/permissions.server";
import { publish, socketRooms } from "~/utils/realtime.server";
import { seatsInForce } from "./seat-terms";
import { quorum, type PassRule } from "./vote-rules";

type Tx = Prisma.TransactionClient;

/**
 * Seated members in the room, and those represented by a proxy holder who is.
 * Inside a transaction pass its client: with one SQLite connection, a query on
 * the outer client would wait for the transaction to end.
 */
export async function presence(sessionId: string, councilId: string, db: Tx = prisma, known?: KnownPresence) {
  // A session that is over keeps the seats it had when it adjourned; one in progress (or to come) counts the current terms.
  const adjournedAt = known
    ? known.adjournedAt
    : ((await db.councilSession.findUnique({ where: { id: sessionId }, select: { adjournedAt: true } }))?.adjournedAt ?? null);
  const [seats, attendance, proxies] = await Promise.all([
    db.councilSeat.findMany({ where: seatsInForce(councilId, adjournedAt), select: { userId: true, constituency: true } }),
    known?.attendance ?? db.attendance.findMany({ where: { sessionId }, select: { userId: true, kind: true } }),
    known?.proxies ?? db.proxyAuthorization.findMany({ where: { sessionId, revokedAt: null }, select: { grantorId: true, proxyId: true } }),
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

/**
 * What presence() would read about the session, when the caller has just read it (the live state
 * reads the session with its attendance and live proxies: four statements fewer per snapshot).
 */
type KnownPresence = {
  adjournedAt: Date | null;
  attendance: { userId: string; kind: string }[];
  proxies: { grantorId: string; proxyId: string }[];
};

export async function quorumOf(sessionId: string, councilId: string, known?: KnownPresence) {
  const [council, p] = await Promise.all([
    prisma.council.findUniqueOrThrow({ where: { id: councilId }, select: { quorumRatio: true, quorumInclusive: true } }),
    presence(sessionId, councilId, prisma, known),
  ]);
  return { ...quorum(p.seated, p.present, council.quorumRatio, council.quorumInclusive), byConstituency: p.byConstituency };
}

/** How a ballot row names its voter: the user id, or for a secret vote an HMAC under the motion's key (erased at close). */
export function voterKeyOf(ballot: string, secretKey: string | null, voterId: string): string {
  return ballot === "secret"
    ? createHmac("sha256", secretKey ?? "")
        .update(voterId)
        .digest("base64url")
    : voterId;
}

export type Counts = Record<string, number>;
export async function countBallots(motionId: string, options: string[], db: Tx = prisma) {
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

export type LiveTally = { motionId: string; cast: number; eligible: number; counts?: Counts; byConstituency?: Record<string, Counts> };

/** A vote is open only while its session is: the eligible are the members seated now. */
async function tallyOf(motionId: string): Promise<LiveTally> {
  const motion = await prisma.motion.findUniqueOrThrow({
    where: { id: motionId },
    select: { options: true, hideResults: true, session: { select: { councilId: true } } },
  });
  const [t, eligible] = await Promise.all([
    countBallots(motionId, JSON.parse(motion.options) as string[]),
    prisma.councilSeat.count({ where: seatsInForce(motion.session.councilId, null) }),
  ]);
  return motion.hideResults ? { motionId, cast: t.cast, eligible } : { motionId, cast: t.cast, eligible, counts: t.counts, byConstituency: t.byConstituency };
}

// The live tally goes out at most every 100 ms per motion, however fast ballots arrive:
// the first ballot after a quiet spell is pushed at once, the rest once per period, and a
// motion that has been quiet for a period is forgotten (a long meeting leaves nothing behind).
const TALLY_EVERY_MS = 100;
const tallyTimers = new Map<string, { again: boolean }>();
export function scheduleTally(sessionId: string, motionId: string): void {
  const pending = tallyTimers.get(motionId);
  if (pending) return void (pending.again = true);
  const entry = { again: true };
  tallyTimers.set(motionId, entry);
  const tick = () => {
    if (!entry.again) return void tallyTimers.delete(motionId);
    entry.again = false;
    tallyOf(motionId)
      .then((tally) => publish(socketRooms.session(sessionId), "vote:tally", tally))
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
//
// A snapshot older than a second is not recomputed (about fifteen statements) but checked: every
// change is followed by announce(), which increments the session's stateVersion in the database
// (on whichever process made it), so one read of the version says whether it still holds. With a
// hundred sessions filling up at once, a join found the 1 s snapshot expired nearly every time and
// the state cost more than the rest of connecting (connect profile, BENCHMARKS.md). Whatever changes
// without announce() (a display name) is still re-read after KEEP_MS.
const CHECK_AFTER_MS = 1000;
const KEEP_MS = 10_000;
/**
 * A snapshot nobody asked for in this long is let go (a session's memory ends with its joins). Not
 * shorter: with a hundred sessions filling up together, each session's joins came about a second
 * apart, a 1 s idle limit dropped the snapshot between them, and every join recomputed the whole
 * state; the slower joins then were, the more often they recomputed (connecting 2 000 took 3 s in
 * one run and 13–19 s in others on the same build; BENCHMARKS.md, issue 16).
 */
export const SNAPSHOT_IDLE_MS = 5000;
type Snapshot = { state: Promise<SharedState>; checkedAt: number; askedAt: number };
const snapshots = new Map<string, Snapshot>();
function sharedState(sessionId: string): Promise<SharedState> {
  const now = Date.now();
  const kept = snapshots.get(sessionId);
  if (!kept) return computeSnapshot(sessionId).state;
  kept.askedAt = now;
  if (now - kept.checkedAt > CHECK_AFTER_MS) {
    kept.checkedAt = now;
    kept.state = kept.state.then(async (state) => {
      const row = await prisma.councilSession.findUnique({ where: { id: sessionId }, select: { stateVersion: true } });
      if (row?.stateVersion === state.version) return state;
      if (snapshots.get(sessionId) === kept) snapshots.delete(sessionId);
      return computeSnapshot(sessionId).state;
    });
    kept.state.catch(() => snapshots.get(sessionId) === kept && snapshots.delete(sessionId));
  }
  return kept.state;
}

function computeSnapshot(sessionId: string): Snapshot {
  const computedAt = Date.now();
  const snapshot: Snapshot = { state: computeState(sessionId), checkedAt: computedAt, askedAt: computedAt };
  snapshots.set(sessionId, snapshot);
  snapshot.state.catch(() => snapshots.get(sessionId) === snapshot && snapshots.delete(sessionId));
  const expire = () => {
    if (snapshots.get(sessionId) !== snapshot) return;
    const now = Date.now();
    if (now - snapshot.askedAt >= SNAPSHOT_IDLE_MS || now - computedAt >= KEEP_MS) return void snapshots.delete(sessionId);
    setTimeout(expire, SNAPSHOT_IDLE_MS - (now - snapshot.askedAt)).unref();
  };
  setTimeout(expire, SNAPSHOT_IDLE_MS).unref();
  return snapshot;
}

/** The state as one person sees it: the shared state, plus their own place in it. */
export async function liveState(sessionId: string, viewer?: Actor) {
  const shared = await sharedState(sessionId);
  const voting = shared.motions.find((m) => m.status === "voting");
  // The tally moves with every ballot: counted fresh (one small query), never cached with the rest.
  // The server's clock as of now, not as of the snapshot (clients correct their timers with it).
  const state = { ...shared, serverTime: new Date().toISOString(), tally: voting ? await tallyOf(voting.id) : null };
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
      mode: true,
      selfCheckIn: true,
      agendaItems: {
        orderBy: { position: "asc" },
        select: { id: true, title: true, position: true, timeSlotMin: true, resolutionText: true, resolvedAt: true, topicId: true },
      },
      attendance: { orderBy: { checkedInAt: "asc" }, select: { userId: true, kind: true, constituency: true, method: true } },
      hands: { where: { loweredAt: null }, orderBy: { raisedAt: "asc" }, select: { userId: true, raisedAt: true } },
      proxies: { where: { revokedAt: null }, select: { grantorId: true, proxyId: true } },
      motions: {
        where: { status: { not: "withdrawn" } },
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          agendaItemId: true,
          text: true,
          proposerId: true,
          seconderId: true,
          options: true,
          ballot: true,
          passRule: true,
          constituencies: true,
          hideResults: true,
          status: true,
          result: true,
        },
      },
    },
  });
  if (!s) throw new NotFound("session");
  const q = await quorumOf(sessionId, s.councilId, { adjournedAt: s.adjournedAt, attendance: s.attendance, proxies: s.proxies });
  const ids = new Set([
    ...s.attendance.map((a) => a.userId),
    ...s.hands.map((h) => h.userId),
    ...s.motions.flatMap((m) => [m.proposerId, m.seconderId ?? ""]),
    s.floorUserId ?? "",
    ...s.proxies.flatMap((p) => [p.grantorId, p.proxyId]),
  ]);
  const names = new Map(
    (await prisma.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, displayName: true } })).map((u) => [u.id, u.displayName]),
  );
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
    mode: s.mode,
    /** Members not in the room may check themselves in (hybrid and online sessions, the chair's choice). */
    selfCheckIn: s.mode !== "inPerson" && s.selfCheckIn,
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
export function announce(sessionId: string): void {
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
            publish(socketRooms.session(sessionId), "session:state", state);
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
  const s = await loadSessionResource(sessionId);
  if (!s) throw new NotFound("session");
  requirePermission(actor, "session:view", s);
  return liveState(sessionId, actor);
}
