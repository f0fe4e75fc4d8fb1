// Peer for the edit fan-out benchmark: Hocuspocus 3.4 with SQLite persistence,
// in its stock configuration (default debounce 2 s / maxDebounce 10 s).
//
// Hocuspocus's own SQLite extension (@hocuspocus/extension-sqlite) depends on
// the `sqlite3` package, whose install script downloads a prebuilt binary
// (which cannot download on the project's offline machines) and falls back to
// a node-gyp compile that npm 11 only runs if package.json's allowScripts
// approves `sqlite3`. Rather than add a second native SQLite to the project,
// this file is that extension re-stated over Hocuspocus's generic Database
// extension with better-sqlite3 (already a dependency): the same table, the
// same SELECT and UPSERT statements, the same default pragmas (none set), so
// the persistence work per store is the same.
import { Database } from "@hocuspocus/extension-database";
import { Server } from "@hocuspocus/server";
import BetterSqlite3 from "better-sqlite3";

// Verbatim from @hocuspocus/extension-sqlite 3.4.4 (src/SQLite.ts).
const schema = `CREATE TABLE IF NOT EXISTS "documents" (
  "name" varchar(255) NOT NULL,
  "data" blob NOT NULL,
  UNIQUE(name)
)`;
const selectQuery = `
  SELECT data FROM "documents" WHERE name = $name ORDER BY rowid DESC
`;
const upsertQuery = `
  INSERT INTO "documents" ("name", "data") VALUES ($name, $data)
    ON CONFLICT(name) DO UPDATE SET data = $data
`;

const file = process.env.HOCUSPOCUS_DB;
if (!file) throw new Error("HOCUSPOCUS_DB must name the SQLite file");
const db = new BetterSqlite3(file);
db.exec(schema);
const select = db.prepare(selectQuery);
const upsert = db.prepare(upsertQuery);

const server = new Server({
  port: Number(process.env.PORT ?? 1234),
  address: process.env.HOST ?? "127.0.0.1",
  quiet: true,
  extensions: [
    new Database({
      fetch: async ({ documentName }) => select.get({ name: documentName })?.data ?? null,
      store: async ({ documentName, state }) => {
        upsert.run({ name: documentName, data: state });
      },
    }),
    {
      // GET /health: what this process holds, like Yishi's /api/v1/health.
      async onRequest({ request, response, instance }) {
        if (request.url !== "/health") return;
        response.writeHead(200, { "Content-Type": "application/json" });
        response.end(JSON.stringify({ documentsLoaded: instance.getDocumentsCount(), connections: instance.getConnectionsCount() }));
        throw null; // handled: stop the default answer
      },
    },
  ],
});

// Hocuspocus 3.4.4 hands `{ port, address }` to http.Server#listen, which
// ignores `address` and binds every interface; keep the peer on loopback.
const host = process.env.HOST ?? "127.0.0.1";
const listen = server.httpServer.listen.bind(server.httpServer);
server.httpServer.listen = (options, callback) => listen({ ...options, host }, callback);

await server.listen();
console.log(`[hocuspocus] listening on ${server.address.address}:${server.address.port}, persisting to ${file}`);
