// The points ledger (积分账本): append-only, double entry (docs/volunteer.md).
// - Every point is a PointEntry row in a PointTransaction whose entries sum to zero: issued by the
//   community's issuance account, held by residents, taken by merchants, or expired.
// - A balance is SUM(amount) of an account's entries, never a stored number.
// - Nothing is updated or deleted: a correction is a reversing transaction with a reason.
// - No resident or merchant account goes below zero, also under concurrent debits on SQLite and
//   PostgreSQL alike: each account's entries carry seq 1, 2, 3… with UNIQUE (accountId, seq).
//   A writer reads balance and last seq in its transaction and inserts seq + 1; a concurrent
//   writer that read the same state collides on the key, rolls back and tries again with the
//   new balance. No SELECT … FOR UPDATE, no isolation level that one database lacks.
import type { Prisma } from "~/generated/prisma/client";
import { prisma } from "~/utils/db.server";
import { Refusal, RuleBroken } from "~/utils/errors";
import { expiringPoints, expiryCutoff } from "./volunteer-rules";

export type Tx = Prisma.TransactionClient;
export const ACCOUNT_KINDS = ["issuance", "resident", "merchant", "expired"] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];
export const TRANSACTION_KINDS = ["issue", "redeem", "reverse", "expire"] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

/** The ledger is busy: a debit lost the race for an account's next seq this many times in a row. */
export class LedgerBusy extends Refusal {
  constructor() {
    super(503, "errors.pointsBusy");
  }
}

/** A unique-key collision (P2002), or PostgreSQL giving up a transaction (P2034: deadlock, serialization). */
function isConflict(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  if (code === "P2002" || code === "P2034") return true;
  const message = String((error as { message?: string })?.message ?? "");
  return /Unique constraint|UNIQUE constraint|duplicate key|deadlock/i.test(message);
}

export const LEDGER_ATTEMPTS = 300;
/** Collisions retried by this process since it started (tests and benchmarks read it). */
export const ledgerStats = { retries: 0 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `work` in a transaction and runs it again when it collides with a concurrent writer
 * (bounded: after LEDGER_ATTEMPTS the caller gets 503 and may try later). `work` must be
 * repeatable: it reads everything it decides on inside the transaction.
 */
export async function inLedger<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(work, { maxWait: 20_000, timeout: 30_000 });
    } catch (error) {
      if (!isConflict(error)) throw error;
      if (attempt >= LEDGER_ATTEMPTS) throw new LedgerBusy();
      ledgerStats.retries++;
      // Jitter spreads the losers out so they do not collide again in lockstep.
      await sleep(Math.random() * Math.min(50, 2 * attempt));
    }
  }
}

/** The account of a kind and owner in a community, made on first use. */
export async function accountId(tx: Tx, communityId: string, kind: AccountKind, ownerId = ""): Promise<string> {
  const where = { communityId_kind_ownerId: { communityId, kind, ownerId } };
  const found = await tx.pointAccount.findUnique({ where, select: { id: true } });
  if (found) return found.id;
  // Two first uses at once: one creates, the other collides and is retried by inLedger.
  return (await tx.pointAccount.create({ data: { communityId, kind, ownerId }, select: { id: true } })).id;
}

/** Balance and last seq of an account, read in one statement (one snapshot). */
async function accountState(tx: Tx, id: string) {
  const agg = await tx.pointEntry.aggregate({ where: { accountId: id }, _sum: { amount: true }, _max: { seq: true } });
  return { balance: agg._sum.amount ?? 0, seq: agg._max.seq ?? 0 };
}

export type Line = { accountId: string; amount: number; gridId?: string | null };

/**
 * Posts one balanced transaction. Refuses (409 errors.pointsInsufficient) if any account other
 * than the issuance account would go below zero. Call inside inLedger.
 */
export async function post(
  tx: Tx,
  t: { communityId: string; kind: TransactionKind; memo?: string; createdById?: string | null; reversesId?: string | null; lines: Line[] },
): Promise<{ id: string; balances: Record<string, number> }> {
  const byAccount = new Map<string, Line>();
  for (const l of t.lines) {
    if (!Number.isInteger(l.amount)) throw new Error("ledger amounts are whole points");
    const prev = byAccount.get(l.accountId);
    byAccount.set(l.accountId, { accountId: l.accountId, amount: (prev?.amount ?? 0) + l.amount, gridId: l.gridId ?? prev?.gridId ?? null });
  }
  const sum = [...byAccount.values()].reduce((s, l) => s + l.amount, 0);
  if (sum !== 0) throw new Error(`unbalanced transaction: entries sum to ${sum}`);
  const created = await tx.pointTransaction.create({
    data: { communityId: t.communityId, kind: t.kind, memo: t.memo ?? "", createdById: t.createdById ?? null, reversesId: t.reversesId ?? null },
    select: { id: true },
  });
  const balances: Record<string, number> = {};
  // A fixed order of accounts: two transactions touching the same two accounts never wait on each other in a cycle.
  for (const line of [...byAccount.values()].sort((a, b) => (a.accountId < b.accountId ? -1 : 1))) {
    if (line.amount === 0) continue;
    const account = await tx.pointAccount.findUniqueOrThrow({ where: { id: line.accountId }, select: { kind: true } });
    const state = await accountState(tx, line.accountId);
    const after = state.balance + line.amount;
    if (account.kind !== "issuance" && after < 0) throw new RuleBroken("errors.pointsInsufficient", { balance: state.balance, needed: -line.amount });
    await tx.pointEntry.create({
      data: { transactionId: created.id, accountId: line.accountId, seq: state.seq + 1, amount: line.amount, gridId: line.gridId ?? null },
    });
    balances[line.accountId] = after;
  }
  return { id: created.id, balances };
}

/** An account's balance: the sum of its entries. */
export async function balanceOf(db: Tx | typeof prisma, id: string): Promise<number> {
  const agg = await db.pointEntry.aggregate({ where: { accountId: id }, _sum: { amount: true } });
  return agg._sum.amount ?? 0;
}

/** A resident's balance in a community (0 without an account). */
export async function residentBalance(communityId: string, userId: string): Promise<number> {
  const acc = await prisma.pointAccount.findUnique({
    where: { communityId_kind_ownerId: { communityId, kind: "resident", ownerId: userId } },
    select: { id: true },
  });
  return acc ? balanceOf(prisma, acc.id) : 0;
}

/**
 * Reverses a transaction with a reason: the same entries with the opposite sign, in a new
 * transaction that names it. Refused if it was reversed already (the UNIQUE reversesId settles a
 * race) or if it would take an account below zero (the points were spent meanwhile).
 */
export async function reverse(tx: Tx, transactionId: string, reason: string, createdById: string) {
  const original = await tx.pointTransaction.findUnique({
    where: { id: transactionId },
    select: { id: true, communityId: true, kind: true, reversesId: true, entries: { select: { accountId: true, amount: true, gridId: true } } },
  });
  if (!original) return null;
  if (original.kind === "reverse") throw new RuleBroken("errors.pointsReverseReversal");
  if (await tx.pointTransaction.findUnique({ where: { reversesId: original.id }, select: { id: true } })) throw new RuleBroken("errors.pointsAlreadyReversed");
  return post(tx, {
    communityId: original.communityId,
    kind: "reverse",
    memo: reason,
    createdById,
    reversesId: original.id,
    lines: original.entries.map((e) => ({ accountId: e.accountId, amount: -e.amount, gridId: e.gridId })),
  });
}

/**
 * Expires what a resident account holds past the community's expiry (first in, first out) into
 * the community's "expired" account. Returns the points expired (0: nothing written).
 */
export async function expireAccount(tx: Tx, communityId: string, residentAccountId: string, expiryMonths: number, now: Date): Promise<number> {
  if (expiryMonths <= 0) return 0;
  const entries = await tx.pointEntry.findMany({ where: { accountId: residentAccountId }, select: { amount: true, createdAt: true } });
  const points = expiringPoints(entries, expiryCutoff(now, expiryMonths));
  if (points <= 0) return 0;
  const expired = await accountId(tx, communityId, "expired");
  await post(tx, {
    communityId,
    kind: "expire",
    memo: `older than ${expiryMonths} months`,
    lines: [
      { accountId: residentAccountId, amount: -points },
      { accountId: expired, amount: points },
    ],
  });
  return points;
}

/** The scheduler's job: expires due points in every community with an expiry rule. */
export async function expireDuePoints(now: Date): Promise<number> {
  const rules = await prisma.volunteerRules.findMany({ where: { expiryMonths: { gt: 0 } }, select: { communityId: true, expiryMonths: true } });
  let total = 0;
  for (const r of rules) {
    const cutoff = expiryCutoff(now, r.expiryMonths);
    // Only accounts that received points before the cutoff can have anything to expire.
    const accounts = await prisma.pointAccount.findMany({
      where: { communityId: r.communityId, kind: "resident", entries: { some: { amount: { gt: 0 }, createdAt: { lt: cutoff } } } },
      select: { id: true },
    });
    for (const a of accounts) total += await inLedger((tx) => expireAccount(tx, r.communityId, a.id, r.expiryMonths, now));
  }
  return total;
}
