// REDIS_URL turns one process into one of several: Socket.IO rooms go through
// the Redis adapter and co-edited documents through the Yjs relay.
import { createAdapter } from "@socket.io/redis-adapter";
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
  // The Socket.IO adapter and the Yjs relay each get their own subscriber connection.
  const ioSub = pub.duplicate();
  ioSub.on("error", (e: Error) => console.error(`[redis] ${e.message}`));
  await ioSub.connect();
  const me = randomBytes(8).toString("hex");
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
    attach(io: Server): void {
      io.adapter(createAdapter(pub, ioSub));
    },
    relay: redisRelay(pub as unknown as Parameters<typeof redisRelay>[0], sub as unknown as Parameters<typeof redisRelay>[1]) as Relay,
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit(), ioSub.quit()]);
    },
  };
}
