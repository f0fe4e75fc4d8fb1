// The Node entry (server/) and the Remix build are two module graphs in one
// process; both must share one Prisma client and one Socket.IO server.
const store = ((globalThis as { __yishi?: Map<string, unknown> }).__yishi ??= new Map());

export function singleton<T>(name: string, create: () => T): T {
  if (!store.has(name)) store.set(name, create());
  return store.get(name) as T;
}

/** A singleton made elsewhere (the realtime layer, by server/index.ts), if this process has one. */
export function lookup<T>(name: string): T | undefined {
  return store.get(name) as T | undefined;
}
