// The vote-burst denominator: how many durable single-row inserts per second
// this machine's disk and SQLite allow, one transaction per row, on the
// settings the app really runs with. Run under tsx in its own process:
//   tsx bench/setup/sqlite-inserts.ts <dir> <seconds> <out.json> [serverSynchronous]
// serverSynchronous: the `PRAGMA synchronous` the server sets at start (found in the build), if any;
// the Prisma variants set it too, as server/index.ts does on the app's connection.
import { writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { now } from "../lib/clock";
import { summarize, type LatencySummary } from "../lib/histogram";

const [dirArg, secondsArg, out, serverSynchronous] = process.argv.slice(2);
if (!dirArg || !out) throw new Error("usage: sqlite-inserts.ts <dir> <seconds> <out.json>");
const dir: string = dirArg;
const seconds = Number(secondsArg ?? 5);
const MAX_ROWS = 2_000_000;
/** Unmeasured inserts first, so JIT compilation and Prisma's first query plans are not counted. */
const WARMUP_MS = Math.min(1000, seconds * 200);

async function timed(insert: (i: number) => unknown): Promise<{ rows: number; elapsed: number; latencies: number[] }> {
  let i = 0;
  const warmUntil = now() + WARMUP_MS;
  while (now() < warmUntil && i < MAX_ROWS) await insert(i++);
  const latencies: number[] = [];
  const t0 = now();
  const until = t0 + seconds * 1000;
  let rows = 0;
  while (rows < MAX_ROWS) {
    const a = now();
    if (a >= until) break;
    await insert(i++);
    latencies.push(now() - a);
    rows++;
  }
  return { rows, elapsed: (now() - t0) / 1000, latencies };
}

export type InsertRun = {
  variant: string;
  journalMode: string;
  synchronous: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  latencyMs: LatencySummary;
};

const SYNC_NAMES: Record<string, string> = { "0": "OFF", "1": "NORMAL", "2": "FULL", "3": "EXTRA" };

async function rawInserts(variant: string, synchronous: string | null): Promise<InsertRun> {
  const file = path.join(dir, `inserts-${variant}.db`);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  if (synchronous) db.pragma(`synchronous = ${synchronous}`);
  db.exec(`CREATE TABLE IF NOT EXISTS vote (
    id INTEGER PRIMARY KEY,
    motion_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    choice TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (motion_id, user_id)
  )`);
  const insert = db.prepare("INSERT INTO vote (motion_id, user_id, choice, created_at) VALUES (?, ?, ?, ?)");
  // Autocommit: every run() is its own transaction, committed before it returns.
  // (Awaiting a resolved value per row keeps the loop shaped like the Prisma one; it costs microseconds.)
  const { rows, elapsed, latencies } = await timed((i) => insert.run("motion-1", `user-${i}`, i % 3 === 0 ? "against" : "for", Date.now()));
  const result: InsertRun = {
    variant,
    journalMode: String(db.pragma("journal_mode", { simple: true })),
    synchronous: SYNC_NAMES[String(db.pragma("synchronous", { simple: true }))] ?? "?",
    rows,
    seconds: elapsed,
    rowsPerSecond: rows / elapsed,
    latencyMs: summarize(latencies),
  };
  db.close();
  return result;
}

async function prismaInserts(): Promise<InsertRun[]> {
  // The app's own client and adapter (app/utils/db.server.ts), on a fresh migrated copy of the schema.
  const file = path.join(dir, "inserts-prisma.db");
  process.env.DATABASE_URL = `file:${file}`;
  const { migrate } = await import("../../server/migrate");
  migrate(file);
  const { prisma } = await import("~/utils/db.server");
  if (serverSynchronous) await prisma.$queryRawUnsafe(`PRAGMA synchronous = ${serverSynchronous}`);
  await prisma.yDocument.create({ data: { name: "agenda-item:bench" } });
  const data = new Uint8Array(24).fill(7);
  const sync = ((await prisma.$queryRawUnsafe("PRAGMA synchronous")) as { synchronous: bigint }[])[0]?.synchronous;
  const journal = ((await prisma.$queryRawUnsafe("PRAGMA journal_mode")) as { journal_mode: string }[])[0]?.journal_mode;
  const settings = { journalMode: String(journal), synchronous: SYNC_NAMES[String(sync)] ?? "?" };
  const runs: InsertRun[] = [];
  // A vote as the app will likely write it: prisma.<model>.create, one row, its id back.
  {
    const { rows, elapsed, latencies } = await timed(() => prisma.yUpdate.create({ data: { docName: "agenda-item:bench", data }, select: { id: true } }));
    runs.push({
      variant: "prisma-create (app client and adapter)",
      ...settings,
      rows,
      seconds: elapsed,
      rowsPerSecond: rows / elapsed,
      latencyMs: summarize(latencies),
    });
  }
  // The Yjs store's append (server/yjs/store.ts): yUpdate.createMany, here with one update per call.
  {
    const { rows, elapsed, latencies } = await timed(() => prisma.yUpdate.createMany({ data: [{ docName: "agenda-item:bench", data }] }));
    runs.push({
      variant: "prisma-createMany (Yjs append path)",
      ...settings,
      rows,
      seconds: elapsed,
      rowsPerSecond: rows / elapsed,
      latencyMs: summarize(latencies),
    });
  }
  await prisma.$disconnect();
  return runs;
}

const runs: InsertRun[] = [
  // better-sqlite3's own default in WAL mode (it compiles SQLite with SQLITE_DEFAULT_WAL_SYNCHRONOUS=1): NORMAL.
  await rawInserts("better-sqlite3-wal-default", null),
  // FULL, SQLite's documented default: the WAL is fsynced at every commit.
  await rawInserts("better-sqlite3-wal-full", "FULL"),
  ...(await prismaInserts()),
];
writeFileSync(out, JSON.stringify(runs));
