// What opening a realtime connection reads, kept for a few seconds per process: who a credential
// signs in, that person's actor, and the agenda item or session a connection asks for.
//
// Why: connecting 2 000 participants cost 35 s of server CPU, and the profile (BENCHMARKS.md,
// "Connecting") put more than half of it in Prisma: three Prisma calls (nine SQL statements) per
// Yjs connection and three (eight statements) per Socket.IO connection, each call compiled again
// by Prisma's query compiler (~0.3–0.8 ms apiece). A phone opens two connections with the same
// cookie, and a council's participants open the same few documents.
//
// Why it is safe: a connection already holds its actor and rights for as long as it lives, until
// rightsChanged() says otherwise (docs/realtime.md, "When rights change"). The cache is dropped
// for the same changes, on every process (server/realtime/rights.ts runs forget() before the
// re-checks, for changes made here and for those heard through Redis), so a new connection is
// decided on what an open one would be. Re-checks never read it (`fresh`), and a refusal is never
// decided from it: a connection the cached figures would refuse or make read-only is decided
// again from the database, so a right just granted (which calls no rightsChanged) is not delayed.
// Nothing is kept past its sign-in's or token's expiry, and everything goes after CACHE_MS.
import { createHash } from "node:crypto";
import type { Credentials, IdentityUntil } from "~/utils/auth.server";
import { parseDocumentName } from "~/utils/domain";
import { loadAgendaItemResource, loadDocumentResource, loadSessionResource } from "~/utils/permissions.server";
import type { Actor, AgendaItemResource, DocumentResource, SessionResource } from "~/utils/permissions.server";
import type { RightsChange } from "~/utils/rights.server";

/** How long an entry is kept at most; 0 turns the cache off (YISHI_REALTIME_CACHE_MS). */
export const CACHE_MS = Number(process.env.YISHI_REALTIME_CACHE_MS ?? 10_000);
/** Bounded: a flood of distinct credentials cannot grow it without end (the oldest go first). */
const MAX_ENTRIES = 20_000;

/**
 * Values by key for a few seconds. Concurrent askers of one key share one load. A load that was
 * in flight when something was dropped is not kept (it may have read before the change).
 */
export class ShortCache<K, V> {
  private readonly entries = new Map<K, { value: V; until: number }>();
  private readonly loading = new Map<K, Promise<V>>();
  private epoch = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The kept value, else load() (kept unless null, until `until(value)` if sooner than the TTL). */
  get(key: K, load: () => Promise<V>, until?: (value: NonNullable<V>) => number): Promise<V> {
    if (this.ttlMs <= 0) return load();
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return Promise.resolve(hit.value);
    if (hit) this.entries.delete(key);
    const pending = this.loading.get(key);
    if (pending) return pending;
    const epoch = this.epoch;
    const promise = load()
      .then((value) => {
        if (value !== null && value !== undefined && this.epoch === epoch) {
          const keepUntil = Math.min(now + this.ttlMs, until ? until(value as NonNullable<V>) : Infinity);
          if (keepUntil > Date.now()) {
            if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
            this.entries.set(key, { value, until: keepUntil });
          }
        }
        return value;
      })
      .finally(() => {
        if (this.loading.get(key) === promise) this.loading.delete(key);
      });
    this.loading.set(key, promise);
    return promise;
  }

  /** Drops the entries that match (all without a test); loads in flight are not kept. */
  drop(matches?: (value: V, key: K) => boolean): void {
    this.epoch++;
    this.loading.clear();
    if (!matches) return this.entries.clear();
    for (const [key, { value }] of this.entries) if (matches(value, key)) this.entries.delete(key);
  }
}

/** Who a credential signs in, by a hash of it (a single-use ticket is never kept: it is spent). */
export const identities = new ShortCache<string, IdentityUntil | null>(CACHE_MS);
/** Actors by user id. */
export const actors = new ShortCache<string, Actor | null>(CACHE_MS);
/** Agenda items (by document name) and sessions (by id) as the permission table reads them. */
export const resources = new ShortCache<string, AgendaItemResource | SessionResource | null>(CACHE_MS);

const digest = (value: string) => createHash("sha256").update(value).digest("base64url");

/** The key of a credential that may be kept, or null (a ticket, or nothing to sign in with). */
export function credentialKey(credentials: Credentials): string | null {
  if (credentials.ticket) return null;
  if (credentials.grant) return `grant:${"apiTokenId" in credentials.grant ? `t:${credentials.grant.apiTokenId}` : `s:${credentials.grant.authSessionId}`}`;
  const bearer = credentials.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? credentials.token ?? null;
  if (bearer) return bearer.startsWith("ysr_") ? null : `bearer:${digest(bearer)}`;
  return credentials.cookie ? `cookie:${digest(credentials.cookie)}` : null;
}

/**
 * A right changed (here or on another process): what it may touch is read again next time.
 * Called before the live connections are re-checked.
 */
export function forget(change: RightsChange): void {
  if ("everyone" in change) {
    identities.drop();
    actors.drop();
    resources.drop();
  } else if ("userId" in change) {
    identities.drop((who) => who?.userId === change.userId);
    actors.drop((_, userId) => userId === change.userId);
  } else if ("communityId" in change) {
    actors.drop();
    resources.drop((r) => r?.communityId === change.communityId);
  } else if ("sessionId" in change) resources.drop((r) => r?.sessionId === change.sessionId);
  else resources.drop((r) => r?.type === "agendaItem" && r.itemId === change.agendaItemId);
}

/**
 * The resource behind a document name for opening it: an agenda item's from the cache; the minutes'
 * always from the database (who checked in decides who may comment, and check-in calls no rightsChanged).
 */
export function documentResourceForOpening(docName: string): Promise<DocumentResource | null> {
  const doc = parseDocumentName(docName);
  if (doc?.kind !== "agenda-item") return loadDocumentResource(docName);
  return resources.get(`item:${doc.id}`, () => loadAgendaItemResource(doc.id)) as Promise<AgendaItemResource | null>;
}

/** A session as session:join reads it. */
export function sessionResourceForJoining(sessionId: string): Promise<SessionResource | null> {
  return resources.get(`session:${sessionId}`, () => loadSessionResource(sessionId)) as Promise<SessionResource | null>;
}
