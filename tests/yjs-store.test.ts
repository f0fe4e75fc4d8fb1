// The Prisma store under two real processes at once (the contract in
// tests/document-store.contract.ts covers everything a single process sees).
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { prisma } from "~/utils/db.server";
import { PrismaDocumentStore } from "../server/yjs/store";
import { edit, textOf } from "./document-store.contract";

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
