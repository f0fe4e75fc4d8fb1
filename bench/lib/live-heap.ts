// What a server's objects occupy once garbage is collected, asked through the V8 inspector.
// RSS deltas (the capacity scenario's first figure) also count garbage not yet collected and
// heap pages V8 reserved earlier and reuses: the same 2 000 participants read 15 KB each in one
// run and 78 KB in another. Live memory after a full GC is the steadier figure for what a
// connection keeps. The server must run with INSPECT_ARGS; the bench attaches only to measure.
import { readFileSync } from "node:fs";
import WebSocket from "ws";
import { waitFor } from "./clock";

/** Node flags for a server whose live memory will be asked: the inspector on a free loopback port. */
export const INSPECT_ARGS = ["--inspect=127.0.0.1:0"];

export type LiveMemory = { heapUsedMb: number; externalMb: number; totalMb: number };

async function inspectorUrl(logFile: string): Promise<string> {
  let url = "";
  await waitFor(
    "the server's inspector address in its log",
    async () => {
      url = /Debugger listening on (ws:\/\/\S+)/.exec(readFileSync(logFile, "utf8"))?.[1] ?? "";
      return url !== "";
    },
    10_000,
    100,
  );
  return url;
}

/**
 * Collects garbage (twice: weakly held objects go on the second pass) and reads process.memoryUsage():
 * V8 heap in use plus external memory (Buffers and ArrayBuffers outside the heap, such as ws's).
 */
export async function liveMemory(logFile: string): Promise<LiveMemory> {
  const ws = new WebSocket(await inspectorUrl(logFile), { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  let id = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  ws.on("message", (data) => {
    const m = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (m.id !== undefined) waiting.get(m.id)?.(m.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const me = ++id;
      const timer = setTimeout(() => reject(new Error(`inspector: no answer to ${method}`)), 120_000);
      waiting.set(me, (result) => (clearTimeout(timer), resolve(result)));
      ws.send(JSON.stringify({ id: me, method, params }));
    });
  try {
    await call("HeapProfiler.collectGarbage");
    await call("HeapProfiler.collectGarbage");
    const result = (await call("Runtime.evaluate", { expression: "JSON.stringify(process.memoryUsage())", returnByValue: true })) as {
      result: { value: string };
    };
    const usage = JSON.parse(result.result.value) as { heapUsed: number; external: number };
    const mb = (n: number) => n / 1024 / 1024;
    return { heapUsedMb: mb(usage.heapUsed), externalMb: mb(usage.external), totalMb: mb(usage.heapUsed + usage.external) };
  } finally {
    ws.close();
  }
}
