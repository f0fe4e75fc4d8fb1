// The Prisma store under two real processes at once (the contract in
// tests/document-store.contract.ts covers everything a single process sees).
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { prisma } from "~/utils/db.server";
import { PrismaDocumentStore } from "../server/yjs/store";
import { edit, textOf } from "./document-store.contract";
import { onPostgres, queryRows } from "./fixtures/database";
import pg from "pg";

describe("PrismaDocumentStore across processes", () => {
  const store = new PrismaDocumentStore(prisma);

  it("loses nothing when another process appends and compacts at the same time", async () => {
    const name = "t:race";
    await store.load(name);
    const worker = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/append-worker.ts", name, "b", "60"], {
      env: process.env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const finished = new Promise<number | null>((resolve) => worker.once("exit", resolve));
    // Start writing only once the other process is writing too.
    await new Promise<void>((resolve) => worker.stdout!.on("data", (d) => String(d).includes("ready") && resolve()));
    const doc = new Y.Doc();
    for (let i = 0; i < 60; i++) {
      await store.append(name, [edit(doc, "a")]);
      if (i % 7 === 0) await store.compact(name);
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await finished).toBe(0);
    await store.compact(name);
    const text = textOf(await store.load(name));
    expect(text.replaceAll("b", "")).toBe("a".repeat(60));
    expect(text.replaceAll("a", "")).toBe("b".repeat(60));
  });
});

// PostgreSQL draws update ids before the commit, so they may commit out of id order.
describe.skipIf(!onPostgres)("PrismaDocumentStore on PostgreSQL", () => {
  const store = new PrismaDocumentStore(prisma);

  it("folds only settled updates: an update that commits after a higher id is not hidden by a compaction", async () => {
    const name = "t:order";
    await store.load(name);
    const doc = new Y.Doc();
    const early = edit(doc, "early");
    const late = edit(doc, "late");
    // A writer in another connection draws its id first, the way an append does, and stalls before its commit.
    const slow = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await slow.connect();
    await slow.query("BEGIN");
    await slow.query(`SELECT 1 FROM "YDocument" WHERE "name" = $1 FOR SHARE`, [name]);
    const [{ id: earlyId }] = (await slow.query(`INSERT INTO "YUpdate" ("docName", "data") VALUES ($1, $2) RETURNING "id"`, [name, Buffer.from(early)])).rows;
    await store.append(name, [late]); // a higher id, committed first
    const [latest] = await queryRows<{ id: number }>(process.env.DATABASE_URL!, `SELECT max("id") AS "id" FROM "YUpdate" WHERE "docName" = $1`, [name]);
    expect(latest!.id).toBeGreaterThan(earlyId as number);
    let compacted = false;
    const compaction = store.compact(name).then(() => (compacted = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(compacted).toBe(false); // waits for the writer in flight rather than folding past it
    await slow.query("COMMIT");
    await slow.end();
    await compaction;
    expect(textOf(await new PrismaDocumentStore(prisma).load(name))).toBe("earlylate");
    expect(await store.pendingCount(name)).toBe(0);
  });
});

// Profiled under the long-document bench (issue 16): Prisma's SQLite adapter copies every blob
// it reads into an array of numbers and back, ~50 ms of blocked event loop for a 100 000-keystroke
// document's snapshot, at every load and every compaction. On SQLite the store reads snapshots
// and updates on its own connection; only the row's creation goes through Prisma.
describe.skipIf(onPostgres)("PrismaDocumentStore on SQLite", () => {
  it("loads and compacts without reading a snapshot or an update through Prisma", async () => {
    const blobReads: string[] = [];
    const watched = prisma.$extends({
      query: {
        $allModels: {
          async $allOperations({ model, operation, args, query }) {
            const select = (args as { select?: Record<string, unknown> }).select;
            const readsBlob = !/^(create|update|delete)(Many)?$/.test(operation) && (!select || "snapshot" in select || "data" in select);
            if (readsBlob && (model === "YDocument" || model === "YUpdate")) blobReads.push(`${model}.${operation}`);
            return query(args);
          },
        },
      },
    }) as unknown as typeof prisma;
    const store = new PrismaDocumentStore(watched);
    const name = "t:blobs";
    expect(await store.load(name)).toEqual([]);
    const doc = new Y.Doc();
    await store.append(
      name,
      ["议", "事", "会"].map((s) => edit(doc, s)),
    );
    await store.compact(name);
    await store.append(name, [edit(doc, "！")]);
    const loaded = await store.load(name);
    expect(loaded).toHaveLength(2);
    expect(textOf(loaded)).toBe("议事会！");
    expect(blobReads).toEqual([]);
  });
});
