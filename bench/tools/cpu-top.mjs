// Where a server's CPU went: reads a V8 .cpuprofile (BENCH_CPU_PROF=<dir> npm run bench …) and prints
// the functions with the most self time, and the most inclusive time, optionally within a time window.
//   node bench/tools/cpu-top.mjs <file.cpuprofile> [rows] [fromSeconds] [toSeconds]
// Seconds count from the profile's start (the server's start).
import { readFileSync } from "node:fs";

const [file, rowsArg = "30", fromArg, toArg] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const from = fromArg ? Number(fromArg) * 1e6 : -Infinity;
const to = toArg ? Number(toArg) * 1e6 : Infinity;

const self = new Map();
const inclusive = new Map();
let t = 0;
let total = 0;
const label = (n) => {
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^.*\/(node_modules\/|build\/)/, "$1")}:${f.lineNumber + 1}` : "";
  return `${f.functionName || "(anonymous)"} ${where}`.trim();
};
profile.samples.forEach((id, i) => {
  t += profile.timeDeltas[i] ?? 0;
  if (t < from || t > to) return;
  const n = byId.get(id);
  if (!n || n.callFrame.functionName === "(idle)") return;
  total++;
  self.set(label(n), (self.get(label(n)) ?? 0) + 1);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur));
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + 1);
  }
});
const interval = (profile.endTime - profile.startTime) / profile.samples.length / 1000;
console.log(`${total} busy samples (~${((total * interval) / 1000).toFixed(1)} s of CPU) between ${fromArg ?? "start"} and ${toArg ?? "end"} s`);
const show = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(rowsArg)))
    console.log(`${((100 * v) / total).toFixed(1).padStart(6)} %  ${k.slice(0, 140)}`);
};
show("self", self);
show("inclusive", inclusive);
