// The storage contract every document store must honour (in the spirit of
// tldraw's storage contract tests): ordered, durable appends; compaction that
// loses nothing even while another process appends.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { prisma } from "~/utils/db.server";
import { PrismaDocumentStore } from "../server/yjs/store";

function edit(doc: Y.Doc, text: string): Uint8Array {
  const updates: Uint8Array[] = [];
  const on = (u: Uint8Array) => updates.push(u);
  doc.on("update", on);
  doc.getText("t").insert(doc.getText("t").length, text);
  doc.off("update", on);
  return Y.mergeUpdates(updates);
}

function textOf(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText("t").toString();
}


describe("PrismaDocumentStore", () => {
  const store = new PrismaDocumentStore(prisma);

  it("starts empty and returns appends in order", async () => {
    expect(await store.load("t:order")).toEqual([]);
    const doc = new Y.Doc();
    const updates = ["一", "二", "三"].map((s) => edit(doc, s));
    await store.append("t:order", [updates[0]!]);
    await store.append("t:order", updates.slice(1));
    const loaded = await store.load("t:order");
    expect(loaded).toHaveLength(3);
    expect(textOf(loaded)).toBe("一二三");
    expect(await store.pendingCount("t:order")).toBe(3);
  });

  it("compaction folds updates into one snapshot and keeps the text", async () => {
    await store.compact("t:order");
    const loaded = await store.load("t:order");
    expect(loaded).toHaveLength(1);
    expect(textOf(loaded)).toBe("一二三");
    expect(await store.pendingCount("t:order")).toBe(0);
    await store.compact("t:order"); // nothing to do is fine
    expect(textOf(await store.load("t:order"))).toBe("一二三");
  });

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
