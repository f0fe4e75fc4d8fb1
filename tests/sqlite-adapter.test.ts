import { describe, expect, it } from "vitest";
import { prisma } from "~/utils/db.server";

describe("the SQLite connection", () => {
  it("keeps a write made outside a transaction when that transaction rolls back", async () => {
    await prisma.yDocument.create({ data: { name: "adapter:test" } });
    const outside = (async () => {
      await new Promise((r) => setTimeout(r, 20));
      await prisma.yUpdate.create({ data: { docName: "adapter:test", data: new Uint8Array([1]) } });
    })();
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.yUpdate.create({ data: { docName: "adapter:test", data: new Uint8Array([2]) } });
        await new Promise((r) => setTimeout(r, 100));
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await outside;
    const rows = await prisma.yUpdate.findMany({ where: { docName: "adapter:test" } });
    expect(rows.map((r) => [...r.data])).toEqual([[1]]);
  });

  it("runs in WAL mode", async () => {
    const rows = await prisma.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    expect(rows[0]!.journal_mode).toBe("wal");
  });
});
