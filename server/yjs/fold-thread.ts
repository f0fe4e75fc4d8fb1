// Compaction folds a document's snapshot and its recent updates into one snapshot. For a long
// document that is tens of milliseconds of CPU (a 100 000-keystroke item: its ~300 KB snapshot
// applied to a fresh Y.Doc and encoded again), and on the main thread every edit of every
// document would wait behind it. So compaction folds on a worker thread: relaying never waits
// for a snapshot (issue 16, "compaction never blocks relaying"). Loading a document still
// applies it on the main thread: the room needs it there.
import { Worker } from "node:worker_threads";
import { foldUpdates } from "./store";

// Plain CommonJS evaluated in the worker: no build step of its own, and the same yjs package
// the server uses (resolved from the working directory, where node_modules is).
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const Y = require("yjs");
parentPort.on("message", ({ id, parts }) => {
  try {
    const doc = new Y.Doc();
    doc.transact(() => { for (const part of parts) Y.applyUpdate(doc, part); });
    const folded = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    parentPort.postMessage({ id, folded }, [folded.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

/** Below this many bytes the fold is cheaper than the round trip to the thread. */
const SMALL_FOLD_BYTES = 64 * 1024;

let worker: Worker | null = null;
let broken = false;
let nextId = 0;
const waiting = new Map<number, { resolve: (u: Uint8Array) => void; reject: (e: Error) => void }>();

function thread(): Worker | null {
  if (worker || broken) return worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true });
  } catch (error) {
    broken = true;
    console.warn(`[yjs] no fold thread (${(error as Error).message}); compaction folds on the main thread`);
    return null;
  }
  worker.on("message", (m: { id: number; folded?: Uint8Array; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (waiting.size === 0) worker?.unref();
    if (!w) return;
    if (m.folded) w.resolve(new Uint8Array(m.folded));
    else w.reject(new Error(m.error ?? "fold failed"));
  });
  const fail = (error: Error) => {
    worker = null;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`fold thread exited with code ${code}`)));
  // Idle, the thread must not keep a process alive (a script that compacted once would never
  // exit: the long-document bench's setup hung there). Unref'd after the listeners, which ref it again.
  worker.unref();
  return worker;
}

/** foldUpdates, off the main thread when the parts are large enough to matter. The result is the same. */
export async function foldUpdatesOffThread(parts: Uint8Array[]): Promise<Uint8Array> {
  const size = parts.reduce((n, p) => n + p.length, 0);
  const w = size >= SMALL_FOLD_BYTES ? thread() : null;
  if (!w) return foldUpdates(parts);
  const id = nextId++;
  return new Promise<Uint8Array>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    // Busy, it must: a fold awaited by a process with nothing else to do would otherwise be dropped at exit.
    w.ref();
    // Copies (not transfers): the caller's buffers may be views into rows Prisma still holds.
    w.postMessage({ id, parts });
  }).catch((error: Error) => {
    // A thread that cannot start (yjs not resolvable from the working directory) or died: fold
    // here, now and from then on, rather than leave every document uncompacted.
    if (!broken) console.warn(`[yjs] fold thread failed (${error.message}); compaction folds on the main thread`);
    broken = true;
    return foldUpdates(parts);
  });
}

/** Whether the thread failed and compaction folds on the main thread (tests and diagnostics). */
export const foldThreadFailed = (): boolean => broken;
