// Who is asking: one answer for pages, the API, Socket.IO and the Yjs endpoint.
// A browser carries a signed cookie naming a row in AuthSession; scripts and
// integrations carry a bearer token whose hash is in ApiToken.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { hash, verify } from "@node-rs/argon2";
import { createCookie, redirect } from "@remix-run/node";
import { prisma } from "./db.server";
import { sqlitePath } from "./database-url.server";
import { env } from "./env.server";

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
  const db = sqlitePath();
  const file = path.join(db === ":memory:" ? process.cwd() : path.dirname(db), ".session-secret");
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

/** After this many failed sign-ins for one account name within the window, it is locked for the window. */
export const LOGIN_MAX_FAILURES = 8;
const LOGIN_WINDOW_MS = 15 * 60_000;

export type CredentialCheck =
  | { ok: true; user: { id: string; displayName: string; passwordHash: string; locale: string } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; minutes: number };

/**
 * Phone number or username, and password. Same answer and same work for "no such user" and
 * "wrong password"; too many failures for one name lock it for a while, whoever tries.
 */
export async function checkCredentials(identifier: string, password: string): Promise<CredentialCheck> {
  const id = identifier.trim();
  const key = `login:${id.toLowerCase()}`;
  const throttle = await prisma.loginThrottle.findUnique({ where: { key } });
  if (throttle?.lockedUntil && throttle.lockedUntil > new Date()) {
    return { ok: false, reason: "locked", minutes: Math.ceil((throttle.lockedUntil.getTime() - Date.now()) / 60_000) };
  }
  const user = await prisma.user.findFirst({
    where: { OR: [{ username: id.toLowerCase() }, { phone: id }] },
    select: { id: true, displayName: true, passwordHash: true, locale: true },
  });
  const good = user ? await verifyPassword(user.passwordHash, password) : (await verifyPassword(DUMMY_HASH, password), false);
  if (good && user) {
    if (throttle) await prisma.loginThrottle.delete({ where: { key } }).catch(() => {});
    return { ok: true, user };
  }
  const now = new Date();
  const fresh = !throttle || now.getTime() - throttle.windowStart.getTime() > LOGIN_WINDOW_MS;
  const failures = fresh ? 1 : throttle.failures + 1;
  const lockedUntil = failures >= LOGIN_MAX_FAILURES ? new Date(now.getTime() + LOGIN_WINDOW_MS) : null;
  await prisma.loginThrottle.upsert({
    where: { key },
    create: { key, failures, windowStart: now, lockedUntil },
    update: fresh ? { failures, windowStart: now, lockedUntil } : { failures, lockedUntil },
  });
  return { ok: false, reason: "invalid" };
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

export type Credentials = { cookie?: string | null; authorization?: string | null; token?: string | null };

/**
 * The user id behind a cookie, an `Authorization: Bearer` header or a bare token
 * (Yjs clients in Node pass it as ?token=, Socket.IO clients as auth.token).
 */
export async function authenticate(credentials: Credentials): Promise<string | null> {
  const bearer = credentials.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? credentials.token ?? null;
  if (bearer) {
    const row = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(bearer) }, select: { id: true, userId: true, expiresAt: true } });
    if (!row || row.expiresAt < new Date()) return null;
    return row.userId;
  }
  if (!credentials.cookie) return null;
  const id = await sessionCookie.parse(credentials.cookie).catch(() => null);
  if (typeof id !== "string") return null;
  const session = await prisma.authSession.findUnique({ where: { id }, select: { userId: true, expiresAt: true } });
  if (!session || session.expiresAt < new Date()) return null;
  return session.userId;
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
