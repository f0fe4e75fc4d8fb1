// What one write of the hot paths costs the server's own thread, in CPU time (user + system of
// this process, which is what a loaded machine does not inflate the way it inflates wall time):
// the Yjs append of one keystroke, through Prisma (yUpdate.createMany, the path before issue 16)
// and through the SQLite writer (PrismaDocumentStore.append now); a group of ballot writes, as
// castBallot's writeBallots issues them, through Prisma and through the writer. Both on one
// SQLite file with synchronous = FULL, interleaved in rounds. Not part of `npm run bench`:
//   npx tsx bench/write-cost.ts [rounds]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import * as Y from "yjs";

const dir = mkdtempSync(path.join(os.tmpdir(), "yishi-write-cost-"));
process.env.DATABASE_URL = `file:${path.join(dir, "cost.db")}`;
process.env.SESSION_SECRET ??= "write-cost-session-secret";
const rounds = Number(process.argv[2] ?? 5);

const { migrate } = await import("../server/migrate");
migrate();
const { prisma } = await import("~/utils/db.server");
const { sqliteWriter } = await import("~/utils/sqlite-writer.server");
const { PrismaDocumentStore } = await import("../server/yjs/store");
await prisma.$queryRawUnsafe("PRAGMA synchronous = FULL");

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
async function measure(n: number, op: (i: number) => Promise<unknown>): Promise<{ cpuMs: number; wallMs: number }> {
  for (let i = 0; i < 20; i++) await op(i); // warm-up
  const c0 = cpu();
  const w0 = performance.now();
  for (let i = 0; i < n; i++) await op(i);
  return { cpuMs: (cpu() - c0) / n, wallMs: (performance.now() - w0) / n };
}

const store = new PrismaDocumentStore(prisma);
await store.load("cost:doc");
const doc = new Y.Doc();
const keystroke = () => {
  const updates: Uint8Array[] = [];
  const on = (u: Uint8Array) => updates.push(u);
  doc.on("update", on);
  doc.getText("t").insert(doc.getText("t").length, "议");
  doc.off("update", on);
  return updates[0]!;
};

// Ballots: a motion that is voting, N voters; the statements writeBallots issues, through each path.
const GROUP = 200;
await prisma.$executeRawUnsafe(`PRAGMA foreign_keys = OFF`); // the cost of the writes, not the fixtures' setup
const writer = sqliteWriter("sqlite")!;
writer.db.pragma("foreign_keys = OFF");
const BALLOT = `INSERT INTO "Ballot" ("id", "motionId", "voterKey", "choice", "constituency", "clientBallotId", "seq", "castById", "proxy")
  SELECT ?, ?, ?, ?, ?, ?, CAST(? AS INTEGER), ?, ? WHERE 1 = 1
  ON CONFLICT ("motionId", "voterKey") DO UPDATE SET "choice" = excluded."choice", "seq" = excluded."seq" WHERE excluded."seq" > "Ballot"."seq"`;
let motion = 0;
async function ballotsPrisma(): Promise<void> {
  const m = `m-prisma-${motion++}`;
  await prisma.$transaction(
    Array.from({ length: GROUP }, (_, v) => [
      prisma.$executeRaw`INSERT INTO "Ballot" ("id", "motionId", "voterKey", "choice", "constituency", "clientBallotId", "seq", "castById", "proxy")
        SELECT ${randomBytes(12).toString("base64url")}, ${m}, ${`v${v}`}, ${"for"}, ${"resident"}, ${`c${v}`}, CAST(${1} AS INTEGER), ${null}, CAST(${false} AS BOOLEAN) WHERE 1 = 1
        ON CONFLICT ("motionId", "voterKey") DO UPDATE SET "choice" = excluded."choice", "seq" = excluded."seq" WHERE excluded."seq" > "Ballot"."seq"`,
      prisma.$executeRaw`INSERT INTO "BallotReceipt" ("motionId", "userId") SELECT ${m}, ${`v${v}`} WHERE 1 = 1 ON CONFLICT ("motionId", "userId") DO NOTHING`,
    ]).flat(),
  );
}
async function ballotsWriter(): Promise<void> {
  const m = `m-writer-${motion++}`;
  await writer.write((w) => {
    const b = w.statement(BALLOT);
    const r = w.statement(`INSERT INTO "BallotReceipt" ("motionId", "userId") SELECT ?, ? WHERE 1 = 1 ON CONFLICT ("motionId", "userId") DO NOTHING`);
    for (let v = 0; v < GROUP; v++) {
      b.run(randomBytes(12).toString("base64url"), m, `v${v}`, "for", "resident", `c${v}`, 1, null, 0);
      r.run(m, `v${v}`);
    }
  });
}

const rows: string[] = [];
const totals: Record<string, { cpu: number[]; wall: number[] }> = {};
const add = (k: string, r: { cpuMs: number; wallMs: number }) => {
  (totals[k] ??= { cpu: [], wall: [] }).cpu.push(r.cpuMs);
  totals[k].wall.push(r.wallMs);
};
for (let round = 0; round < rounds; round++) {
  add("append, Prisma createMany", await measure(300, () => prisma.yUpdate.createMany({ data: [{ docName: "cost:doc", data: Buffer.from(keystroke()) }] })));
  add("append, SQLite writer", await measure(300, () => store.append("cost:doc", [keystroke()])));
  add(`${GROUP} ballots, Prisma $transaction`, await measure(5, ballotsPrisma));
  add(`${GROUP} ballots, SQLite writer`, await measure(5, ballotsWriter));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [k, v] of Object.entries(totals)) rows.push(`| ${k} | ${median(v.cpu).toFixed(3)} | ${median(v.wall).toFixed(3)} |`);
console.log(`load average ${os.loadavg()[0]!.toFixed(2)}; ${rounds} interleaved rounds, medians per write`);
console.log("| write | CPU ms | wall ms |\n| --- | --- | --- |\n" + rows.join("\n"));
await prisma.$disconnect();
writer.close();
rmSync(dir, { recursive: true, force: true });
