// Realtime connections authenticate exactly like pages: the session cookie, or
// an API token (Authorization header, ?token= for Yjs, auth.token for Socket.IO),
// or a single-use realtime ticket (?ticket= for Yjs; a ticket is also accepted
// where a token is), which keeps long-lived tokens out of URLs and proxy logs.
// The credentials are kept with the connection: when rights change, the same
// credentials are checked again (a signed-out cookie no longer opens anything;
// for a ticket, what it was issued from is checked, since the ticket is spent).
import type { IncomingMessage } from "node:http";
import { identify, lastingCredentials, type Credentials } from "~/utils/auth.server";
import { loadActor, type Actor } from "~/utils/permissions.server";
import { hasBearer, isCrossSiteUpgrade } from "../origin";
import { actors as cachedActors, credentialKey, identities } from "./connect-cache";

export type RealtimeUser = { actor: Actor; credentials: Credentials };

export async function authenticateUpgrade(request: IncomingMessage, token?: string | null): Promise<RealtimeUser | null> {
  const url = new URL(request.url ?? "/", "http://localhost");
  const queryToken = token ?? url.searchParams.get("token");
  const ticket = url.searchParams.get("ticket");
  // A page of another site may open a WebSocket to us and the browser adds the cookie:
  // such a connection is refused like an anonymous one (tokens and tickets are not sent by browsers on their own).
  if (isCrossSiteUpgrade(request.headers, Boolean(queryToken || ticket) || hasBearer(request.headers.authorization))) return null;
  return authenticateAgain({
    cookie: request.headers.cookie,
    authorization: request.headers.authorization,
    token: queryToken,
    ticket,
  });
}

/**
 * The actor behind these credentials now, or null once they no longer sign anyone in.
 * Opening a connection may take both from the short cache (./connect-cache.ts); a re-check after
 * a rights change passes `fresh` and reads the database.
 */
export async function authenticateAgain(credentials: Credentials, { fresh = false } = {}): Promise<RealtimeUser | null> {
  const key = fresh ? null : credentialKey(credentials);
  const who = key
    ? await identities.get(
        key,
        () => identify(credentials),
        (w) => w.expiresAt.getTime(),
      )
    : await identify(credentials);
  if (!who) return null;
  const actor = fresh ? await loadActor(who.userId) : await cachedActors.get(who.userId, async () => sharedOrNull(await loadActor(who.userId)));
  return actor ? { actor: shared(actor), credentials: lastingCredentials(credentials, who) } : null;
}

/**
 * A person's connections (a phone holds a Socket.IO one and a Yjs one; a council of a thousand
 * holds two thousand) share one actor object while it is the same: loaded fresh every time, kept
 * once. Held weakly: a person with no connection left is forgotten by the garbage collector.
 */
const actors = new Map<string, WeakRef<Actor>>();
const forgetActor = new FinalizationRegistry<string>((userId) => {
  if (actors.get(userId)?.deref() === undefined) actors.delete(userId);
});
const sharedOrNull = (actor: Actor | null) => actor && shared(actor);
function shared(actor: Actor): Actor {
  const known = actors.get(actor.userId)?.deref();
  if (known === actor) return known; // from the cache: already shared
  if (known && JSON.stringify(known) === JSON.stringify(actor)) return known;
  actors.set(actor.userId, new WeakRef(actor));
  forgetActor.register(actor, actor.userId);
  return actor;
}
