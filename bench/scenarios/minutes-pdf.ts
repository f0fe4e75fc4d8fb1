// Minutes PDF: renderMinutesPdf for a published 30-item session (tests/fixtures/minutes.ts: each
// item a heading, the secretary's paragraph, two motions with votes and results; 15 A4 pages).
// A fresh process measures the cold first render, then the median of warm renders in a row.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Context } from "../lib/context";
import { BENCH_DIR, ROOT } from "../lib/servers";

export const PDF_FULL = { runs: 30 };
export const PDF_QUICK = { runs: 5 };

export type MinutesPdfResult = {
  items: number;
  runs: number;
  importMs: number;
  coldMs: number;
  warmMs: { median: number; min: number; max: number };
  pages: number;
  bytes: number;
  fontBytes: number;
  rssMb: number;
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export function runMinutesPdf(ctx: Pick<Context, "tmpDir" | "log">, sizes: { runs: number }): MinutesPdfResult {
  const out = path.join(ctx.tmpDir, "minutes-pdf.json");
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(BENCH_DIR, "minutes-pdf-worker.ts"), String(sizes.runs), out], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 5 * 60_000,
  });
  if (r.status !== 0) throw new Error(`minutes-pdf-worker.ts failed (${r.status ?? r.signal}):\n${r.stderr || r.stdout}`);
  const raw = JSON.parse(readFileSync(out, "utf8")) as Omit<MinutesPdfResult, "items" | "runs" | "warmMs"> & { warmMs: number[] };
  const result: MinutesPdfResult = {
    ...raw,
    items: 30,
    runs: sizes.runs,
    warmMs: { median: median(raw.warmMs), min: Math.min(...raw.warmMs), max: Math.max(...raw.warmMs) },
  };
  ctx.log(
    `minutes PDF, 30 items: ${result.pages} pages, ${(result.bytes / 1024).toFixed(0)} KB; cold ${result.coldMs.toFixed(0)} ms (+ ${result.importMs.toFixed(0)} ms module load), warm median ${result.warmMs.median.toFixed(0)} ms over ${sizes.runs}`,
  );
  return result;
}
