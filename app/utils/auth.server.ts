// Who is asking: one answer for pages, the API, Socket.IO and the Yjs endpoint.
// A browser carries a signed cookie naming a row in AuthSession; scripts and
// integrations carry a bearer token whose hash is in ApiToken.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { hash, verify } from "@node-rs/argon2";
import { createCookie, redirect } from "@remix-run/node";
import { prisma } from "./db.server";
import { dataDir } from "./database-url.server";
import { env } from "./env.server";
import { LIMITS, forgive, hit, reset, type Limit } from "./rate-limit.server";
import { rightsChanged } from "./rights.server";
import { MOBILE, normalisePhone } from "./phone";

const SESSION_DAYS = 30;
export const SESSION_COOKIE = "yishi_session";

/**
 * SESSION_SECRET, or one generated on first start and kept beside the database,
 * so a fresh clone works and restarts keep people signed in. Several processes
 * behind a load balancer must all be given the same SESSION_SECRET.
 */
function sessionSecret(): string {
  const fromEnv = env().SESSION_SECRET;
  if (fromEnv) return fromEnv;
  const dir = dataDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, ".session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

const secret = sessionSecret();

/** HMAC of a value under the site's secret, for links that must not be forged (check-in QR codes). */
export function sign(value: string): string {
  return createHmac("sha256", secret).update(value).digest("base64url");
}

export function verifySignature(value: string, signature: string): boolean {
  const expected = Buffer.from(sign(value));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const sessionCookie = createCookie(SESSION_COOKIE, {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  maxAge: SESSION_DAYS * 24 * 3600,
  secrets: [secret],
});

// algorithm 2 is Argon2id (the package exports it as a const enum, which isolatedModules cannot inline).
/**
 * Secure on every HTTPS request (behind a TLS proxy too: see TRUST_PROXY), so a
 * production site on HTTPS never sends the cookie in clear. Over plain HTTP a
 * browser would drop a Secure cookie and nobody could sign in, which is how a
 * community office first tries Yishi on its LAN; COOKIE_SECURE=always forbids that.
 */
export function secureCookies(request: Request): boolean {
  const mode = env().COOKIE_SECURE;
  if (mode === "always") return true;
  if (mode === "never") return false;
  return new URL(request.url).protocol === "https:";
}

const ARGON2 = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export type CredentialCheck =
  | { ok: true; user: { id: string; displayName: string; passwordHash: string; locale: string } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; retryAfterSec: number }
  /** The right password, but staff deactivated this person in every community they belong to. */
  | { ok: false; reason: "deactivated" };

/**
 * Phone number or username, and password. Same answer and same work for "no such user" and
 * "wrong password".
 *
 * Throttling (docs/security.md, "Accounts, sign-in and tokens"): every attempt is counted as a
 * failure before the password is checked, so parallel guesses each take a slot and the one past
 * the limit is refused without being evaluated; a right password gives its slots back. Three
 * counters, so a guesser cannot lock a known account out for its owner:
 * - account × address (8 / 15 min): locks that account for that address only;
 * - address (30 / 15 min): one address spraying many accounts;
 * - account (100 / hour, all addresses together): a distributed guess; this one locks the
 *   account for everyone, because by then protecting the password matters more.
 * Without a known address (a server that does not pass one), account × address degrades to a
 * lock of the account itself, as before.
 */
export async function checkCredentials(identifier: string, password: string, address: string | null = null): Promise<CredentialCheck> {
  const id = identifier.trim();
  // A phone number as people type it: with spaces or dashes, +86, full-width digits from a Chinese keyboard.
  const phone = MOBILE.test(normalisePhone(id)) ? normalisePhone(id) : id;
  const user = await prisma.user.findFirst({
    where: { OR: [{ username: id.toLowerCase() }, { phone }] },
    select: { id: true, displayName: true, passwordHash: true, locale: true },
  });
  // Counted per person, so guessing by username and by phone number share one budget; a name
  // that matches nobody gets its own counters (the same work and answer as a real one).
  const account = user ? `user:${user.id}` : `name:${id.toLowerCase()}`;
  const counters: [string, Limit][] = [[`login-pair:${account}|${address ?? "unknown"}`, LIMITS.signInFailuresPerAccountAndAddress]];
  if (address) counters.push([`login-address:${address}`, LIMITS.signInFailuresPerAddress]);
  counters.push([`login-account:${account}`, LIMITS.signInFailuresPerAccount]);
  for (const [i, [key, limit]] of counters.entries()) {
    const counted = await hit(key, limit);
    if (!counted.ok) {
      // A refused attempt counts no further: hammering a locked account from one address must
      // not add up to the account-wide lock, which would lock the owner out after all.
      for (const [earlier] of counters.slice(0, i)) await forgive(earlier);
      return { ok: false, reason: "locked", retryAfterSec: counted.retryAfterSec };
    }
  }
  const good = user ? await verifyPassword(user.passwordHash, password) : (await verifyPassword(DUMMY_HASH, password), false);
  if (good && user) {
    await reset(counters[0]![0]);
    for (const [key] of counters.slice(1)) await forgive(key);
    // Told only to whoever knows the password. Deactivated in some communities but not all, they
    // sign in and act where they still may (loadActor reads active memberships only).
    if (await deactivatedEverywhere(user.id)) return { ok: false, reason: "deactivated" };
    return { ok: true, user };
  }
  return { ok: false, reason: "invalid" };
}
/**
 * Whether staff deactivated this person in every community they belong to (someone in none is
 * not, and neither is a street office's super-user, whose rights come from the district).
 */
async function deactivatedEverywhere(userId: string): Promise<boolean> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { districtId: true, memberships: { select: { deactivatedAt: true } } } });
  if (!user || user.districtId) return false;
  return user.memberships.length > 0 && user.memberships.every((m) => m.deactivatedAt !== null);
}
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$fC/NTXt9rl/8Ab/q/MR4JQ$Nxr1q+HOU2OQKpd9FO72gk0CwO6FCSsx7VFyXdN7QME";

export async function createAuthSession(userId: string, request: Request): Promise<string> {
  const session = await prisma.authSession.create({
    data: { userId, expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000) },
  });
  return sessionCookie.serialize(session.id, { secure: secureCookies(request) });
}

export async function destroyAuthSession(request: Request): Promise<string> {
  const id = await sessionCookie.parse(request.headers.get("cookie"));
  if (typeof id === "string") await prisma.authSession.deleteMany({ where: { id } });
  return sessionCookie.serialize("", { maxAge: 0, secure: secureCookies(request) });
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createApiToken(userId: string, name: string, expiresInDays: number) {
  const token = `yst_${randomBytes(24).toString("base64url")}`;
  const expiresAt = new Date(Date.now() + expiresInDays * 24 * 3600 * 1000);
  await prisma.apiToken.create({ data: { userId, name, tokenHash: hashToken(token), expiresAt } });
  return { token, expiresAt };
}

/** One person's API tokens, never their secrets (only hashes are stored anyway). */
export async function listApiTokens(userId: string) {
  return prisma.apiToken.findMany({
    where: { userId },
    select: { id: true, name: true, createdAt: true, expiresAt: true },
    orderBy: { createdAt: "desc" },
  });
}

/** Revokes one of the person's own tokens; false if there is no such token of theirs. */
export async function revokeApiToken(userId: string, tokenId: string): Promise<boolean> {
  const { count } = await prisma.apiToken.deleteMany({ where: { id: tokenId, userId } });
  if (count) await rightsChanged({ userId });
  return count > 0;
}

/** How long a realtime ticket can be used after it was issued. */
export const REALTIME_TICKET_TTL_MS = 60_000;
const TICKET_PREFIX = "ysr_";

/** The sign-in behind a request: a cookie's session row or an API token's row. */
export type Grant = { authSessionId: string } | { apiTokenId: string };
export type Identity = { userId: string; grant: Grant };
/** An identity and when what it rests on (the sign-in or token) ends: a cache of it must not outlive that. */
export type IdentityUntil = Identity & { expiresAt: Date };

/**
 * A single-use ticket for opening one realtime connection (Yjs ?ticket=, Socket.IO
 * auth: { token: ticket }), so a long-lived token never has to appear in a URL or a
 * proxy log. It remembers what it was issued from (`grant`): the connection then lives
 * exactly as long as that sign-in or token.
 */
export async function createRealtimeTicket(identity: Identity) {
  const ticket = `${TICKET_PREFIX}${randomBytes(24).toString("base64url")}`;
  const expiresAt = new Date(Date.now() + REALTIME_TICKET_TTL_MS);
  // Spent and expired tickets of anyone go as new ones are issued (bounded, like rate-limit rows).
  const stale = await prisma.realtimeTicket.findMany({ where: { expiresAt: { lte: new Date() } }, select: { ticketHash: true }, take: 200 });
  if (stale.length) await prisma.realtimeTicket.deleteMany({ where: { ticketHash: { in: stale.map((t) => t.ticketHash) } } });
  await prisma.realtimeTicket.create({ data: { ticketHash: hashToken(ticket), userId: identity.userId, expiresAt, ...identity.grant } });
  return { ticket, expiresAt };
}

/**
 * Uses a ticket up: the conditional DELETE is the claim, so of two connections presenting
 * the same ticket exactly one gets in; and only while what it was issued from is still valid.
 */
export async function consumeRealtimeTicket(ticket: string): Promise<IdentityUntil | null> {
  const ticketHash = hashToken(ticket);
  const row = await prisma.realtimeTicket.findUnique({ where: { ticketHash }, select: { authSessionId: true, apiTokenId: true } });
  if (!row) return null;
  const { count } = await prisma.realtimeTicket.deleteMany({ where: { ticketHash, expiresAt: { gt: new Date() } } });
  if (count !== 1) return null;
  if (row.authSessionId) return checkGrant({ authSessionId: row.authSessionId });
  if (row.apiTokenId) return checkGrant({ apiTokenId: row.apiTokenId });
  return null;
}

async function checkGrant(grant: Grant): Promise<IdentityUntil | null> {
  const now = new Date();
  const row =
    "apiTokenId" in grant
      ? await prisma.apiToken.findUnique({ where: { id: grant.apiTokenId }, select: { userId: true, expiresAt: true } })
      : await prisma.authSession.findUnique({ where: { id: grant.authSessionId }, select: { userId: true, expiresAt: true } });
  return row && row.expiresAt > now ? { userId: row.userId, grant, expiresAt: row.expiresAt } : null;
}

/**
 * `grant` is what a realtime connection opened with a ticket keeps for its later re-checks
 * (see lastingCredentials): the ticket itself works only once.
 */
export type Credentials = { cookie?: string | null; authorization?: string | null; token?: string | null; ticket?: string | null; grant?: Grant };

function ticketOf(credentials: Credentials): string | null {
  const bearer = credentials.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? credentials.token ?? null;
  return credentials.ticket ?? (bearer?.startsWith(TICKET_PREFIX) ? bearer : null);
}

/**
 * Who is behind a cookie, an `Authorization: Bearer` header, a bare token (Yjs clients in
 * Node pass it as ?token=, Socket.IO clients as auth.token), a single-use realtime ticket
 * (?ticket=; also accepted wherever a token is) or a grant kept from one.
 */
export async function identify(credentials: Credentials): Promise<IdentityUntil | null> {
  if (credentials.grant) return checkGrant(credentials.grant);
  const ticket = ticketOf(credentials);
  if (ticket) return consumeRealtimeTicket(ticket);
  const bearer = credentials.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? credentials.token ?? null;
  if (bearer) {
    const row = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(bearer) }, select: { id: true, userId: true, expiresAt: true } });
    if (!row || row.expiresAt < new Date()) return null;
    return { userId: row.userId, grant: { apiTokenId: row.id }, expiresAt: row.expiresAt };
  }
  if (!credentials.cookie) return null;
  const id = await sessionCookie.parse(credentials.cookie).catch(() => null);
  if (typeof id !== "string") return null;
  const session = await prisma.authSession.findUnique({ where: { id }, select: { userId: true, expiresAt: true } });
  if (!session || session.expiresAt < new Date()) return null;
  return { userId: session.userId, grant: { authSessionId: id }, expiresAt: session.expiresAt };
}

export async function authenticate(credentials: Credentials): Promise<string | null> {
  return (await identify(credentials))?.userId ?? null;
}

/** What a connection keeps to be re-checked later: a spent ticket is replaced by what it was issued from. */
export function lastingCredentials(credentials: Credentials, identity: Identity): Credentials {
  return ticketOf(credentials) ? { grant: identity.grant } : credentials;
}

export function credentialsOf(request: Request): Credentials {
  return { cookie: request.headers.get("cookie"), authorization: request.headers.get("authorization") };
}

export async function getUserId(request: Request): Promise<string | null> {
  return authenticate(credentialsOf(request));
}

export async function getUser(request: Request) {
  const userId = await getUserId(request);
  if (!userId) return null;
  return prisma.user.findUnique({ where: { id: userId }, select: { id: true, displayName: true, username: true, locale: true } });
}

/** For pages: send the visitor to sign in and bring them back afterwards. */
export async function requireUserId(request: Request): Promise<string> {
  const userId = await getUserId(request);
  if (userId) return userId;
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}
