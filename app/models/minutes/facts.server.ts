// Keeps the minutes' fact blocks current from the database. The live session's commands call
// minutesFactsChanged() after they commit (like rightsChanged), naming the blocks whose facts
// changed; the blocks are rebuilt from the database and written into the Y.Doc through the
// document's room, so every open screen sees them at once and the secretary's text is untouched.
import { translator } from "~/i18n";
import { prisma } from "~/utils/db.server";
import { DEFAULT_LOCALE, minutesDocumentName } from "~/utils/domain";
import { formatDateTime } from "~/utils/format";
import type { MinutesFactKey, MinutesNode } from "./document";
import { factBlock, factKeys, type SessionFacts } from "./facts";
import { documents } from "./live-doc.server";
import { writeFactBlocks } from "./ydoc";
import { seatsInForce } from "../seat-terms";
import { quorum } from "../vote-rules";

/** Everything the fact blocks state, read from the database in one go. */
export async function loadSessionFacts(sessionId: string): Promise<SessionFacts | null> {
  const s = await prisma.councilSession.findUnique({
    where: { id: sessionId },
    select: {
      title: true,
      scheduledAt: true,
      openedAt: true,
      adjournedAt: true,
      place: true,
      chairId: true,
      secretaryId: true,
      councilId: true,
      council: { select: { quorumRatio: true, quorumInclusive: true, community: { select: { name: true } } } },
      attendance: { select: { userId: true, kind: true }, orderBy: { checkedInAt: "asc" } },
      proxies: { where: { revokedAt: null }, select: { grantorId: true, proxyId: true } },
      agendaItems: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          position: true,
          title: true,
          resolutionText: true,
          resolutionMotionId: true,
          motions: { orderBy: { createdAt: "asc" }, select: { id: true, text: true, status: true, ballot: true, result: true } },
        },
      },
    },
  });
  if (!s) return null;
  const seats = await prisma.councilSeat.findMany({
    where: seatsInForce(s.councilId, s.adjournedAt),
    orderBy: { seatedAt: "asc" },
    select: { userId: true, constituency: true },
  });
  const ids = new Set([...seats.map((x) => x.userId), ...s.attendance.map((a) => a.userId), ...s.proxies.flatMap((p) => [p.grantorId, p.proxyId])]);
  if (s.chairId) ids.add(s.chairId);
  if (s.secretaryId) ids.add(s.secretaryId);
  const names = new Map(
    (await prisma.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, displayName: true } })).map((u) => [u.id, u.displayName]),
  );
  const name = (id: string) => names.get(id) ?? "?";

  const inRoom = new Set(s.attendance.map((a) => a.userId));
  const memberHere = new Set(s.attendance.filter((a) => a.kind === "member").map((a) => a.userId));
  const byProxy = new Set(s.proxies.filter((p) => inRoom.has(p.proxyId)).map((p) => p.grantorId));
  const groups = new Map<string, { constituency: string; present: string[]; absent: string[] }>();
  for (const seat of seats) {
    const g = groups.get(seat.constituency) ?? { constituency: seat.constituency, present: [], absent: [] };
    groups.set(seat.constituency, g);
    if (memberHere.has(seat.userId)) g.present.push(name(seat.userId));
    else if (byProxy.has(seat.userId)) g.present.push(`${name(seat.userId)}*`);
    else g.absent.push(name(seat.userId));
  }
  const tasks = await prisma.task.findMany({
    where: { parentId: null, agendaItem: { sessionId } },
    orderBy: { createdAt: "asc" },
    select: {
      title: true,
      deadline: true,
      agendaItem: { select: { position: true } },
      organization: { select: { name: true } },
      owner: { select: { displayName: true } },
    },
  });
  const present = seats.filter((x) => memberHere.has(x.userId) || byProxy.has(x.userId)).length;
  return {
    title: s.title,
    community: s.council.community.name,
    scheduledAt: s.scheduledAt,
    openedAt: s.openedAt,
    endedAt: s.adjournedAt,
    place: s.place,
    chair: s.chairId ? name(s.chairId) : "",
    secretary: s.secretaryId ? name(s.secretaryId) : "",
    attendance: {
      byConstituency: [...groups.values()],
      observers: s.attendance.filter((a) => a.kind !== "member").map((a) => name(a.userId)),
      proxies: s.proxies.map((p) => ({ grantor: name(p.grantorId), proxy: name(p.proxyId) })),
      quorum: quorum(seats.length, present, s.council.quorumRatio, s.council.quorumInclusive),
    },
    items: s.agendaItems.map((i) => ({
      id: i.id,
      position: i.position,
      title: i.title,
      motions: i.motions.map((m) => {
        const r = m.result ? (JSON.parse(m.result) as NonNullable<SessionFacts["items"][number]["motions"][number]["result"]>) : null;
        return {
          text: m.text,
          status: m.status,
          ballot: m.ballot,
          result: r ? { counts: r.counts, passed: r.passed, winner: r.winner, cast: r.cast, present: r.present, eligible: r.eligible } : null,
        };
      }),
      // A resolution (决议) is a motion that carried.
      resolution:
        i.resolutionMotionId && i.motions.some((m) => m.id === i.resolutionMotionId && m.result && JSON.parse(m.result).passed) ? i.resolutionText : null,
    })),
    tasks: tasks.map((task) => ({
      itemPosition: task.agendaItem?.position ?? 0,
      title: task.title,
      organization: task.organization.name,
      owner: task.owner?.displayName ?? "",
      deadline: task.deadline,
    })),
  };
}

/** The blocks for `keys` (all when omitted) in the community's language (zh-CN: the record is kept in Chinese). */
export function buildFactBlocks(facts: SessionFacts, keys?: MinutesFactKey[]): { blocks: Map<MinutesFactKey, MinutesNode[]>; order: MinutesFactKey[] } {
  const t = translator(DEFAULT_LOCALE);
  const date = (d: Date) => formatDateTime(d, DEFAULT_LOCALE);
  const order = factKeys(facts);
  const wanted = keys ? order.filter((k) => keys.includes(k)) : order;
  return { blocks: new Map(wanted.map((k) => [k, factBlock(k, facts, (key, values) => t(key, values ?? {}), date)])), order };
}

/**
 * Creates the minutes if the session has begun and they do not exist yet, then rewrites the
 * fact blocks named (or all) in the document. Nothing is written once the minutes are approved:
 * from then on they are the record.
 */
export async function writeMinutesFacts(sessionId: string, keys?: MinutesFactKey[]): Promise<MinutesFactKey[]> {
  const session = await prisma.councilSession.findUnique({
    where: { id: sessionId },
    select: { status: true, minutes: { select: { id: true, state: true } } },
  });
  if (!session || session.status === "scheduled" || session.status === "cancelled") return [];
  let minutes = session.minutes;
  let created = false;
  if (!minutes) {
    minutes = await prisma.minutes.upsert({ where: { sessionId }, create: { sessionId }, update: {}, select: { id: true, state: true } });
    created = true;
  }
  if (minutes.state === "approved" || minutes.state === "published") return [];
  const facts = await loadSessionFacts(sessionId);
  if (!facts) return [];
  // A new document gets every block, whatever was asked.
  const { blocks, order } = buildFactBlocks(facts, created ? undefined : keys);
  let changed: MinutesFactKey[] = [];
  await documents().change(minutesDocumentName(sessionId), (doc) => {
    changed = writeFactBlocks(doc, blocks, order, { complete: !keys || created });
  });
  if (created) await prisma.minutesEvent.create({ data: { minutesId: minutes.id, type: "created" } });
  return changed;
}

// Calls for one session are coalesced: a write waits FACTS_DELAY_MS for more calls, and calls
// made while a write runs gather their keys for the next one, so two hundred people checking in
// at once cost a handful of writes, not one each (each reads the facts and writes the document,
// and a write per check-in starved the ballots of a 200-member vote).
const FACTS_DELAY_MS = 200;
const waiting = new Map<string, { keys: Set<MinutesFactKey> | null; done: (() => void)[] }>();
const running = new Set<string>();

/**
 * The facts behind `keys` (all blocks when omitted) changed in the database: rewrite them in the
 * minutes. Call after the change is committed. Never throws (a failure is logged; the next change
 * or opening the minutes rewrites every block); resolves when the blocks are written.
 */
export function minutesFactsChanged(sessionId: string, keys?: MinutesFactKey[]): Promise<void> {
  return new Promise((resolve) => {
    const entry = waiting.get(sessionId) ?? { keys: new Set<MinutesFactKey>(), done: [] };
    if (!keys) entry.keys = null;
    else if (entry.keys) for (const k of keys) entry.keys.add(k);
    entry.done.push(resolve);
    waiting.set(sessionId, entry);
    if (!running.has(sessionId)) {
      running.add(sessionId);
      setTimeout(() => void drain(sessionId), FACTS_DELAY_MS);
    }
  });
}

async function drain(sessionId: string): Promise<void> {
  try {
    for (let entry = waiting.get(sessionId); entry; entry = waiting.get(sessionId)) {
      waiting.delete(sessionId);
      try {
        await writeMinutesFacts(sessionId, entry.keys ? [...entry.keys] : undefined);
      } catch (error) {
        console.error(`[minutes] updating the facts of session ${sessionId} failed`, error);
      }
      for (const done of entry.done) done();
      if (waiting.has(sessionId)) await new Promise((r) => setTimeout(r, FACTS_DELAY_MS));
    }
  } finally {
    running.delete(sessionId);
  }
}
