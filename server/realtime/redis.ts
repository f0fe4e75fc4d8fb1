// REDIS_URL turns one process into one of several: Socket.IO rooms go through
// the Redis adapter and co-edited documents through the Yjs relay.
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import type { Server } from "socket.io";
import { redisRelay, type Relay } from "../yjs/relay";

export async function connectRedis(url: string) {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on("error", (e: Error) => console.error(`[redis] ${e.message}`));
  await Promise.all([pub.connect(), sub.connect()]);
  // The Socket.IO adapter and the Yjs relay each get their own subscriber connection.
  const ioSub = pub.duplicate();
  ioSub.on("error", (e: Error) => console.error(`[redis] ${e.message}`));
  await ioSub.connect();
  return {
    attach(io: Server): void {
      io.adapter(createAdapter(pub, ioSub));
    },
    relay: redisRelay(pub as unknown as Parameters<typeof redisRelay>[0], sub as unknown as Parameters<typeof redisRelay>[1]) as Relay,
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit(), ioSub.quit()]);
    },
  };
}
