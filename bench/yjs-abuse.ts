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
import { now, sleep } from "./lib/clock";
import { readProc } from "./lib/proc";
import { build, ROOT, startYishi } from "./lib/servers";
import { ms, table } from "./lib/table";
import { attack, type AttackName } from "./lib/yjs-attacks";

const MiB = 1024 * 1024;

// ---- the orchestrator ------------------------------------------------------------------------
type Row = {
  attack: string;
  closes: string;
  failed: number;
  probeP50: number;
  probeMax: number;
  probes: number;
  rssStartMb: number;
  rssPeakMb: number;
  dbGrowthMb: number;
  itemPageKb: number;
};

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
    (
      (await (
        await fetch(`${server.httpBase}/api/v1/auth/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ identifier, password: "yishi2026" }),
        })
      ).json()) as { token: string }
    ).token;
  const [attacker, observer, bystander] = [await token("grid1"), await token("observer"), await token("resident1")];
  const session = (await (
    await fetch(`${server.httpBase}/api/v1/sessions/${setup.demoSessionId}`, { headers: { authorization: `Bearer ${bystander}` } })
  ).json()) as { agendaItems: { id: string }[] };
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
  rows.push({
    attack: "none (idle)",
    closes: "—",
    failed: idle.failed,
    probeP50: stats(idle.times).p50,
    probeMax: stats(idle.times).max,
    probes: idle.times.length,
    rssStartMb: idle.rssPeak,
    rssPeakMb: idle.rssPeak,
    dbGrowthMb: 0,
    itemPageKb: NaN,
  });

  const attacks: [AttackName, string][] = [
    ["oversize", attacker],
    ["missing-history", attacker],
    ["fill", attacker],
    ["presence", observer],
  ];
  const only = args
    .find((a) => a.startsWith("--only="))
    ?.slice("--only=".length)
    .split(",");
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
    const page = await fetch(`${server.httpBase}/sessions/${setup.demoSessionId}/items/${itemId}`, {
      headers: { authorization: `Bearer ${bystander}` },
      signal: AbortSignal.timeout(120_000),
    })
      .then((r) => r.arrayBuffer())
      .catch(() => new ArrayBuffer(0));
    const s = stats(samples);
    rows.push({
      attack: name,
      closes: Object.entries(codes)
        .map(([code, n]) => `${code}×${n}`)
        .join(" "),
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
      rows.map((r) => [
        r.attack,
        r.closes,
        ms(r.probeP50),
        ms(r.probeMax),
        `${r.probes} (${r.failed})`,
        `${r.rssStartMb.toFixed(0)} MB`,
        `${r.rssPeakMb.toFixed(0)} MB`,
        `${r.dbGrowthMb.toFixed(1)} MB`,
        Number.isNaN(r.itemPageKb) ? "—" : `${r.itemPageKb.toFixed(0)} KB`,
      ]),
    ),
  );
}

const at = process.argv.indexOf("--attack");
if (at >= 0) {
  const [name, url, mode] = process.argv.slice(at + 1) as [AttackName, string, string];
  // mode: "quick", "full", or a number of edits (tests/resource.test.ts runs the attacks this way, in a process of their own).
  const codes = await attack(name, url, /^\d+$/.test(mode) ? { count: Number(mode) } : { quick: mode === "quick" });
  process.send!(codes);
  process.exit(0);
} else {
  await main();
  process.exit(0);
}
