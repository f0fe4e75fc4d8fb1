// The peers start empty; before a run they are given the same first state that
// Yishi's agenda item has in its database, through an ordinary client.
import { HocuspocusProvider } from "@hocuspocus/provider";
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { sleep, waitFor } from "./clock";
import type { RunningServer } from "./servers";

export async function prime(server: RunningServer, room: string, update: Uint8Array): Promise<void> {
  const doc = new Y.Doc();
  if (server.target === "y-websocket-server") {
    const provider = new WebsocketProvider(server.wsBase, room, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    await waitFor("the priming client to sync", () => provider.synced, 10_000, 20);
    Y.applyUpdate(doc, update);
    await sleep(300);
    provider.destroy();
  } else if (server.target === "hocuspocus") {
    const provider = new HocuspocusProvider({
      url: server.wsBase,
      name: room,
      document: doc,
      token: "bench",
      WebSocketPolyfill: WebSocket,
    } as ConstructorParameters<typeof HocuspocusProvider>[0]);
    await waitFor("the priming client to sync", () => provider.isSynced, 10_000, 20);
    Y.applyUpdate(doc, update);
    await waitFor("the primed state to reach the server", () => !provider.hasUnsyncedChanges, 10_000, 20);
    provider.destroy();
    await sleep(300);
  }
  doc.destroy();
}

/**
 * What Yishi has stored for a document now (snapshot and updates, folded), so a peer is primed with
 * the same document Yishi's clients get: rounds reuse the session's three items, and by the 1/s level
 * Yishi's copies carried the 5/s rounds' history (about 5 000 keystrokes each) while the peers started
 * from the first state. That alone put Yishi's p50 at 1.42× the stock server's in the full run of
 * 2026-12-02 15:18 and 0.95× on equal documents 20 minutes later (BENCHMARKS.md, issue 16).
 */
export async function storedState(databaseUrl: string, docName: string): Promise<Uint8Array | null> {
  type Row = { snapshot: Uint8Array | null; data: Uint8Array | null };
  const sql = `SELECT d."snapshot" AS "snapshot", NULL AS "data" FROM "YDocument" d WHERE d."name" = $1
    UNION ALL SELECT NULL, u."data" FROM "YUpdate" u WHERE u."docName" = $1 AND u."id" > (SELECT "compactedTo" FROM "YDocument" WHERE "name" = $1)`;
  let rows: Row[];
  if (databaseUrl.startsWith("postgres")) {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      rows = (await client.query<Row>(sql, [docName])).rows;
    } finally {
      await client.end();
    }
  } else {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(databaseUrl.replace(/^file:/, ""), { readonly: true });
    try {
      rows = db.prepare(sql.replaceAll("$1", "@name")).all({ name: docName }) as Row[];
    } finally {
      db.close();
    }
  }
  if (rows.length === 0) return null;
  const doc = new Y.Doc();
  for (const r of rows) {
    const part = r.snapshot ?? r.data;
    if (part) Y.applyUpdate(doc, new Uint8Array(part));
  }
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}
