// Rate limits on live events and on Yjs connections (issue 10 item 9), against
// the real production server with real Socket.IO and WebSocket clients: a
// vote:cast flood from one member is refused in the vocabulary and does not
// delay an honest voter; one person's connections share a budget; one person
// cannot hold more than a bounded number of co-editing connections, nor open
// them in a loop.
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { EVENT_LIMITS } from "../server/realtime/event-limits";
import { ask, connectSocket, openDemoVote, startDemoServer, type Reply } from "./fixtures/live";
import { tokenFor, type RunningServer } from "./fixtures/server";

let server: RunningServer;
let tokens: Record<string, string>;
let ids: Record<string, string>;
let sessionId: string;
let itemIds: string[];
const opened: Socket[] = [];

beforeAll(async () => {
  ({ server, tokens, ids, sessionId, itemIds } = await startDemoServer("live-limits", ["staff", "grid1", "wuye", "yeweihui", "resident1", "resident3"]));
}, 60_000);
afterAll(async () => {
  for (const s of opened) s.disconnect();
  if (process.env.SHOW_SERVER_LOG) console.log(server?.output());
  await server?.stop();
});

/** A refusal for speed, in the one vocabulary of acknowledgements. */
function expectTooFast(reply: Reply) {
  expect(reply).toMatchObject({ ok: false, status: 429, key: "errors.tooManyRequests" });
  expect(typeof reply.message).toBe("string");
  expect(reply.message).not.toBe(reply.key);
}

describe("live events are rate-limited", () => {
  it(
    "refuses a vote:cast flood with 429, keeps an honest voter and the flooder's other tab served, and ends a flood that does not stop",
    { timeout: 60_000 },
    async () => {
      const chair = await connectSocket(server, tokens.staff!, opened);
      const attacker = await connectSocket(server, tokens.grid1!, opened);
      const attackersOtherTab = await connectSocket(server, tokens.grid1!, opened);
      const honest = await connectSocket(server, tokens.resident1!, opened);
      const motionId = await openDemoVote(chair, attacker, sessionId, itemIds[0]!, [ids.staff!, ids.grid1!, ids.wuye!, ids.yeweihui!, ids.resident1!]);

      // First a burst the server answers in full (below the point where it ends the connection):
      // the bucket lets through at most its burst plus the refill, and refuses the rest with 429.
      const BURST = 400;
      const started = performance.now();
      const first = await Promise.all(
        Array.from({ length: BURST }, (_, i) =>
          ask(attacker, "vote:cast", { motionId, clientBallotId: `burst-${i}-xxxxxxxx`, seq: i + 1, choice: i % 2 ? "yes" : "no" }),
        ),
      );
      const seconds = (performance.now() - started) / 1000;
      const burstAccepted = first.filter((r) => r.ok).length;
      expect(burstAccepted).toBeLessThanOrEqual(EVENT_LIMITS.perConnectionBurst + Math.ceil(EVENT_LIMITS.perConnectionPerSecond * seconds) + 1);
      const burstRefused = first.filter((r) => !r.ok);
      expect(burstRefused.length).toBeGreaterThan(0);
      burstRefused.forEach(expectTooFast);

      // Then 20 000 ballots as fast as the client can write them (issue 10: this delayed an honest voter 4.4 s).
      // The server ends a flood that does not stop; acknowledgements still in flight when it cuts the
      // connection may never reach this client, so below only what must hold whatever the timing is asserted.
      const FLOOD = 20_000;
      const replies: Reply[] = [];
      let lost = 0;
      const flooded = new Promise<void>((resolve) => {
        let settled = 0;
        const done = () => ++settled === FLOOD && resolve();
        for (let i = 0; i < FLOOD; i++)
          attacker
            .timeout(15_000)
            .emit(
              "vote:cast",
              { motionId, clientBallotId: `flood-${i}-xxxxxxxx`, seq: BURST + i + 1, choice: i % 2 ? "yes" : "no" },
              (err: Error | null, reply: Reply) => {
                if (err) lost++;
                else replies.push(reply);
                done();
              },
            );
      });
      // Meanwhile an honest voter changes their mind a few times, and the flooder's other tab votes once.
      const latencies: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const reply = await ask(honest, "vote:cast", { motionId, clientBallotId: `honest-${i}-xxxxxxxx`, seq: i + 1, choice: i % 2 ? "yes" : "abstain" });
        latencies.push(performance.now() - t0);
        expect(reply).toMatchObject({ ok: true, status: "recorded" });
      }
      const other = await ask(attackersOtherTab, "vote:cast", { motionId, clientBallotId: "other-tab-xxxxxxxx", seq: FLOOD + 10, choice: "yes" });
      expect(other).toMatchObject({ ok: true });
      await flooded;

      const accepted = replies.filter((r) => r.ok);
      const refused = replies.filter((r) => !r.ok);
      console.log(
        `[live-limits] flood: ${accepted.length} accepted, ${refused.length} refused (429), ${lost} unanswered (disconnected); honest voter's acks ${latencies.map((l) => l.toFixed(0)).join(", ")} ms`,
      );
      // At most the burst plus the refill over the flood's few seconds got through to the handlers.
      expect(accepted.length).toBeLessThanOrEqual(EVENT_LIMITS.perConnectionBurst + EVENT_LIMITS.perConnectionPerSecond * 15);
      refused.forEach(expectTooFast);
      // The flood did not stop, so the connection was ended; what it still had in flight was never answered.
      expect(lost).toBeGreaterThan(0);
      expect(attacker.connected).toBe(false);
      // Generous for a shared 2-CPU machine (this process is busy writing the flood too); without the limit it was seconds.
      // Generous: this same process is busy writing the 20 000 frames while it measures (the first
      // ack waits for that), and the machine is shared; the limit itself is proven by the counts above.
      expect(Math.max(...latencies)).toBeLessThan(3000);
    },
  );

  it("counts one person's connections together", { timeout: 30_000 }, async () => {
    // Six tabs of one person, each within its own connection's burst, together above the person's.
    const tabs = await Promise.all(Array.from({ length: 6 }, () => connectSocket(server, tokens.resident3!, opened)));
    const perTab = EVENT_LIMITS.perConnectionBurst - 5;
    const replies = (
      await Promise.all(tabs.flatMap((tab) => Array.from({ length: perTab }, () => ask(tab, "topic:leave", { topicId: "nosuchtopic" }))))
    ).flat();
    const refused = replies.filter((r) => !r.ok);
    expect(6 * perTab).toBeGreaterThan(EVENT_LIMITS.perUserBurst + 20);
    expect(refused.length).toBeGreaterThan(0);
    refused.forEach(expectTooFast);
    // Another person is not affected.
    const someoneElse = await connectSocket(server, tokens.wuye!, opened);
    expect(await ask(someoneElse, "topic:leave", { topicId: "nosuchtopic" })).toMatchObject({ ok: true });
  });
});

describe("hand:lower over Socket.IO (issue 10 item 10)", () => {
  it("answers an outsider 403 even for their own hand, lets the chair lower someone else's and no one else", async () => {
    const outsider = await connectSocket(server, await tokenFor(server, "outsider"), opened);
    expect(await ask(outsider, "hand:lower", { sessionId })).toMatchObject({ ok: false, status: 403, key: "errors.forbidden" });
    const chair = await connectSocket(server, tokens.staff!, opened);
    const member = await connectSocket(server, tokens.wuye!, opened);
    expect(await ask(member, "hand:lower", { sessionId })).toMatchObject({ ok: true });
    expect(await ask(member, "hand:lower", { sessionId, userId: ids.grid1 })).toMatchObject({ ok: false, status: 403 });
    expect(await ask(chair, "hand:lower", { sessionId, userId: ids.grid1 })).toMatchObject({ ok: true });
  });
});

describe("Yjs connections per person are capped", () => {
  const docUrl = (token: string) => `${server.url.replace("http", "ws")}/yjs/agenda-item:${itemIds[1]}?token=${token}`;
  /** Opens a raw WebSocket; resolves it when open, or the refused upgrade's status and body. */
  const open = (token: string) =>
    new Promise<{ ws: WebSocket } | { status: number; body: string }>((resolve) => {
      const ws = new WebSocket(docUrl(token));
      ws.on("error", () => {});
      ws.on("open", () => resolve({ ws }));
      ws.on("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
    });
  const expectRefused429 = (r: { ws: WebSocket } | { status: number; body: string }) => {
    expect("status" in r && r.status).toBe(429);
    const body = JSON.parse((r as { body: string }).body) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 429, key: "errors.tooManyRequests", type: "urn:yishi:problem:errors.tooManyRequests" });
    expect(body.message).toBe(body.detail);
  };

  it("refuses (429) the connection over the cap, not someone else's, and lets one in again when one closes", { timeout: 30_000 }, async () => {
    const held: WebSocket[] = [];
    for (let i = 0; i < EVENT_LIMITS.yjsConnectionsPerUser; i++) {
      const r = await open(tokens.yeweihui!);
      if (!("ws" in r)) throw new Error(`connection ${i} refused: ${r.status} ${r.body}`);
      held.push(r.ws);
    }
    expectRefused429(await open(tokens.yeweihui!));
    const other = await open(tokens.wuye!);
    expect("ws" in other).toBe(true);
    if ("ws" in other) other.ws.close();
    const closed = new Promise((r) => held[0]!.once("close", r));
    held[0]!.close();
    await closed;
    await new Promise((r) => setTimeout(r, 100)); // the server sees its end of the socket close
    const again = await open(tokens.yeweihui!);
    expect("ws" in again).toBe(true);
    if ("ws" in again) held[0] = again.ws;
    held.forEach((ws) => ws.close());
  });

  it("refuses (429) a client that reconnects in a loop", { timeout: 30_000 }, async () => {
    // What a stock client does when it is closed at once, again and again: reconnect right away.
    const results: boolean[] = [];
    for (let i = 0; i < EVENT_LIMITS.yjsUpgradeBurst + 20; i++) {
      const r = await open(tokens.staff!);
      if ("ws" in r) {
        results.push(true);
        r.ws.close();
      } else {
        expectRefused429(r);
        results.push(false);
      }
    }
    expect(results.filter((ok) => !ok).length).toBeGreaterThan(0);
  });
});
