// Compaction's fold on a worker thread (server/yjs/fold-thread.ts) must give the document the
// main-thread fold gives: same content, deleted text dropped, nothing lost.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { foldThreadFailed, foldUpdatesOffThread } from "../server/yjs/fold-thread";
import { foldUpdates } from "../server/yjs/store";

function keystrokes(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  const text = doc.getText("t");
  for (let i = 0; i < count; i++) text.insert(text.length, i % 10 === 9 ? "。" : "议");
  text.delete(0, 100); // deleted content is dropped by both folds
  return updates;
}

describe("folding off the main thread", () => {
  it("folds a large history (over the thread's threshold) into the same document as the main thread", async () => {
    const parts = keystrokes(4000);
    expect(parts.reduce((n, p) => n + p.length, 0)).toBeGreaterThan(64 * 1024);
    const [threaded, here] = [await foldUpdatesOffThread(parts), foldUpdates(parts)];
    const a = new Y.Doc();
    const b = new Y.Doc();
    Y.applyUpdate(a, threaded);
    Y.applyUpdate(b, here);
    expect(a.getText("t").toString()).toBe(b.getText("t").toString());
    expect(a.getText("t").length).toBe(3900);
    expect(Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b)))).toBe(true);
    // It ran on the thread: a failed thread would have fallen back to the main thread silently.
    expect(foldThreadFailed()).toBe(false);
    // Dropping deleted content makes the fold much smaller than the history it replaces.
    expect(threaded.length).toBeLessThan(parts.reduce((n, p) => n + p.length, 0) / 4);
  });

  it("folds a small history on the spot, with the same result", async () => {
    const parts = keystrokes(200);
    const a = new Y.Doc();
    Y.applyUpdate(a, await foldUpdatesOffThread(parts));
    const b = new Y.Doc();
    Y.applyUpdate(b, foldUpdates(parts));
    expect(a.getText("t").length).toBe(100);
    expect(a.getText("t").toString()).toBe(b.getText("t").toString());
  });

  it("lets a process exit once its folds are done, and not before", () => {
    // The limit only tells a hung process from a slow one; the fold itself takes about a second.
    const child = spawnSync(process.execPath, ["--import", "tsx", "tests/fixtures/fold-and-exit.ts", "4000"], { encoding: "utf8", timeout: 60_000 });
    expect(child.stderr).toBe("");
    expect(child.stdout.trim()).toBe("folded 4000");
    expect(child.status).toBe(0);
  });
});
