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

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

function serialize(adapter: Adapter): Adapter {
  const lock = new Mutex();
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
  factory.connect = async () => serialize(await connect());
  return factory;
}
