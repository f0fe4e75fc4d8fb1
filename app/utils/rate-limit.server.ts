// Rate limits and sign-in throttling: fixed-window counters in the database
// (model RateLimit), so every process of a site counts the same requests and a
// restart forgets nothing. One hit is one atomic increment inside a transaction
// that also reads the count back, so parallel requests can never share a count
// (the defect in issue 8: 20 parallel guesses stored `failures: 1`).
import { isIP } from "node:net";
import type { AppLoadContext, HeadersFunction } from "@remix-run/node";
import { prisma } from "./db.server";
import { env } from "./env.server";
import { Refusal } from "./errors";
import { requestLocale } from "./locale.server";
import { problemResponse, refusalOf } from "./refusal.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address as express sees it (req.ip: honours TRUST_PROXY). Set by server/index.ts getLoadContext. */
    clientAddress?: string;
  }
}

export type Limit = { limit: number; windowMs: number };

/** Every limit in one place (docs/security.md lists them). */
export const LIMITS = {
  /** Sign-in requests (page and API) from one address, right or wrong. */
  signInRequests: { limit: 60, windowMs: 10 * 60_000 },
  /** Failed sign-ins from one address, whatever the account. */
  signInFailuresPerAddress: { limit: 30, windowMs: 15 * 60_000 },
  /** Failed sign-ins for one account from one address: that address is locked out of that account. */
  signInFailuresPerAccountAndAddress: { limit: 8, windowMs: 15 * 60_000 },
  /** Failed sign-ins for one account from every address together: a distributed guess; everyone is locked out of it. */
  signInFailuresPerAccount: { limit: 100, windowMs: 60 * 60_000 },
  /** Invite acceptances (page and API) from one address. */
  inviteAccept: { limit: 20, windowMs: 10 * 60_000 },
  /** Accounts refused through one invite link (taken username or phone), from all addresses together. */
  inviteRefusals: { limit: 10, windowMs: 60 * 60_000 },
  /** QR check-ins from one address. */
  checkIn: { limit: 30, windowMs: 60_000 },
  /** Photos one person may upload. */
  uploads: { limit: 60, windowMs: 60 * 60_000 },
  /** Realtime tickets one person may ask for. */
  realtimeTickets: { limit: 120, windowMs: 60_000 },
  /** First-run setup attempts from one address (guessing the setup code). */
  setup: { limit: 10, windowMs: 15 * 60_000 },
} satisfies Record<string, Limit>;

export type Hit = { ok: boolean; count: number; retryAfterSec: number };

/** Rows pruned per new window: bounded, so pruning never becomes a long write. */
const PRUNE_BATCH = 200;

/** YISHI_RATE_LIMITS=off turns request limits off for load tests on a private machine (bench/). */
export function rateLimitsEnabled(): boolean {
  return env().YISHI_RATE_LIMITS !== "off";
}

/**
 * Counts one (or `cost`) against `key` in the current window and says whether the
 * count is still within the limit. The count includes this hit, so the
 * (limit + 1)-th request in a window is the first refused.
 */
export async function hit(key: string, limit: Limit, cost = 1): Promise<Hit> {
  try {
    return await hitOnce(key, limit, cost);
  } catch (error) {
    // Two processes creating the same new row (possible on PostgreSQL; SQLite serializes the
    // writers): the loser counts again, now into the winner's row.
    if ((error as { code?: string }).code === "P2002") return hitOnce(key, limit, cost);
    throw error;
  }
}

async function hitOnce(key: string, { limit, windowMs }: Limit, cost: number): Promise<Hit> {
  const now = new Date();
  const row = await prisma.$transaction(async (tx) => {
    // In the current window: one UPDATE … SET count = count + n (atomic in the database).
    const bumped = await tx.rateLimit.updateMany({ where: { key, resetAt: { gt: now } }, data: { count: { increment: cost } } });
    if (bumped.count === 0) {
      const resetAt = new Date(now.getTime() + windowMs);
      // No row, or its window is over: start a new window (conditional, so only one of two racers resets).
      const restarted = await tx.rateLimit.updateMany({ where: { key, resetAt: { lte: now } }, data: { count: cost, resetAt } });
      if (restarted.count === 0) await tx.rateLimit.create({ data: { key, count: cost, resetAt } });
      await prune(tx, now);
    }
    return tx.rateLimit.findUniqueOrThrow({ where: { key }, select: { count: true, resetAt: true } });
  });
  return { ok: row.count <= limit, count: row.count, retryAfterSec: Math.max(1, Math.ceil((row.resetAt.getTime() - now.getTime()) / 1000)) };
}

/** Whether `key` is over its limit now, without counting anything. */
export async function peek(key: string, { limit }: Limit): Promise<Hit> {
  const now = new Date();
  const row = await prisma.rateLimit.findUnique({ where: { key }, select: { count: true, resetAt: true } });
  if (!row || row.resetAt <= now) return { ok: true, count: 0, retryAfterSec: 0 };
  return { ok: row.count <= limit, count: row.count, retryAfterSec: Math.max(1, Math.ceil((row.resetAt.getTime() - now.getTime()) / 1000)) };
}

/** Takes back `cost` from a counter (a sign-in that turned out right is no failure). */
export async function forgive(key: string, cost = 1): Promise<void> {
  await prisma.rateLimit.updateMany({ where: { key, count: { gte: cost } }, data: { count: { decrement: cost } } });
}

export async function reset(key: string): Promise<void> {
  await prisma.rateLimit.deleteMany({ where: { key } });
}

type Tx = Parameters<Parameters<typeof prisma.$transaction>[0]>[0];
async function prune(tx: Tx, now: Date): Promise<void> {
  const expired = await tx.rateLimit.findMany({ where: { resetAt: { lte: now } }, select: { key: true }, take: PRUNE_BATCH });
  if (expired.length) await tx.rateLimit.deleteMany({ where: { key: { in: expired.map((r) => r.key) }, resetAt: { lte: now } } });
}

/** A refusal with the seconds to wait; routes turn it into 429 + Retry-After. */
export class RateLimited extends Refusal {
  constructor(
    readonly retryAfterSec: number,
    key = "errors.rateLimited",
  ) {
    super(429, key, { minutes: Math.ceil(retryAfterSec / 60) });
  }
}

/**
 * The address to count against. IPv6 clients usually hold a whole /64, so they are
 * counted per /64; otherwise one phone could rotate through addresses.
 */
export function addressKey(address: string): string {
  const a = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  if (isIP(a) !== 6) return a;
  const groups = expandV6(a);
  return `${groups.slice(0, 4).join(":")}::/64`;
}

function expandV6(a: string): string[] {
  const [head, tail] = a.split("::") as [string, string | undefined];
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail ? tail.split(":") : [];
  const missing = 8 - h.length - t.length;
  return [...h, ...Array<string>(tail !== undefined ? missing : 0).fill("0"), ...t].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""));
}

let warned = false;
/**
 * The client's address from the Remix load context (server/index.ts passes express's
 * req.ip). Without it (a server that does not pass it) per-address limits cannot
 * apply; they are skipped rather than counting every visitor as one, which would let
 * one attacker lock everybody out.
 */
export function clientAddress(context: AppLoadContext | undefined): string | null {
  const address = context?.clientAddress;
  if (address) return addressKey(address);
  if (!warned) {
    warned = true;
    console.warn("[rate-limit] no client address in the load context (server/index.ts getLoadContext); per-address limits are off");
  }
  return null;
}

/** Counts a request from the context's address against `purpose`; throws RateLimited when over. */
export async function limitAddress(purpose: string, context: AppLoadContext | undefined, limit: Limit): Promise<void> {
  if (!rateLimitsEnabled()) return;
  const address = clientAddress(context);
  if (!address) return;
  const result = await hit(`${purpose}:${address}`, limit);
  if (!result.ok) throw new RateLimited(result.retryAfterSec);
}

/** Counts `cost` against one signed-in person for `purpose`; throws RateLimited when over. */
export async function limitUser(purpose: string, userId: string, limit: Limit, cost = 1): Promise<void> {
  if (!rateLimitsEnabled()) return;
  const result = await hit(`${purpose}:${userId}`, limit, cost);
  if (!result.ok) throw new RateLimited(result.retryAfterSec);
}

/** 429 with Retry-After, a problem document in the caller's language like every API refusal. */
export async function tooManyRequests(request: Request, error: RateLimited): Promise<Response> {
  const locale = await requestLocale(request);
  return problemResponse(refusalOf(error, locale), locale, { "Retry-After": String(error.retryAfterSec) });
}

/**
 * Wraps an API route handler so requests from one address past `limit` get 429 with
 * Retry-After before anything else happens (before the body is read).
 */
export function addressLimited<A extends { request: Request; context: AppLoadContext }>(purpose: string, limit: Limit, run: (args: A) => Promise<Response>) {
  return async (args: A): Promise<Response> => {
    try {
      await limitAddress(purpose, args.context, limit);
    } catch (error) {
      if (error instanceof RateLimited) return tooManyRequests(args.request, error);
      throw error;
    }
    return run(args);
  };
}

/** A page route's `headers` export: pass an action's Retry-After on to the browser (Remix drops action headers otherwise). */
export const passRetryAfter: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};
