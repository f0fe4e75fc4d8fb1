// Ballots, counted exactly once (docs/decisions/0006-exactly-once-ballots.md):
// a group of ballots is checked with a handful of reads and written in one
// transaction, and each is acknowledged after the commit.
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { prisma, provider } from "~/utils/db.server";
import { sqliteWriter } from "~/utils/sqlite-writer.server";
import { InputRejected, RuleBroken } from "~/utils/errors";
import { NotFound, requirePermission, type Actor, type SessionResource } from "~/utils/permissions.server";
import { scheduleTally, voterKeyOf } from "./live-state.server";
import { CURRENT_SEAT } from "./seat-terms";
import type { ballotInputSchema } from "./vote-rules";

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
    prisma.attendance.findMany({
      where: { sessionId: { in: sessions }, userId: { in: [...new Set(group.map((j) => j.actor.userId))] } },
      select: { sessionId: true, userId: true, kind: true },
    }),
    prisma.councilSeat.findMany({
      where: { councilId: { in: councils }, userId: { in: [...new Set(group.map((j) => j.input.onBehalfOf ?? j.actor.userId))] }, ...CURRENT_SEAT },
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
      if (motion.status !== "voting") throw new RuleBroken(motion.status === "closed" ? "errors.voteClosed" : "errors.voteNotOpen");
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
    for (const c of checked)
      changed.push(
        await writeBallots([c]).then(
          (r) => r[0]!,
          () => -1,
        ),
      );
  }
  const unchanged = checked.filter((_, i) => changed[i] === 0);
  const [stored, open] = unchanged.length
    ? await Promise.all([
        prisma.ballot.findMany({
          where: { motionId: { in: [...new Set(unchanged.map((c) => c.motionId))] }, voterKey: { in: unchanged.map((c) => c.voterKey) } },
          select: { motionId: true, voterKey: true, clientBallotId: true },
        }),
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
 * The CASTs: PostgreSQL types an untyped parameter in a SELECT list as text (SQLite ignores them).
 */
async function writeBallots(ballots: Checked[]): Promise<number[]> {
  const writer = sqliteWriter(provider);
  if (writer) {
    // SQLite: the same two statements, prepared once, on the writer's connection (sqlite-writer.server.ts):
    // through Prisma each cost ~0.3 ms to compile and interpret, which capped a burst's group commit.
    return writer.write((w) => {
      const ballot = w.statement(BALLOT_SQL);
      const receipt = w.statement(RECEIPT_SQL);
      return ballots.map((b) => {
        const { changes } = ballot.run(
          randomBytes(12).toString("base64url"),
          b.motionId,
          b.voterKey,
          b.input.choice,
          b.constituency,
          b.input.clientBallotId,
          b.input.seq,
          b.castById,
          b.proxy ? 1 : 0,
          b.motionId,
        );
        receipt.run(b.motionId, b.voterId, b.motionId);
        return changes;
      });
    });
  }
  const results = await prisma.$transaction(
    ballots.flatMap((b) => [
      prisma.$executeRaw`INSERT INTO "Ballot" ("id", "motionId", "voterKey", "choice", "constituency", "clientBallotId", "seq", "castById", "proxy")
        SELECT ${randomBytes(12).toString("base64url")}, ${b.motionId}, ${b.voterKey}, ${b.input.choice}, ${b.constituency}, ${b.input.clientBallotId}, CAST(${b.input.seq} AS BIGINT), ${b.castById}, CAST(${b.proxy} AS BOOLEAN)
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

/** writeBallots' statements as SQLite takes them (positional parameters, in the order of the Prisma version's). */
const BALLOT_SQL = `INSERT INTO "Ballot" ("id", "motionId", "voterKey", "choice", "constituency", "clientBallotId", "seq", "castById", "proxy")
  SELECT ?, ?, ?, ?, ?, ?, CAST(? AS INTEGER), ?, ?
  WHERE EXISTS (SELECT 1 FROM "Motion" WHERE "id" = ? AND "status" = 'voting')
  ON CONFLICT ("motionId", "voterKey") DO UPDATE SET "choice" = excluded."choice", "seq" = excluded."seq", "clientBallotId" = excluded."clientBallotId",
    "castById" = excluded."castById", "proxy" = excluded."proxy"
  WHERE excluded."seq" > "Ballot"."seq"`;
const RECEIPT_SQL = `INSERT INTO "BallotReceipt" ("motionId", "userId")
  SELECT ?, ? WHERE EXISTS (SELECT 1 FROM "Motion" WHERE "id" = ? AND "status" = 'voting')
  ON CONFLICT ("motionId", "userId") DO NOTHING`;
