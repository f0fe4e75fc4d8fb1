// npm run backup / npm run restore: a backup taken while a document is being edited, restored
// into an empty database, holds every edit a client had seen before the backup began.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, freshSqliteFile, onPostgres } from "./fixtures/database";
import { databaseUrlOf, freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";
import { addParagraph, connectDoc, proseText, until } from "./fixtures/yjs-client";

const servers: RunningServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

function run(command: "backup" | "restore", arg: string, databaseUrl: string) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/backup.ts", command, arg], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`${command} failed:\n${result.stderr}${result.stdout}`);
}

describe("backup and restore", () => {
  it("restores a backup taken under load with every edit seen before it began", async () => {
    const dbFile = freshDbFile("backup");
    const server = await startServer(dbFile);
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
    await until(() => proseText(watcher.doc).includes("备份期间第20条"), "edits under way");
    const seen = proseText(watcher.doc)
      .split("\n")
      .filter((l) => l.startsWith("备份期间"));
    const folder = mkdtempSync(path.join(tmpdir(), "yishi-backup-"));
    run("backup", folder, databaseUrlOf(dbFile)); // while the writer goes on
    writing = false;
    await load;
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
    reader.destroy();
  });
});
