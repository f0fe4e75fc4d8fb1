// Where the memory of N connections goes: compares two V8 heap snapshots of the
// server (taken with `--heapsnapshot-signal`, which collects garbage first) by
// constructor, and prints what grew, per connection.
//   node bench/tools/heap-diff.mjs before.heapsnapshot after.heapsnapshot <connections> [rows]
import { readFileSync } from "node:fs";

function summarize(file) {
  const snap = JSON.parse(readFileSync(file, "utf8"));
  const { node_fields: fields, node_types: types } = snap.snapshot.meta;
  const width = fields.length;
  const typeAt = fields.indexOf("type"),
    nameAt = fields.indexOf("name"),
    sizeAt = fields.indexOf("self_size");
  const typeNames = types[0];
  const byKey = new Map();
  let total = 0;
  const nodes = snap.nodes;
  for (let i = 0; i < nodes.length; i += width) {
    const type = typeNames[nodes[i + typeAt]];
    let name = snap.strings[nodes[i + nameAt]];
    if (type === "string" || type === "concatenated string" || type === "sliced string") name = "(string)";
    else if (type === "code") name = "(code)";
    else if (name.length > 60) name = name.slice(0, 60) + "…";
    const key = `${type}:${name}`;
    const size = nodes[i + sizeAt];
    total += size;
    const row = byKey.get(key) ?? { count: 0, size: 0 };
    row.count++;
    row.size += size;
    byKey.set(key, row);
  }
  return { byKey, total };
}

const [before, after, n = "1", rows = "40"] = process.argv.slice(2);
const a = summarize(before),
  b = summarize(after);
const per = Number(n);
const diff = [];
for (const [key, row] of b.byKey) {
  const was = a.byKey.get(key) ?? { count: 0, size: 0 };
  diff.push({ key, count: (row.count - was.count) / per, bytes: (row.size - was.size) / per });
}
diff.sort((x, y) => y.bytes - x.bytes);
console.log(
  `heap ${(a.total / 1048576).toFixed(1)} → ${(b.total / 1048576).toFixed(1)} MB; ${((b.total - a.total) / per / 1024).toFixed(2)} KB per connection (self sizes, after GC)`,
);
for (const d of diff.slice(0, Number(rows))) console.log(`${d.bytes.toFixed(0).padStart(8)} B  ${d.count.toFixed(2).padStart(7)}×  ${d.key}`);
