// better-sqlite3 gives Prisma one connection. Prisma's adapter (6.19) does not
// stop a query made outside an interactive transaction from running on that
// connection while the transaction is open, so the query joins the
// transaction and vanishes if it rolls back (tests/sqlite-adapter.test.ts).
// This wrapper queues such queries until the transaction ends. So inside
// prisma.$transaction(async (tx) => …) use tx for every query: a query on the
// outer client waits for the transaction, which waits for the query.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

type Factory = InstanceType<typeof PrismaBetterSQLite3>;
type Adapter = Awaited<ReturnType<Factory["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/**
 * One holder at a time, in arrival order. `tryAcquire` takes it at once when nobody holds or
 * waits for it, so a caller that writes synchronously (the Yjs appender) pays no extra tick.
 */
export class Mutex {
  private held = false;
  private readonly waiting: (() => void)[] = [];
  tryAcquire(): (() => void) | null {
    if (this.held || this.waiting.length > 0) return null;
    this.held = true;
    return this.releaser();
  }
  acquire(): Promise<() => void> {
    const now = this.tryAcquire();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => this.waiting.push(() => resolve(this.releaser())));
  }
  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.held = false;
    };
  }
}

/**
 * The lock of the Prisma connection to each SQLite file of this process. Another connection
 * that writes the same file (server/yjs/sqlite-appender.ts) takes it too: Prisma opens its
 * transactions with a deferred BEGIN, so a write from elsewhere between a transaction's read
 * and its write would make that write fail with SQLITE_BUSY at once, whatever busy_timeout says.
 */
const writeLocks = new Map<string, Mutex>();
export function sqliteWriteLock(file: string): Mutex {
  let lock = writeLocks.get(file);
  if (!lock) writeLocks.set(file, (lock = new Mutex()));
  return lock;
}

function serialize(adapter: Adapter, lock: Mutex): Adapter {
  const exclusive = async <T>(work: () => Promise<T>): Promise<T> => {
    const release = await lock.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  };
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  const executeScript = adapter.executeScript.bind(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.queryRaw = (q) => exclusive(() => queryRaw(q));
  adapter.executeRaw = (q) => exclusive(() => executeRaw(q));
  adapter.executeScript = (s) => exclusive(() => executeScript(s));
  adapter.startTransaction = async (isolation) => {
    const release = await lock.acquire();
    let tx: Transaction;
    try {
      tx = await startTransaction(isolation);
    } catch (error) {
      release();
      throw error;
    }
    const commit = tx.commit.bind(tx);
    const rollback = tx.rollback.bind(tx);
    tx.commit = () => commit().finally(release);
    tx.rollback = () => rollback().finally(release);
    return tx;
  };
  // Without this Prisma assumes SQLite's old limit of 999 bound values, and a thousand
  // concurrent findUnique calls (which it batches into one query) fail outright.
  // better-sqlite3 builds SQLite with the modern limit.
  adapter.getConnectionInfo = () => ({ maxBindValues: SQLITE_MAX_VARIABLE_NUMBER, supportsRelationJoins: false });
  return adapter;
}

/** SQLite's default since 3.32; better-sqlite3 12 ships 3.4x. */
const SQLITE_MAX_VARIABLE_NUMBER = 32_766;

export function sqliteAdapter(file: string, options: { timeout?: number } = {}): Factory {
  const factory = new PrismaBetterSQLite3({ url: `file:${file}`, timeout: options.timeout ?? 10_000 });
  const connect = factory.connect.bind(factory);
  const lock = sqliteWriteLock(file);
  factory.connect = async () => serialize(await connect(), lock);
  return factory;
}
