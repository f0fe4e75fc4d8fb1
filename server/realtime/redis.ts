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
      // Its own connection: the adapter blocks on XREAD.
      const streams = pub.duplicate();
      streams.on("error", (e: Error) => console.error(`[redis] ${e.message}`));
      extra.push(streams);
      await streams.connect();
      retryStreamWrites(streams);
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
 * node-redis queues a command sent while it reconnects, but one written just before it
 * noticed the connection was gone fails ("Socket closed unexpectedly"), and the adapter
 * drops that packet. Send such an XADD again once Redis is back (for up to a minute): a
 * packet may then arrive twice, never not at all (tests/redis-streams.test.ts).
 */
function retryStreamWrites(redis: object): void {
  // The adapter calls client.xAdd(key, id, message, options); its typed overloads do not survive a wrapper.
  const client = redis as { xAdd: (...args: unknown[]) => Promise<unknown> };
  const xAdd = client.xAdd.bind(client);
  client.xAdd = async (...args: unknown[]) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        return await xAdd(...args);
      } catch (error) {
        if (Date.now() > deadline || !/closed|ECONNRESET|ECONNREFUSED|EPIPE|connection/i.test(String((error as Error)?.message))) throw error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
}
