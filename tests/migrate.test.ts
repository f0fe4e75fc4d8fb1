// Migrations are applied at start on databases full of real data: a table
// rebuild must keep every row, children included.
import { cpSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrate } from "../server/migrate";
import { freshDbFile } from "./fixtures/server";

describe("migrate", () => {
  it("applies each migration once and keeps existing rows through table rebuilds", () => {
    const all = readdirSync("prisma/migrations", { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    const firstOnly = path.resolve(`tmp/vitest/migrations-${process.pid}`);
    mkdirSync(firstOnly, { recursive: true });
    cpSync(path.join("prisma/migrations", all[0]!), path.join(firstOnly, all[0]!), { recursive: true });

    const file = freshDbFile("migrate");
    expect(migrate(file, firstOnly).applied).toEqual([all[0]]);
    const db = new Database(file);
    db.prepare(`INSERT INTO "Community" (id, slug, name) VALUES ('c1', 'c', '社区')`).run();
    db.prepare(`INSERT INTO "Grid" (id, communityId, name, code) VALUES ('g1', 'c1', '第一网格', 'G01')`).run();
    db.close();

    expect(migrate(file).applied).toEqual(all.slice(1));
    expect(migrate(file).applied).toEqual([]);
    const after = new Database(file);
    expect(after.prepare(`SELECT COUNT(*) AS n FROM "Grid"`).get()).toEqual({ n: 1 });
    expect(after.prepare(`SELECT COUNT(*) AS n FROM "_prisma_migrations"`).get()).toEqual({ n: all.length });
    expect(after.pragma("journal_mode", { simple: true })).toBe("wal");
    after.close();
  });
});
