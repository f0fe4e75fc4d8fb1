// A vote-burst load generator: one forked process holding many members'
// Socket.IO connections, each a stock socket.io-client, voting the way the
// live page does (a clientBallotId per press, resent until acknowledged).
import { randomBytes } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import { now } from "./lib/clock";

type Member = { userId: string; token: string };
type Msg =
  | { cmd: "connect"; url: string; sessionId: string; checkInToken: string; members: Member[] }
  | { cmd: "burst"; motionId: string; windowMs: number; dropFraction: number; expectedTotal: number; seed: number }
  | { cmd: "close" };

let url = "";
let sessionId = "";
let sockets: { member: Member; socket: Socket; sawFinal: number | null }[] = [];
let expected = 0;

function connect(member: Member): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(url, { path: "/socket.io", transports: ["websocket"], auth: { token: member.token }, forceNew: true, reconnection: false });
    s.once("connect", () => resolve(s));
    s.once("connect_error", (e) => reject(e));
  });
}

function ask(s: Socket, event: string, payload: unknown, timeoutMs: number): Promise<{ ok: boolean; status?: string | number; error?: string }> {
  return new Promise((resolve, reject) =>
    s.timeout(timeoutMs).emit(event, payload, (err: Error | null, reply: { ok: boolean }) => (err ? reject(err) : resolve(reply))),
  );
}

function follow(entry: (typeof sockets)[number]) {
  entry.socket.on("vote:tally", (t: { cast: number }) => {
    if (entry.sawFinal === null && expected > 0 && t.cast >= expected) entry.sawFinal = now();
  });
}

async function handle(msg: Msg): Promise<unknown> {
  switch (msg.cmd) {
    case "connect": {
      url = msg.url;
      sessionId = msg.sessionId;
      const started = now();
      for (let i = 0; i < msg.members.length; i += 25) {
        const batch = await Promise.all(msg.members.slice(i, i + 25).map(async (member) => ({ member, socket: await connect(member), sawFinal: null })));
        await Promise.all(
          batch.map(async (b) => {
            const join = await ask(b.socket, "session:join", { sessionId }, 60_000);
            const checkIn = await ask(b.socket, "session:checkIn", { sessionId, token: msg.checkInToken }, 60_000);
            if (!join.ok || !checkIn.ok) throw new Error(`join/check-in refused: ${join.error ?? checkIn.error}`);
            follow(b);
          }),
        );
        sockets.push(...batch);
      }
      return { connected: sockets.length, ms: now() - started };
    }
    case "burst": {
      expected = msg.expectedTotal;
      for (const s of sockets) s.sawFinal = null;
      let rnd = msg.seed;
      const random = () => (rnd = (rnd * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const choices = ["yes", "no", "abstain"];
      const acks: number[] = [];
      const counts: Record<string, number> = { yes: 0, no: 0, abstain: 0 };
      let dropped = 0;
      let refused = 0;
      const burstStart = now();
      await Promise.all(
        sockets.map(async (entry) => {
          await new Promise((r) => setTimeout(r, random() * msg.windowMs));
          const choice = choices[Math.floor(random() * 3)]!;
          counts[choice]!++;
          const ballot = {
            motionId: msg.motionId,
            clientBallotId: randomBytes(9).toString("base64url"),
            seq: Date.now(),
            choice,
          }; // as the page makes it (Ballot.seq is 64-bit on both databases)
          const drop = random() < msg.dropFraction;
          const sent = now();
          for (let attempt = 0; ; attempt++) {
            if (drop && attempt === 0) {
              // The phone loses its connection right after sending: reconnect and send the same ballot again.
              entry.socket.emit("vote:cast", ballot);
              entry.socket.disconnect();
              dropped++;
              entry.socket = await connect(entry.member);
              follow(entry);
              const joined = (await ask(entry.socket, "session:join", { sessionId }, 30_000)) as { state?: { tally?: { cast: number } | null } };
              // As the page does (use-live-session.ts): the join's reply carries the whole state, the tally
              // with it. A phone that rejoins after the last ballot's push sees the final tally there
              // (its own retry is a duplicate and pushes nothing); listening to pushes only, the bench
              // counted such phones as having missed it once bursts ran at the offered rate.
              if (entry.sawFinal === null && expected > 0 && (joined.state?.tally?.cast ?? 0) >= expected) entry.sawFinal = now();
              continue;
            }
            try {
              const reply = await ask(entry.socket, "vote:cast", ballot, 5000);
              if (!reply.ok) refused++;
              acks.push(now() - sent);
              return;
            } catch {
              if (attempt > 20) throw new Error("a ballot was never acknowledged");
            }
          }
        }),
      );
      const lastAck = now();
      // Wait (bounded) until every client has seen the final tally.
      const deadline = now() + 15_000;
      while (sockets.some((s) => s.sawFinal === null) && now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return {
        acks,
        counts,
        dropped,
        refused,
        burstStart,
        lastAck,
        sawFinal: sockets.map((s) => s.sawFinal),
      };
    }
    case "close":
      for (const s of sockets) s.socket.disconnect();
      sockets = [];
      return { closed: true };
  }
}

process.on("message", (m: Msg & { rid: number }) => {
  handle(m).then(
    (result) => process.send!({ rid: m.rid, ok: true, result }),
    (error: Error) => process.send!({ rid: m.rid, ok: false, error: error.message }),
  );
});
process.send!({ rid: 0, ok: true, result: "ready" });
// Never outlive the orchestrator.
process.on("disconnect", () => process.exit(0));
setTimeout(() => process.exit(2), Number(process.env.BENCH_WORKER_MAX_MS ?? 1_800_000)).unref();
