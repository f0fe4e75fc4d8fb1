// A load-generating process: holds many stock clients (y-websocket's
// WebsocketProvider, Hocuspocus's provider for the Hocuspocus peer,
// socket.io-client) and does what the orchestrator asks over IPC.
//
// Latency: an editor's keystroke is one Yjs transaction that types a character
// into its own paragraph of the XmlFragment "default" (where Tiptap keeps its
// document, so the server renders it as it would a real edit) and sets
// bench[editorId] = { s: sequence, t: send time } in a Y.Map. Every other
// client observes the map and records now − t. All processes read the same
// system-wide monotonic clock (see lib/clock.ts), so the difference is the
// client-to-client propagation time, server included.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { HocuspocusProvider } from "@hocuspocus/provider";
import { io, type Socket } from "socket.io-client";
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { now, sleep } from "./lib/clock";
import { Histogram } from "./lib/histogram";
import type { ClientSpec, Command, OpenResult, Reply, Request, SentResult, StatsResult, VerifyResult } from "./lib/protocol";

if (!process.send) throw new Error("bench/worker.ts runs as a forked child of bench/run.ts");

// A worker never outlives its run: the orchestrator passes a hard limit.
const maxLifetimeMs = Number(process.env.BENCH_WORKER_MAX_MS ?? 30 * 60_000);
setTimeout(() => {
  console.error(`[worker ${process.pid}] lifetime limit of ${maxLifetimeMs} ms reached, exiting`);
  process.exit(3);
}, maxLifetimeMs).unref();
process.on("disconnect", () => process.exit(0));
// y-websocket adds a process "exit" listener per provider; dozens per worker is expected here.
process.setMaxListeners(0);

// Read-only clients of Yishi get a y-protocols "permission denied" answer to
// their sync step 2; the stock client logs it with console.warn. Count, don't print.
let permissionDeniedWarnings = 0;
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === "string" && args[0].startsWith("Permission denied")) {
    permissionDeniedWarnings++;
    return;
  }
  warn(...args);
};

type Provider = WebsocketProvider | HocuspocusProvider;
type Client = {
  spec: ClientSpec;
  doc: Y.Doc;
  provider?: Provider;
  light?: LightViewer;
  socket?: Socket;
  text?: Y.XmlText;
  seq: number;
};

const clients: Client[] = [];
let histogram = new Histogram();
let received = 0;
let measureFrom = Infinity;
let disconnects = 0;
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

function observe(client: Client): void {
  const bench = client.doc.getMap<{ s: number; t: number }>("bench");
  // The last keystroke seen per editor: two of an editor's updates applied in one go (one frame, or a
  // sync) fire the observer once with the newer value, yet both arrived (Yjs applies an editor's
  // updates in order). Counted by the editor's sequence number, timed by the newer one's stamp.
  const seen = new Map<string, { s: number; t: number }>();
  bench.observe((event) => {
    if (event.transaction.local) return;
    const at = now();
    for (const key of event.keysChanged) {
      const value = bench.get(key);
      if (!value) continue;
      const before = seen.get(key);
      seen.set(key, value);
      if (value.t < measureFrom) continue;
      histogram.add(at - value.t);
      received += before && before.t >= measureFrom && value.s > before.s ? value.s - before.s : 1;
    }
  });
}

function connectYjs(spec: ClientSpec, doc: Y.Doc, timeoutMs: number): Promise<Provider> {
  return new Promise((resolve, reject) => {
    let synced = false;
    const timer = setTimeout(() => {
      provider.destroy();
      reject(new Error(`${spec.id}: not synced within ${timeoutMs} ms`));
    }, timeoutMs);
    let provider: Provider;
    if (spec.proto === "y-websocket") {
      const p = new WebsocketProvider(spec.url, spec.room, doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
        params: spec.token ? { token: spec.token } : {},
      });
      provider = p;
      p.on("sync", (isSynced: boolean) => {
        if (!isSynced || synced) return;
        synced = true;
        clearTimeout(timer);
        resolve(p);
      });
      p.on("connection-close", () => {
        if (synced) disconnects++;
      });
      p.on("closed", () => {
        clearTimeout(timer);
        if (!synced) reject(new Error(`${spec.id}: the server refused the connection for good`));
      });
    } else {
      const p = new HocuspocusProvider({
        url: spec.url,
        name: spec.room,
        document: doc,
        token: spec.token ?? "bench",
        WebSocketPolyfill: WebSocket,
      } as ConstructorParameters<typeof HocuspocusProvider>[0]);
      provider = p;
      p.on("synced", () => {
        if (synced) return;
        synced = true;
        clearTimeout(timer);
        resolve(p);
      });
      p.on("disconnect", () => {
        if (synced) disconnects++;
      });
      p.on("authenticationFailed", ({ reason }: { reason: string }) => {
        clearTimeout(timer);
        reject(new Error(`${spec.id}: authentication failed: ${reason}`));
      });
    }
  });
}

function followSession(spec: NonNullable<ClientSpec["socketio"]>, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(spec.url, { path: "/socket.io", transports: ["websocket"], auth: { token: spec.token }, reconnectionDelayMax: 2500 });
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(new Error(`socket.io: not joined within ${timeoutMs} ms`));
    }, timeoutMs);
    let joined = false;
    socket.on("connect_error", (error) => {
      if (/unauthorized/i.test(error.message)) {
        clearTimeout(timer);
        socket.disconnect();
        reject(new Error(`socket.io: ${error.message}`));
      }
    });
    socket.on("connect", () => {
      socket.emit("session:join", { sessionId: spec.sessionId }, (reply: { ok: boolean; error?: string }) => {
        if (joined) return;
        clearTimeout(timer);
        if (!reply?.ok) {
          socket.disconnect();
          return reject(new Error(`session:join refused: ${reply?.error}`));
        }
        joined = true;
        resolve(socket);
      });
    });
    socket.on("disconnect", (reason) => {
      if (joined && reason !== "io client disconnect") disconnects++;
    });
  });
}

/**
 * A read-only viewer that costs its worker a fraction of a stock client: a bare WebSocket
 * speaking y-websocket's protocol (its sync step 1 and the empty sync step 2 a stock client
 * sends, one awareness entry renewed every 15 s as a stock client's is), which does not apply
 * updates. It finds in each update frame the value every keystroke sets, bench[editor] =
 * { e, s, t } (lib0's encoding of a ContentAny object), and records now − t, as a stock
 * viewer's map observer does. What it measures: when the server's frame carrying a keystroke
 * reached a viewer's process and was parsed, i.e. the server's relay and the network, not a
 * browser applying the update. Convergence: the latest (by t) sequence number seen per editor.
 */
class LightViewer {
  private ws: WebSocket | null = null;
  private clock = 0;
  private renew: NodeJS.Timeout | null = null;
  private closing = false;
  /** Per editor, the latest keystroke seen: its time and sequence number. */
  readonly latest = new Map<string, { t: number; s: number }>();
  private readonly clientId = Math.floor(Math.random() * 2 ** 31);

  constructor(private readonly spec: ClientSpec) {}

  open(timeoutMs: number): Promise<void> {
    const query = this.spec.token ? `?token=${encodeURIComponent(this.spec.token)}` : "";
    const ws = (this.ws = new WebSocket(`${this.spec.url}/${this.spec.room}${query}`));
    return new Promise((resolve, reject) => {
      let synced = false;
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`${this.spec.id}: not synced within ${timeoutMs} ms`));
      }, timeoutMs);
      ws.on("open", () => {
        ws.send(SYNC_STEP1_EMPTY);
        this.sendAwareness();
        // A stock client renews its awareness entry every outdatedTimeout / 2 = 15 s.
        this.renew = setInterval(() => this.sendAwareness(), 15_000);
      });
      ws.on("message", (data: Buffer) => {
        const at = now();
        if (data[0] !== MESSAGE_SYNC) return; // awareness, auth, queries: a viewer ignores them
        const step = data[1];
        if (step === SYNC_STEP1) return void ws.send(SYNC_STEP2_EMPTY);
        this.scan(data, at);
        if (step === SYNC_STEP2 && !synced) {
          synced = true;
          clearTimeout(timer);
          resolve();
        }
      });
      ws.on("close", () => {
        if (this.renew) clearInterval(this.renew);
        clearTimeout(timer);
        if (synced && !this.closing) disconnects++;
        if (!synced) reject(new Error(`${this.spec.id}: closed before syncing`));
      });
      ws.on("error", (error) => {
        if (!synced) {
          clearTimeout(timer);
          reject(new Error(`${this.spec.id}: ${error.message}`));
        }
      });
    });
  }

  private sendAwareness(): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    const state = Buffer.from("{}");
    const entry = [...varUint(1), ...varUint(this.clientId), ...varUint(++this.clock), ...varUint(state.length), ...state];
    this.ws.send(Uint8Array.from([MESSAGE_AWARENESS, ...varUint(entry.length), ...entry]));
  }

  /** Every bench value in the frame: 118 (object) 3 (keys) "e" 119 (string) id "s" 125 (varint) s "t" number. */
  private scan(buf: Buffer, at: number): void {
    let from = 0;
    for (;;) {
      const i = buf.indexOf(BENCH_VALUE, from);
      if (i < 0) return;
      from = i + BENCH_VALUE.length;
      try {
        let p = from;
        const [idLength, a] = readVarUint(buf, p);
        const id = buf.toString("utf8", a, a + idLength);
        p = a + idLength;
        if (buf[p] !== 1 || buf[p + 1] !== 0x73 || buf[p + 2] !== 125) continue;
        const [seq, b] = readVarInt(buf, p + 3);
        if (buf[b] !== 1 || buf[b + 1] !== 0x74) continue;
        const type = buf[b + 2];
        const t = type === 123 ? buf.readDoubleBE(b + 3) : type === 124 ? buf.readFloatBE(b + 3) : type === 125 ? readVarInt(buf, b + 3)[0] : NaN;
        if (!Number.isFinite(t)) continue;
        const known = this.latest.get(id);
        if (!known || t > known.t) this.latest.set(id, { t, s: seq });
        if (t < measureFrom) continue;
        histogram.add(at - t);
        received++;
      } catch {
        // A pattern cut short is not a bench value.
      }
    }
  }

  close(): void {
    this.closing = true;
    if (this.renew) clearInterval(this.renew);
    this.ws?.close();
  }
}

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
/** sync step 1 with an empty state vector (one varuint 0), and sync step 2 with an empty update (no structs, no deletes). */
const SYNC_STEP1_EMPTY = Uint8Array.from([MESSAGE_SYNC, SYNC_STEP1, 1, 0]);
const SYNC_STEP2_EMPTY = Uint8Array.from([MESSAGE_SYNC, SYNC_STEP2, 2, 0, 0]);
/** lib0 writeAny of { e: <string>, … }: object, 3 keys, key "e", a string follows. */
const BENCH_VALUE = Buffer.from([118, 3, 1, 0x65, 119]);

function varUint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f));
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

function readVarUint(buf: Buffer, p: number): [number, number] {
  let n = 0;
  let mult = 1;
  for (;;) {
    const r = buf[p++];
    if (r === undefined) throw new RangeError("varuint cut short");
    n += (r & 0x7f) * mult;
    mult *= 128;
    if (r < 0x80) return [n, p];
  }
}

/** lib0's signed varint: the first byte holds a continuation bit, the sign and 6 bits. */
function readVarInt(buf: Buffer, p: number): [number, number] {
  let r = buf[p++];
  if (r === undefined) throw new RangeError("varint cut short");
  let n = r & 0x3f;
  let mult = 64;
  const sign = (r & 0x40) > 0 ? -1 : 1;
  while (r & 0x80) {
    r = buf[p++];
    if (r === undefined) throw new RangeError("varint cut short");
    n += (r & 0x7f) * mult;
    mult *= 128;
  }
  return [sign * n, p];
}

async function openClient(spec: ClientSpec, timeoutMs: number): Promise<Client> {
  const doc = new Y.Doc();
  const client: Client = { spec, doc, seq: 0 };
  observe(client);
  try {
    if (spec.proto === "y-websocket-light") {
      if (spec.role !== "viewer") throw new Error(`${spec.id}: the light client only views`);
      client.light = new LightViewer(spec);
      await client.light.open(timeoutMs);
    } else if (spec.proto !== "none") client.provider = await connectYjs(spec, doc, timeoutMs);
    if (spec.socketio) client.socket = await followSession(spec.socketio, timeoutMs);
  } catch (error) {
    client.provider?.destroy();
    client.light?.close();
    doc.destroy();
    throw error;
  }
  if (spec.role === "editor" && client.provider) {
    // The editor's own paragraph, appended once before the timed window.
    const paragraph = new Y.XmlElement("paragraph");
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    doc.getXmlFragment("default").push([paragraph]);
    client.text = text;
  }
  return client;
}

async function open(specs: ClientSpec[], concurrency: number, timeoutMs: number): Promise<OpenResult> {
  const t0 = now();
  let next = 0;
  let failed = 0;
  const errors: string[] = [];
  const lane = async () => {
    while (next < specs.length) {
      const spec = specs[next++]!;
      try {
        clients.push(await openClient(spec, timeoutMs));
      } catch (error) {
        failed++;
        if (errors.length < 5) errors.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  return { opened: specs.length - failed, failed, errors, ms: now() - t0, socketsJoined: clients.filter((c) => c.socket).length };
}

const TYPED = "bench typing 议事 ";

/** Every editor types at `ratePerSec` from startAt for durationMs, then stops by itself. */
async function start(startAt: number, durationMs: number, ratePerSec: number): Promise<SentResult> {
  // Timers may fire up to a millisecond early, so the first keystroke can carry a time just before
  // startAt; nothing else is typed in the 100 ms before it.
  measureFrom = startAt - 100;
  histogram = new Histogram();
  received = 0;
  loopDelay.reset();
  const editors = clients.filter((c) => c.text);
  const interval = 1000 / ratePerSec;
  const endAt = startAt + durationMs;
  const maxKeystrokes = Math.ceil((durationMs / 1000) * ratePerSec) + 1;
  const sent: Record<string, number> = {};
  await Promise.all(
    editors.map(async (editor, i) => {
      const phase = (interval * i) / Math.max(1, editors.length) + Math.random() * 2;
      let k = 0;
      sent[editor.spec.id] = 0;
      for (; k < maxKeystrokes; k++) {
        const due = startAt + phase + k * interval;
        if (due >= endAt) break;
        const wait = due - now();
        if (wait > 0) await sleep(wait);
        const text = editor.text!;
        const bench = editor.doc.getMap("bench");
        editor.doc.transact(() => {
          text.insert(text.length, TYPED[(editor.seq + k) % TYPED.length]!);
          // e first: the light viewers find the value by it (LightViewer.scan).
          bench.set(editor.spec.id, { e: editor.spec.id, s: k, t: now() });
        });
        sent[editor.spec.id] = k + 1;
      }
    }),
  );
  const wait = endAt - now();
  if (wait > 0) await sleep(wait);
  return { sent };
}

function stats(): StatsResult {
  const ns = (v: number) => (Number.isFinite(v) ? v / 1e6 : NaN);
  return {
    received,
    histogram: histogram.toData(),
    eventLoopDelayMs: { p50: ns(loopDelay.percentile(50)), p99: ns(loopDelay.percentile(99)), max: ns(loopDelay.max) },
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    rssMb: process.memoryUsage().rss / 1024 / 1024,
    clients: clients.length,
    disconnects,
    permissionDeniedWarnings,
  };
}

/** Does every client of the room hold every editor's last keystroke? */
function verify(last: Record<string, number>, room: string): VerifyResult {
  let converged = 0;
  let total = 0;
  let example: string | undefined;
  for (const client of clients) {
    if (client.spec.room !== room) continue;
    total++;
    const bench = client.doc.getMap<{ s: number; t: number }>("bench");
    const seqOf = (id: string) => (client.light ? client.light.latest.get(id)?.s : bench.get(id)?.s);
    const missing = Object.entries(last).filter(([id, n]) => n > 0 && seqOf(id) !== n - 1);
    if (missing.length === 0) converged++;
    else
      example ??= `${client.spec.id} lacks ${missing.length} editors' last keystroke (e.g. ${missing[0]![0]}: has ${seqOf(missing[0]![0])}, want ${missing[0]![1] - 1})`;
  }
  return { converged, total, example };
}

async function close(): Promise<{ closed: number }> {
  const n = clients.length;
  for (const client of clients.splice(0)) {
    client.socket?.disconnect();
    client.provider?.destroy();
    client.light?.close();
    client.doc.destroy();
  }
  await sleep(200); // let the close frames leave
  return { closed: n };
}

async function handle(request: Command): Promise<unknown> {
  switch (request.cmd) {
    case "open":
      return open(request.clients, request.concurrency, request.timeoutMs);
    case "start":
      return start(request.startAt, request.durationMs, request.ratePerSec);
    case "stats":
      return stats();
    case "verify":
      return verify(request.last, request.room);
    case "close":
      return close();
    case "exit":
      await close();
      setImmediate(() => process.exit(0));
      return { bye: true };
  }
}

const reply = (message: Reply) => {
  if (process.connected) process.send!(message);
};
process.on("message", (message: Request) => {
  handle(message).then(
    (result) => reply({ rid: message.rid, ok: true, result }),
    (error: unknown) => reply({ rid: message.rid, ok: false, error: (error as Error).stack ?? String(error) }),
  );
});
process.send({ rid: 0, ok: true, result: "ready" } satisfies Reply);
