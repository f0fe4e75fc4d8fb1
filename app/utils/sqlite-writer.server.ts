// The hot write paths on SQLite without Prisma: the Yjs append (every edit waits for one before
// it is relayed) and the ballots' group commit. Profiled under the bench, Prisma spent more on
// compiling and interpreting each statement (its query compiler, ~0.3 ms a call) than SQLite
// spent writing it; a prepared better-sqlite3 statement on a connection of its own writes the
// same rows in a fraction of that, and commits them just as durably (synchronous = FULL, as the
// server sets on Prisma's connection).
//
// Writes stay serialized with Prisma's: the writer takes the Prisma connection's lock
// (sqliteWriteLock), so it never writes inside one of Prisma's open transactions (Prisma's
// deferred BEGIN would fail at once with SQLITE_BUSY when its transaction writes after reading).
// When the lock is free it writes at once, synchronously, like every better-sqlite3 call. A
// writer in another process (the CLI, a second server on the same file) is waited for by
// busy_timeout, as Prisma's own connection does. PostgreSQL keeps to Prisma: its writes do not
// block the event loop and its pool already serves several at once.
import Database from "better-sqlite3";
import { sqlitePath } from "./database-url.server";
import { sqliteWriteLock, type Mutex } from "./sqlite-adapter.server";

/** As long as Prisma's connection waits for a writer in another process (sqliteAdapter). */
const BUSY_TIMEOUT_MS = 10_000;

export class SqliteWriter {
  readonly db: Database.Database;
  private readonly lock: Mutex;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly transaction: Database.Transaction<(work: (writer: SqliteWriter) => unknown) => unknown>;

  constructor(readonly file: string) {
    this.lock = sqliteWriteLock(file);
    this.db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    // WAL is a property of the file (the migrations set it); the others are per connection.
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("secure_delete = ON");
    this.transaction = this.db.transaction((work: (writer: SqliteWriter) => unknown) => work(this));
  }

  /** A prepared statement, prepared once per connection. */
  statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  /**
   * Runs `work` in one transaction (BEGIN IMMEDIATE: a writer in another process is waited for
   * rather than failing the upgrade from a read lock); resolves once it is committed, rejects
   * (with nothing written) if it throws.
   */
  write<T>(work: (writer: SqliteWriter) => T): Promise<T> {
    const run = (release: () => void): T => {
      try {
        return this.transaction.immediate(work) as T;
      } finally {
        release();
      }
    };
    const release = this.lock.tryAcquire();
    if (release) {
      try {
        return Promise.resolve(run(release));
      } catch (error) {
        return Promise.reject(error as Error);
      }
    }
    return this.lock.acquire().then(run);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

const writers = new Map<string, SqliteWriter>();

/** The writer of DATABASE_URL's file (one per file and process, like Prisma's connection); null on PostgreSQL or in memory. */
export function sqliteWriter(provider: "sqlite" | "postgresql"): SqliteWriter | null {
  if (provider !== "sqlite") return null;
  const file = sqlitePath();
  if (file === ":memory:") return null;
  let writer = writers.get(file);
  if (!writer) writers.set(file, (writer = new SqliteWriter(file)));
  return writer;
}

/** Closes every writer (the process stops). */
export function closeSqliteWriters(): void {
  for (const writer of writers.values()) writer.close();
  writers.clear();
}

/** How Prisma writes a DateTime on SQLite (its adapter's default, iso8601), for rows written here. */
export const sqliteDateTime = (date = new Date()) => date.toISOString().replace("Z", "+00:00");
