// The attacks of issue 10 item 1 and 6 on the Yjs channel, as a hostile seated
// member (or reader, for presence) would send them: used by bench/yjs-abuse.ts
// (measured, in a child process) and tests/resource.test.ts (bounded, asserted).
import WebSocket from "ws";
import * as Y from "yjs";

const MiB = 1024 * 1024;
export const updateMessage = (update: Uint8Array) => {
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
export const bulk = (n: number, seed: number) => {
  let s = `${seed}:`;
  while (s.length < n) s += Math.random().toString(36).slice(2);
  return s.slice(0, n);
};

export type AttackName = "oversize" | "missing-history" | "fill" | "presence";

/**
 * Runs one attack against the document at `url` (a /yjs/<doc>?token=… URL) and
 * counts how the server closed each connection (a refused upgrade counts as its
 * HTTP status). `count` overrides how many edits or messages are sent.
 */
export async function attack(
  name: AttackName,
  url: string,
  { quick = false, count }: { quick?: boolean; count?: number } = {},
): Promise<Record<number, number>> {
  const codes: Record<number, number> = {};
  const once = (message: Buffer | Buffer[]) =>
    new Promise<void>((resolve) => {
      const ws = new WebSocket(url, { maxPayload: 256 * MiB });
      ws.on("error", () => {});
      ws.on("unexpected-response", (_req, res) => {
        codes[res.statusCode ?? 0] = (codes[res.statusCode ?? 0] ?? 0) + 1;
        res.resume();
        resolve();
      });
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
    for (let i = 0; i < (count ?? (quick ? 5 : 20)); i++) {
      const doc = new Y.Doc();
      doc.getText("attack").insert(0, bulk(7.9e6, i));
      await once(updateMessage(Y.encodeStateAsUpdate(doc)));
    }
  } else if (name === "missing-history") {
    // Issue 10: 300 edits of 1 MB that depend on history the server never got.
    for (let i = 0; i < (count ?? (quick ? 30 : 300)); i++) {
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
    for (let i = 0; i < (count ?? (quick ? 12 : 24)); i++) {
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
    for (let i = 0; i < (count ?? (quick ? 2 : 5)); i++) await once(entries(1_000_000 + i * 2000));
  }
  return codes;
}
