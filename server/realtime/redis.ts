// REDIS_URL turns one process into one of several: Socket.IO rooms go through
// the Redis streams adapter and co-edited documents through the Yjs relay.
// The streams adapter, unlike Pub/Sub, resumes from its last stream offset after
// Redis restarts or the connection drops, so no packet is lost meanwhile (node-redis
// queues what is sent while it reconnects), and it keeps the sessions that let a
// client that reconnects to any node recover its rooms and missed packets.
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { createClient } from "redis";
import type { Server } from "socket.io";
import { randomBytes } from "node:crypto";
import type { RightsChange } from "~/utils/rights.server";
import { redisRelay, type Relay } from "../yjs/relay";

const RIGHTS_CHANNEL = "yishi:rights";

export async function connectRedis(url: string) {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on("error", (e: Error) => console.error(`[redis] ${e.message}`));
  await Promise.all([pub.connect(), sub.connect()]);
  const me = randomBytes(8).toString("hex");
  const extra: (typeof pub)[] = [];
  return {
    /** Rights changes, to and from the other processes (each re-checks its own connections). */
    rights: {
      publish(change: RightsChange): void {
        pub.publish(RIGHTS_CHANNEL, JSON.stringify({ from: me, change })).catch((e: Error) => console.error(`[redis] rights: ${e.message}`));
      },
      async subscribe(handler: (change: RightsChange) => void): Promise<void> {
        await sub.subscribe(RIGHTS_CHANNEL, (message: string) => {
          const { from, change } = JSON.parse(message) as { from: string; change: RightsChange };
          if (from !== me) handler(change);
        });
      },
    },
    async attach(io: Server): Promise<void> {
      // The adapter writes through this client and reads through duplicates of it (XREAD blocks,
      // so each gets its own connection). Writes fail fast while Redis is away (no offline queue)
      // and go through orderedStreamWrites, which resends them in order once Redis is back; the
      // readers keep node-redis' offline queue, so their next XREAD waits for the reconnection.
      const streams = pub.duplicate({ disableOfflineQueue: true });
      streams.on("error", (e: Error) => console.error(`[redis] ${e.message}`));
      extra.push(streams);
      await streams.connect();
      (streams as unknown as { duplicate: () => unknown }).duplicate = () => pub.duplicate();
      orderedStreamWrites(streams);
      io.adapter(createAdapter(streams, { streamName: "yishi:socket.io", sessionKeyPrefix: "yishi:socket.io:session:", maxLen: 100_000 }));
    },
    /** Runs after the connection to Redis comes back (not the first time): what was published meanwhile may have been missed. */
    onReconnect(handler: () => void): void {
      // Registered after the first connection was ready: every "ready" from here is a reconnection.
      sub.on("ready", handler);
    },
    relay: redisRelay(pub as unknown as Parameters<typeof redisRelay>[0], sub as unknown as Parameters<typeof redisRelay>[1]) as Relay,
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit(), ...extra.map((c) => c.quit())]);
    },
  };
}

/**
 * Why a Redis restart lost events (tests/redis-streams.test.ts): an XADD written on a
 * connection Redis had already closed fails ("Socket closed unexpectedly", or Node's "This
 * socket has been ended by the other party"), and the adapter drops the packet. Retrying it
 * on its own is not enough either: node-redis keeps the XADDs issued after it in its offline
 * queue and sends them first on reconnection, so the retried one arrives late, out of order.
 *
 * So the writing client has no offline queue (every write not yet acknowledged fails when the
 * connection goes) and this wrapper keeps the stream's writes in order: once one fails for
 * want of a connection, it and every later one wait here and are written again, in the order
 * they were issued, when Redis answers (for up to a minute; then they fail as before). A write
 * Redis stored whose answer was lost is written twice: a packet may arrive twice, never not at
 * all. Redis must keep the stream across its own restart (appendonly, deploy/compose.yaml): a
 * packet stored just before Redis stopped and not yet read would otherwise go with it.
 */
export function orderedStreamWrites(redis: object, giveUpAfterMs = 60_000): void {
  // The adapter calls client.xAdd(key, id, message, options); its typed overloads do not survive a wrapper.
  const client = redis as { xAdd: (...args: unknown[]) => Promise<unknown>; isReady: boolean; isOpen: boolean };
  const xAdd = client.xAdd.bind(client);
  type Write = { args: unknown[]; since: number; attempt?: Promise<void>; resolve: (id: unknown) => void; reject: (e: unknown) => void };
  const pending: Write[] = []; // issued, not yet acknowledged, in the order issued
  let recovering = false;

  const done = (w: Write) => pending.splice(pending.indexOf(w), 1);
  const send = (w: Write) => {
    w.attempt = xAdd(...w.args).then(
      (id) => (done(w), w.resolve(id)),
      (error: unknown) => {
        if (!retryable(error) || Date.now() - w.since > giveUpAfterMs || !client.isOpen) return void (done(w), w.reject(error));
        if (!recovering) void recover();
      },
    );
  };
  async function recover() {
    recovering = true;
    try {
      while (pending.length > 0) {
        // Writes still on the wire settle first (the lost connection fails them all at once).
        await Promise.allSettled(pending.map((w) => w.attempt));
        while (!client.isReady && client.isOpen) {
          await new Promise((r) => setTimeout(r, 50));
          for (const w of pending.slice()) {
            if (Date.now() - w.since <= giveUpAfterMs) continue;
            done(w);
            w.reject(new Error("Redis did not come back in time"));
          }
        }
        if (!client.isOpen) for (const w of pending.splice(0)) w.reject(new Error("the Redis client was closed"));
        const batch = pending.slice();
        for (const w of batch) send(w); // one connection: Redis stores them in this order
        await Promise.allSettled(batch.map((w) => w.attempt));
        if (pending.length > 0 && pending[0] === batch[0]) await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      recovering = false;
    }
  }
  client.xAdd = (...args: unknown[]) =>
    new Promise((resolve, reject) => {
      const w: Write = { args, since: Date.now(), resolve, reject };
      pending.push(w);
      if (!recovering) send(w);
    });
}

/** A failure for want of a connection (or of a Redis still loading its data), not a refusal of the command. */
function retryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const name = error.constructor.name;
  if (name === "ErrorReply") return /^(LOADING|TRYAGAIN|MASTERDOWN)/.test(error.message);
  // node-redis' own connection errors, and Node's socket errors (EPIPE, ECONNRESET...), which carry a code.
  return (
    ["ClientOfflineError", "SocketClosedUnexpectedlyError", "DisconnectsClientError", "ConnectionTimeoutError", "ClientClosedError"].includes(name) ||
    typeof (error as { code?: unknown }).code === "string"
  );
}
