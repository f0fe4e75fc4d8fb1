// Rate limits on live events (Socket.IO) and on opening co-editing connections
// (Yjs upgrades), issue 10 item 9: 20 000 `vote:cast` from one member in 5.6 s
// delayed an honest voter by 4.4 s. docs/security.md ("Live events") repeats
// these values.
//
// Why in memory and not the database limiter (app/utils/rate-limit.server.ts):
// that one costs a write transaction per hit, and SQLite has one writer: counting
// every event there would itself be the stall a flood causes. A token bucket
// here costs a subtraction, so a refusal is cheaper than anything the flood
// could make the server do. The price: the per-person budget is per process (a
// person connected to two processes of one site gets each budget once per
// process), which still bounds what one person can make any one process do.
import { TokenBucket } from "../yjs/limits";

export const EVENT_LIMITS = {
  /**
   * One Socket.IO connection: events per second, sustained, and the burst above
   * it. What a real client sends: a reconnect re-joins its session and topics
   * and resends its queued ballots (a handful); a chair clicking fast through
   * open item, give floor, call vote sends a few a second; a voter changing
   * their mind, two or three. A burst of 40 and 10 a second leave a wide margin.
   */
  perConnectionBurst: 40,
  perConnectionPerSecond: 10,
  /**
   * One person, over all their connections in this process (several tabs,
   * a phone and a laptop): three busy tabs' worth.
   */
  perUserBurst: 120,
  perUserPerSecond: 30,
  /**
   * A connection that keeps sending after this many refusals in a row is
   * disconnected: acknowledging a flood is cheap, not free. A new connection
   * passes authentication again (a database read), which paces a loop.
   */
  disconnectAfterRefusals: 1000,
  /**
   * Yjs: open co-editing connections per person in one process. One editor tab
   * holds one; a member with the session and a few items open in tabs, on two
   * devices, holds well under this.
   */
  yjsConnectionsPerUser: 20,
  /**
   * Yjs: upgrades per person, burst and per second. A stock y-websocket client
   * reconnects ~100 ms after being closed, so one that is closed again at once
   * (too fast, too large) would loop ten times a second; after a network drop,
   * every open editor of the person reconnects at once (within the burst).
   */
  yjsUpgradeBurst: 30,
  yjsUpgradesPerSecond: 2,
} as const;

/**
 * The two buckets an event passes: its connection's and its person's. The
 * connection's is asked first, so a flood on one socket drains only that socket's
 * bucket and leaves the person's other tabs their share.
 */
export function eventLimiter(now?: () => number) {
  const people = new Map<string, { bucket: TokenBucket; connections: number }>();
  return {
    /** A new connection of `userId`; `release` when it ends. */
    connection(userId: string) {
      let person = people.get(userId);
      if (!person) people.set(userId, (person = { bucket: new TokenBucket(EVENT_LIMITS.perUserBurst, EVENT_LIMITS.perUserPerSecond, now), connections: 0 }));
      person.connections++;
      const own = new TokenBucket(EVENT_LIMITS.perConnectionBurst, EVENT_LIMITS.perConnectionPerSecond, now);
      const shared = person;
      let refusedInARow = 0;
      let released = false;
      return {
        /** "ok", "refuse" (answer 429), or "disconnect" (a flood that does not stop). */
        admit(): "ok" | "refuse" | "disconnect" {
          if (own.take() && shared.bucket.take()) {
            refusedInARow = 0;
            return "ok";
          }
          return ++refusedInARow > EVENT_LIMITS.disconnectAfterRefusals ? "disconnect" : "refuse";
        },
        release() {
          if (released) return;
          released = true;
          if (--shared.connections === 0 && people.get(userId) === shared) people.delete(userId);
        },
      };
    },
    /** People with at least one connection (for tests: the map must not grow without bound). */
    size: () => people.size,
  };
}

/**
 * Yjs upgrades per person: a cap on open connections and a rate of new ones.
 * `reserve` counts the connection from the moment it is let through (before the
 * document loads), so a hundred parallel upgrades cannot all pass the check.
 */
export function upgradeLimiter(now?: () => number) {
  const people = new Map<string, { open: number; rate: TokenBucket }>();
  return {
    /** A release function (call it when the connection ends, any number of times), or the reason it is refused. */
    reserve(userId: string): { release: () => void } | { refused: "tooFast" | "tooMany" } {
      let person = people.get(userId);
      if (!person) people.set(userId, (person = { open: 0, rate: new TokenBucket(EVENT_LIMITS.yjsUpgradeBurst, EVENT_LIMITS.yjsUpgradesPerSecond, now) }));
      const p = person;
      if (!p.rate.take()) return { refused: "tooFast" };
      if (p.open >= EVENT_LIMITS.yjsConnectionsPerUser) return { refused: "tooMany" };
      p.open++;
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          p.open--;
          // The entry (and its bucket) stays while the bucket is not full again, so closing and
          // reopening cannot reset the rate; a person with nothing open is forgotten lazily.
          if (p.open === 0)
            setTimeout(
              () => people.get(userId) === p && p.open === 0 && people.delete(userId),
              (EVENT_LIMITS.yjsUpgradeBurst / EVENT_LIMITS.yjsUpgradesPerSecond) * 1000,
            ).unref();
        },
      };
    },
    open: (userId: string) => people.get(userId)?.open ?? 0,
  };
}
