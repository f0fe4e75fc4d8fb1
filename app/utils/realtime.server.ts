// App code's one way to push a live event: through the Socket.IO server of the
// running realtime layer (server/runtime.ts registers it at start; with a
// Redis adapter the event reaches every process). One module graph holds both,
// so this is a plain module variable.
type Emitter = { to(room: string): { emit(event: string, payload: unknown): void } };
type Stats = { documentsLoaded: number; connections: number };

let current: { emitter: Emitter; stats: () => Stats } | null = null;

/** Called by the realtime layer when it starts (and with null when it stops). */
export function attachRealtime(realtime: typeof current): void {
  current = realtime;
}

export function publish(room: string, event: string, payload: unknown): void {
  current?.emitter.to(room).emit(event, payload);
}

/** What the realtime layer of this process holds now (health, benchmarks). */
export function realtimeStats(): Stats {
  return current?.stats() ?? { documentsLoaded: 0, connections: 0 };
}

/** Socket.IO room names (a co-edited document's room is the Yjs side's: server/yjs/rooms.ts). */
export const socketRooms = {
  user: (userId: string) => `user:${userId}`,
  topic: (topicId: string) => `topic:${topicId}`,
  session: (sessionId: string) => `session:${sessionId}`,
};
