// The Yjs append path on SQLite, without Prisma: one prepared INSERT on a connection of its
// own, committed (and fsynced: synchronous = FULL, as the server sets on Prisma's connection)
// before the room relays anything. Profiled under the fan-out bench, Prisma spent more on
// compiling and interpreting each createMany (its query compiler, a transaction around it)
// than SQLite spent writing it; the prepared statement writes the same row in a fraction of that.
//
// Writes stay serialized with Prisma's: the appender takes the Prisma connection's lock
// (sqliteWriteLock), so it never writes inside one of Prisma's open transactions. When the
// lock is free it writes at once, synchronously, like every better-sqlite3 call; another
// process holding SQLite's write lock (the CLI, a second server on the same file) is waited
// for by busy_timeout, as Prisma's own connection does.
import Database from "better-sqlite3";
import { sqliteWriteLock, type Mutex } from "~/utils/sqlite-adapter.server";
import { DocumentGone } from "./store";

/** As long as Prisma's connection waits for a writer in another process (sqliteAdapter). */
const BUSY_TIMEOUT_MS = 10_000;

export class SqliteUpdateAppender {
  private readonly db: Database.Database;
  private readonly lock: Mutex;
  private readonly insertAll: (name: string, updates: Uint8Array[], createdAt: string) => void;

  constructor(readonly file: string) {
    this.lock = sqliteWriteLock(file);
    this.db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    // WAL is a property of the file (the migrations' connection set it); these are per connection.
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("foreign_keys = ON");
    const insert = this.db.prepare<[string, Uint8Array, string]>(`INSERT INTO "YUpdate" ("docName", "data", "createdAt") VALUES (?, ?, ?)`);
    // BEGIN IMMEDIATE: take the write lock first, so a writer in another process is waited for
    // (busy_timeout) instead of failing the upgrade from a read lock.
    this.insertAll = this.db.transaction((name: string, updates: Uint8Array[], createdAt: string) => {
      for (const update of updates) insert.run(name, update, createdAt);
    }).immediate;
  }

  /** Resolves once the updates are committed; rejects with DocumentGone when the document's row is gone. */
  append(name: string, updates: Uint8Array[]): Promise<void> {
    if (updates.length === 0) return Promise.resolve();
    const release = this.lock.tryAcquire();
    if (release) {
      try {
        this.write(name, updates);
      } catch (error) {
        return Promise.reject(error as Error);
      } finally {
        release();
      }
      return Promise.resolve();
    }
    return this.lock.acquire().then((release) => {
      try {
        this.write(name, updates);
      } finally {
        release();
      }
    });
  }

  private write(name: string, updates: Uint8Array[]): void {
    try {
      // The format Prisma writes DateTime in on SQLite (the adapter's default, iso8601).
      this.insertAll(name, updates, new Date().toISOString().replace("Z", "+00:00"));
    } catch (error) {
      if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_FOREIGNKEY") throw new DocumentGone(name);
      throw error;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

const appenders = new Map<string, SqliteUpdateAppender>();

/** One appender per database file and process, like Prisma's one connection. */
export function sqliteUpdateAppender(file: string): SqliteUpdateAppender {
  let appender = appenders.get(file);
  if (!appender) appenders.set(file, (appender = new SqliteUpdateAppender(file)));
  return appender;
}

/** Closes every appender (the process stops, or a test is done with its database). */
export function closeSqliteUpdateAppenders(): void {
  for (const appender of appenders.values()) appender.close();
  appenders.clear();
}
