// npm run backup / npm run restore (build/backup.js, as in the image): a backup taken while a
// document is being edited and a vote is being cast, restored into an empty database, holds every
// edit a client had seen and every ballot acknowledged before the backup began (SQLite's online
// backup API here; pg_dump under npm run test:postgres).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import type { Socket } from "socket.io-client";
import { addSeatedMembersTo } from "./fixtures/bulk";
import { createPostgresDatabase, freshSqliteFile, onPostgres, queryRows } from "./fixtures/database";
import { ask, connectSocket, meOf, must, openDemoVote } from "./fixtures/live";
import { databaseUrlOf, freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";
import { addParagraph, connectDoc, proseText, until } from "./fixtures/yjs-client";

const servers: RunningServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

function run(command: "backup" | "restore", arg: string, databaseUrl: string) {
  // What `npm run backup|restore` runs: the compiled script, no tsx (the image prunes it).
  const result = spawnSync(process.execPath, ["build/backup.js", command, arg], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`${command} failed:\n${result.stderr}${result.stdout}`);
}

describe("backup and restore", () => {
  it("restores a backup taken under load with every edit seen and every ballot acknowledged before it began", async () => {
    const dbFile = freshDbFile("backup");
    // The chair checks 80 people in back to back: fair for a meeting, but over the live events'
    // per-connection budget when the machine is fast. This test is about the backup, not the limits.
    const server = await startServer(dbFile, undefined, { YISHI_RATE_LIMITS: "off" });
    servers.push(server);
    const staff = await tokenFor(server, "staff");
    const html = await (await fetch(`${server.url}/`, { headers: { Authorization: `Bearer ${staff}` } })).text();
    const sessionId = html.match(/\/sessions\/([A-Za-z0-9_-]+)/)![1]!;
    const session = (await (await fetch(`${server.url}/api/v1/sessions/${sessionId}`, { headers: { Authorization: `Bearer ${staff}` } })).json()) as {
      agendaItems: { id: string }[];
    };
    const docName = `agenda-item:${session.agendaItems[1]!.id}`;
    const writer = connectDoc(server.url, docName, staff);
    const watcher = connectDoc(server.url, docName, await tokenFor(server, "resident1"));
    await Promise.all([writer.synced, watcher.synced]);

    let n = 0;
    let writing = true;
    const load = (async () => {
      while (writing) {
        addParagraph(writer.doc, `备份期间第${n++}条`);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    // A vote under way too: seated members cast one ballot each, a few at a time, until stopped.
    const sockets: Socket[] = [];
    const members = await addSeatedMembersTo(dbFile, 80, "bk");
    const chair = await connectSocket(server, staff, sockets);
    const grid1 = await tokenFor(server, "grid1");
    const seconder = await connectSocket(server, grid1, sockets);
    await must(chair, "session:join", { sessionId });
    const motionId = await openDemoVote(chair, seconder, sessionId, session.agendaItems[0]!.id, [await meOf(server, grid1), ...members.map((m) => m.userId)]);
    const acknowledged: { at: number; voterKey: string }[] = [];
    let voting = true;
    const votes = (async () => {
      for (const m of members) {
        if (!voting) break;
        const socket = await connectSocket(server, m.token, sockets);
        const reply = await ask(socket, "vote:cast", { motionId, clientBallotId: randomBytes(9).toString("base64url"), seq: 1, choice: "yes" });
        if (reply.ok) acknowledged.push({ at: Date.now(), voterKey: m.userId });
        socket.disconnect();
      }
    })();
    await until(() => proseText(watcher.doc).includes("备份期间第20条") && acknowledged.length >= 10, "edits and ballots under way");
    const seen = proseText(watcher.doc)
      .split("\n")
      .filter((l) => l.startsWith("备份期间"));
    const folder = mkdtempSync(path.join(tmpdir(), "yishi-backup-"));
    const backupBegan = Date.now();
    run("backup", folder, databaseUrlOf(dbFile)); // while the writer and the voters go on
    writing = false;
    voting = false;
    await Promise.all([load, votes]);
    const ballotsBefore = acknowledged.filter((b) => b.at < backupBegan).map((b) => b.voterKey);
    for (const so of sockets) so.disconnect();
    writer.destroy();
    watcher.destroy();
    await server.stop();

    const [taken] = readdirSync(folder);
    const target = onPostgres ? await createPostgresDatabase("restored") : `file:${freshSqliteFile("restored")}`;
    run("restore", path.join(folder, taken!), target);
    const restored = await startServer(target.startsWith("file:") ? target.slice("file:".length) : target);
    servers.push(restored);
    const reader = connectDoc(restored.url, docName, await tokenFor(restored, "staff"));
    await reader.synced;
    const text = proseText(reader.doc);
    for (const line of seen) expect(text).toContain(line);
    expect(seen.length).toBeGreaterThan(20);
    // An open vote's ballot row names its voter (voterKey is the user's id when the ballot is not secret).
    const stored = await queryRows<{ voterKey: string }>(databaseUrlOf(restored.dbFile), `SELECT "voterKey" FROM "Ballot" WHERE "motionId" = $1`, [motionId]);
    const storedKeys = new Set(stored.map((r) => r.voterKey));
    expect(ballotsBefore.length).toBeGreaterThanOrEqual(10);
    for (const key of ballotsBefore) expect(storedKeys.has(key), `ballot of ${key} acknowledged before the backup`).toBe(true);
    reader.destroy();
  }, 240_000); // a server, a vote of 80 and a restore on a loaded 2-CPU machine: generous, nothing timed is asserted
});
