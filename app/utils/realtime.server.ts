// App code's one way to push a live event: through the Socket.IO server that
// server/index.ts created (and, with a Redis adapter, to every process).
import { lookup } from "./singleton.server";

type Emitter = { to(room: string): { emit(event: string, payload: unknown): void } };

export function publish(room: string, event: string, payload: unknown): void {
  lookup<Emitter>("io")?.to(room).emit(event, payload);
}

export const rooms = {
  user: (userId: string) => `user:${userId}`,
  topic: (topicId: string) => `topic:${topicId}`,
  session: (sessionId: string) => `session:${sessionId}`,
};
