// Development-time HMR guard only: when Vite re-runs a changed module, a value
// made with singleton() (the database client) is reused instead of opening a
// second connection. Production loads every module once; nothing else needs it.
const store = ((globalThis as { __yishi?: Map<string, unknown> }).__yishi ??= new Map());

export function singleton<T>(name: string, create: () => T): T {
  if (!store.has(name)) store.set(name, create());
  return store.get(name) as T;
}
