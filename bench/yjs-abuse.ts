// What one hostile seated member costs everyone else on the Yjs channel
// (issue 10 item 1 and 6): the production build on a fresh bench database,
// an attacker in a child process, and in this process a probe — another
// user's `GET /`, one after another — plus the server's RSS and the database
// file's size. Not part of `npm run bench` (it is deliberately abusive); run:
//
//   npm run build && npx tsx bench/yjs-abuse.ts [--build-dir=<dir>] [--quick] [--only=oversize,fill]
//
// --build-dir measures another build (say, of the commit before the limits) the same way;
// --only picks attacks (oversize, missing-history, fill, presence).
import { fork } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import * as Y from "yjs";
import { now, sleep } from "./lib/clock";
import { readProc } from "./lib/proc";
import { build, ROOT, startYishi } from "./lib/servers";
import { ms, table } from "./lib/table";

const MiB = 1024 * 1024;
const updateMessage = (update: Uint8Array) => {
  // The stock y-websocket frame: [0 = sync][2 = update][varUint length][update]
  const header: number[] = [0, 2];
  let n = update.length;
  while (n > 0x7f) {
    header.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  header.push(n);
  return Buffer.concat([Buffer.from(header), update]);
};

/** Text Yjs stores as it is: no two chunks alike. */
const bulk = (n: number, seed: number) => {
  let s = `${seed}:`;
  while (s.length < n) s += Math.random().toString(36).slice(2);
  return s.slice(0, n);
};

type AttackName = "oversize" | "missing-history" | "fill" | "presence";

// ---- the attacker (child process) ----------------------------------------------------------
async function attack(name: AttackName, url: string, quick: boolean): Promise<Record<number, number>> {
  const codes: Record<number, number> = {};
  const once = (message: Buffer | Buffer[]) =>
    new Promise<void>((resolve) => {
      const ws = new WebSocket(url, { maxPayload: 256 * MiB });
      ws.on("error", () => {});
      ws.on("open", () => {
        for (const m of Array.isArray(message) ? message : [message]) ws.send(m);
        // A connection nobody closes is closed by the attacker after a moment (the presence flood).
        setTimeout(() => ws.close(), 500);
      });
      ws.on("close", (code) => {
        codes[code] = (codes[code] ?? 0) + 1;
        resolve();
      });
    });
  if (name === "oversize") {
    // Issue 10: 20 edits of 7.9 MB to one agenda item.
    for (let i = 0; i < (quick ? 5 : 20); i++) {
      const doc = new Y.Doc();
      doc.getText("attack").insert(0, bulk(7.9e6, i));
      await once(updateMessage(Y.encodeStateAsUpdate(doc)));
    }
  } else if (name === "missing-history") {
    // Issue 10: 300 edits of 1 MB that depend on history the server never got.
    for (let i = 0; i < (quick ? 30 : 300); i++) {
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on("update", (u: Uint8Array) => updates.push(u));
      doc.getText("t").insert(0, "never sent");
      doc.getText("t").insert(0, bulk(MiB - 4096, i));
      await once(updateMessage(updates[1]!));
    }
  } else if (name === "fill") {
    // Valid edits just under the update cap, one per connection (so no rate limit applies), again
    // and again: the document fills up. The first carries the client's whole state, as a stock
    // client's sync step 2 would; the rest only the new text.
    const doc = new Y.Doc();
    for (let i = 0; i < (quick ? 12 : 24); i++) {
      const updates: Uint8Array[] = [];
      const on = (u: Uint8Array) => updates.push(u);
      doc.on("update", on);
      doc.getText("fill").insert(doc.getText("fill").length, bulk(MiB - 4096, i));
      doc.off("update", on);
      await once(updateMessage(updates[0]!));
    }
  } else {
    // Issue 10 item 6: 2 000 fake presence entries per message (just under the message cap), over and over.
    const entries = (base: number) => {
      const parts: Buffer[] = [];
      const varUint = (n: number) => {
        const out: number[] = [];
        while (n > 0x7f) {
          out.push((n & 0x7f) | 0x80);
          n = Math.floor(n / 128);
        }
        out.push(n);
        return Buffer.from(out);
      };
      parts.push(varUint(2000));
      for (let i = 0; i < 2000; i++) {
        const json = Buffer.from(JSON.stringify({ user: { name: "假冒" }, pad: "x".repeat(300) }));
        parts.push(varUint(base + i), varUint(1), varUint(json.length), json);
      }
      const body = Buffer.concat(parts);
      return Buffer.concat([Buffer.from([1]), varUint(body.length), body]);
    };
    for (let i = 0; i < (quick ? 2 : 5); i++) await once(entries(1_000_000 + i * 2000));
  }
  return codes;
}

// ---- the orchestrator ------------------------------------------------------------------------
type Row = { attack: string; closes: string; failed: number; probeP50: number; probeMax: number; probes: number; rssStartMb: number; rssPeakMb: number; dbGrowthMb: number; itemPageKb: number };

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const dir = args.find((a) => a.startsWith("--build-dir="))?.slice("--build-dir=".length);
  if (dir) build.dir = path.resolve(dir);
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), "yishi-abuse-"));
  const dbFile = path.join(tmpDir, "bench.db");
  const databaseUrl = `file:${dbFile}`;
  const prepared = fork(path.join(ROOT, "bench/setup/prepare-db.ts"), [path.join(tmpDir, "setup.json"), "1", "1"], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  await new Promise((resolve, reject) => prepared.once("exit", (code) => (code === 0 ? resolve(null) : reject(new Error(`prepare-db exited ${code}`)))));
  const setup = JSON.parse(readFileSync(path.join(tmpDir, "setup.json"), "utf8")) as { demoSessionId: string };
  const server = await startYishi({ tmpDir, databaseUrl, label: "abuse" });
  const token = async (identifier: string) =>
    ((await (await fetch(`${server.httpBase}/api/v1/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ identifier, password: "yishi2026" }) })).json()) as { token: string }).token;
  const [attacker, observer, bystander] = [await token("grid1"), await token("observer"), await token("resident1")];
  const session = (await (await fetch(`${server.httpBase}/api/v1/sessions/${setup.demoSessionId}`, { headers: { authorization: `Bearer ${bystander}` } })).json()) as { agendaItems: { id: string }[] };
  const itemId = session.agendaItems[0]!.id;
  const docUrl = (t: string) => `${server.wsBase}/agenda-item:${itemId}?token=${t}`;
  const dbBytes = () => ["", "-wal"].reduce((n, s) => n + (statSync(dbFile + s, { throwIfNoEntry: false })?.size ?? 0), 0);

  async function probe(ms: number) {
    const times: number[] = [];
    let rssPeak = 0;
    let failed = 0;
    const until = now() + ms;
    while (now() < until) {
      const t0 = now();
      try {
        const res = await fetch(`${server.httpBase}/`, { headers: { authorization: `Bearer ${bystander}` }, signal: AbortSignal.timeout(60_000) });
        await res.arrayBuffer();
        if (!res.ok) failed++;
      } catch {
        failed++;
      }
      times.push(now() - t0);
      rssPeak = Math.max(rssPeak, (readProc(server.pid)?.rssKb ?? 0) / 1024);
      await sleep(20);
    }
    return { times, rssPeak, failed };
  }
  const stats = (times: number[]) => {
    const sorted = [...times].sort((a, b) => a - b);
    return { p50: sorted[Math.floor(sorted.length / 2)] ?? NaN, max: sorted[sorted.length - 1] ?? NaN };
  };

  const rows: Row[] = [];
  const idle = await probe(3000);
  rows.push({ attack: "none (idle)", closes: "—", failed: idle.failed, probeP50: stats(idle.times).p50, probeMax: stats(idle.times).max, probes: idle.times.length, rssStartMb: idle.rssPeak, rssPeakMb: idle.rssPeak, dbGrowthMb: 0, itemPageKb: NaN });

  const attacks: [AttackName, string][] = [
    ["oversize", attacker],
    ["missing-history", attacker],
    ["fill", attacker],
    ["presence", observer],
  ];
  const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length).split(",");
  for (const [name, t] of attacks.filter(([n]) => !only || only.includes(n))) {
    const rssStart = (readProc(server.pid)?.rssKb ?? 0) / 1024;
    const dbStart = dbBytes();
    const child = fork(fileURLToPath(import.meta.url), ["--attack", name, docUrl(t), quick ? "quick" : "full"], { execArgv: ["--import", "tsx"] });
    const result = new Promise<Record<number, number>>((resolve) => child.once("message", (m) => resolve(m as Record<number, number>)));
    const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const samples: number[] = [];
    let failed = 0;
    let rssPeak = rssStart;
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      const p = await probe(500);
      samples.push(...p.times);
      failed += p.failed;
      rssPeak = Math.max(rssPeak, p.rssPeak);
    }
    const codes = await result;
    const page = await fetch(`${server.httpBase}/sessions/${setup.demoSessionId}/items/${itemId}`, { headers: { authorization: `Bearer ${bystander}` }, signal: AbortSignal.timeout(120_000) })
      .then((r) => r.arrayBuffer())
      .catch(() => new ArrayBuffer(0));
    const s = stats(samples);
    rows.push({
      attack: name,
      closes: Object.entries(codes).map(([code, n]) => `${code}×${n}`).join(" "),
      failed,
      probeP50: s.p50,
      probeMax: s.max,
      probes: samples.length,
      rssStartMb: rssStart,
      rssPeakMb: rssPeak,
      dbGrowthMb: (dbBytes() - dbStart) / MiB,
      itemPageKb: page.byteLength / 1024,
    });
    console.log(`[abuse] ${name}: ${rows[rows.length - 1]!.closes}`);
  }
  await server.stop();
  rmSync(tmpDir, { recursive: true, force: true });
  console.log(`\nbuild: ${build.dir}${quick ? " (quick)" : ""}; probe = another user's GET /, sequential, while the attack runs`);
  console.log(
    table(
      ["attack", "closes (code×n)", "probe p50", "probe max", "probes (failed)", "RSS start", "RSS peak", "DB growth", "item page"],
      rows.map((r) => [r.attack, r.closes, ms(r.probeP50), ms(r.probeMax), `${r.probes} (${r.failed})`, `${r.rssStartMb.toFixed(0)} MB`, `${r.rssPeakMb.toFixed(0)} MB`, `${r.dbGrowthMb.toFixed(1)} MB`, Number.isNaN(r.itemPageKb) ? "—" : `${r.itemPageKb.toFixed(0)} KB`]),
    ),
  );
}

const at = process.argv.indexOf("--attack");
if (at >= 0) {
  const [name, url, mode] = process.argv.slice(at + 1) as [AttackName, string, string];
  const codes = await attack(name, url, mode === "quick");
  process.send!(codes);
  process.exit(0);
} else {
  await main();
  process.exit(0);
}
