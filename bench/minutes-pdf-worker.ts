// Runs in a fresh process (bench/scenarios/minutes-pdf.ts spawns it), so the first render is truly
// cold: module loading, reading and parsing the 7.7 MB font, and an unoptimised JIT all count.
// argv: <warm runs> <out.json>
import { statSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { sampleMinutes } from "../tests/fixtures/minutes";

const [runsArg, out] = process.argv.slice(2);
const runs = Number(runsArg);
if (!Number.isInteger(runs) || runs < 1 || !out) throw new Error("usage: minutes-pdf-worker.ts <warm runs> <out.json>");

const t0 = performance.now();
const { renderMinutesPdf, PDF_FONT_PATH } = await import("~/models/minutes/render/pdf.server");
const importMs = performance.now() - t0;

const minutes = sampleMinutes(30);
const t1 = performance.now();
const first = await renderMinutesPdf(minutes);
const coldMs = performance.now() - t1;

const warmMs: number[] = [];
let bytes = first.length;
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const pdf = await renderMinutesPdf(minutes);
  warmMs.push(performance.now() - t);
  bytes = pdf.length;
}
const pages = (first.toString("latin1").match(/\/Type \/Page\b/g) ?? []).length;
writeFileSync(
  out,
  JSON.stringify({ importMs, coldMs, warmMs, pages, bytes, fontBytes: statSync(PDF_FONT_PATH).size, rssMb: process.memoryUsage().rss / 2 ** 20 }),
);
