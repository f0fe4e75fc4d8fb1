// The live session in the browser: the state the server pushes, actions sent
// with acknowledgements, and ballots that are retried until the server says it
// has them (kept in localStorage, so a reload or a dropped connection loses none).
import { useCallback, useEffect, useRef, useState } from "react";
import type { Socket } from "socket.io-client";
import type { LiveState, LiveTally, MotionResult } from "~/models/live-state.server";
import { useLiveEvents, useSharedSocket } from "~/utils/live-events";

export type Refusal = { ok: false; status: number; error: string; key?: string; values?: Record<string, unknown> };
type Reply = ({ ok: true } & Record<string, unknown>) | Refusal;
type PendingBallot = { motionId: string; clientBallotId: string; seq: number; choice: string; onBehalfOf?: string };
export type BallotView = { choice: string; state: "sending" | "recorded" | "refused"; message?: string };

const ACK_TIMEOUT_MS = 4000;

function emit(socket: Socket, event: string, payload: unknown): Promise<Reply> {
  return new Promise((resolve, reject) =>
    socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, (err: Error | null, reply: Reply) => (err ? reject(err) : resolve(reply))),
  );
}

const newBallotId = () => (crypto.randomUUID?.() ?? `${Date.now()}-${Math.random()}`).replace(/[^A-Za-z0-9_-]/g, "");

export function useLiveSession(sessionId: string, initial: LiveState) {
  const socket = useSharedSocket();
  const [state, setState] = useState<LiveState>(initial);
  const [tally, setTally] = useState<LiveTally | null>(initial.tally);
  const [connected, setConnected] = useState(false);
  const [ballots, setBallots] = useState<Record<string, BallotView>>(() =>
    Object.fromEntries(Object.entries(initial.me?.ballots ?? {}).map(([key, choice]) => [key, { choice, state: "recorded" as const }])),
  );
  const storageKey = `yishi:ballots:${sessionId}`;
  const pending = useRef<PendingBallot[]>([]);
  const version = useRef(initial.version);

  const savePending = useCallback(() => localStorage.setItem(storageKey, JSON.stringify(pending.current)), [storageKey]);

  useLiveEvents({
    "session:state": (s: LiveState) => {
      if (s.sessionId !== sessionId || s.version < version.current) return; // an older snapshot that arrived late
      version.current = s.version;
      setState((prev) => ({ ...s, me: prev.me }));
      // A vote just called shows its tally (0 cast) at once; live counts already received for that motion are newer.
      setTally((t) => (t && t.motionId === s.tally?.motionId ? t : s.tally));
    },
    "vote:tally": (t: LiveTally) => setTally(t),
    "vote:closed": (c: { motionId: string; result: MotionResult }) => setTally((t) => (t?.motionId === c.motionId ? null : t)),
  });

  /** Sends one ballot until acknowledged, or refused for good. */
  const send = useCallback(
    async (b: PendingBallot) => {
      for (;;) {
        if (!socket?.connected) return; // resent on reconnect
        try {
          const reply = await emit(socket, "vote:cast", b);
          // 429: this connection sent too much too fast (docs/realtime.md); the ballot stays queued and goes again.
          if (!reply.ok && reply.status === 429) throw new Error("too fast");
          pending.current = pending.current.filter((p) => p.clientBallotId !== b.clientBallotId);
          savePending();
          const key = b.onBehalfOf ? `${b.motionId}:${b.onBehalfOf}` : b.motionId;
          setBallots((prev) =>
            reply.ok
              ? prev[key]?.choice === b.choice || reply.status !== "superseded"
                ? { ...prev, [key]: { choice: b.choice, state: "recorded" } }
                : prev
              : { ...prev, [key]: { choice: b.choice, state: "refused", message: reply.key ?? reply.error } },
          );
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    },
    [socket, savePending],
  );

  useEffect(() => {
    if (!socket) return;
    const join = () => {
      setConnected(true);
      socket.emit("session:join", { sessionId }, (reply: Reply) => {
        if (reply.ok && reply.state) {
          const s = reply.state as LiveState;
          if (s.version < version.current) return;
          version.current = s.version;
          setState(s);
          setTally(s.tally);
        }
      });
      // Ballots cast while offline go out now; the server refuses them clearly if the vote has closed.
      for (const b of pending.current) void send(b);
    };
    const down = () => setConnected(false);
    try {
      pending.current = JSON.parse(localStorage.getItem(storageKey) ?? "[]") as PendingBallot[];
    } catch {
      pending.current = [];
    }
    socket.on("connect", join);
    socket.on("disconnect", down);
    if (socket.connected) join();
    return () => {
      socket.off("connect", join);
      socket.off("disconnect", down);
      if (socket.connected) socket.emit("session:leave", { sessionId }, () => {});
    };
  }, [socket, sessionId, storageKey, send]);

  const act = useCallback(
    async (event: string, payload: Record<string, unknown>): Promise<Refusal | null> => {
      if (!socket?.connected) return { ok: false, status: 0, error: "offline", key: "live.offline" };
      try {
        const reply = await emit(socket, event, payload);
        return reply.ok ? null : reply;
      } catch {
        return { ok: false, status: 0, error: "timeout", key: "errors.generic" };
      }
    },
    [socket],
  );

  const vote = useCallback(
    (motionId: string, choice: string, onBehalfOf?: string) => {
      const b: PendingBallot = { motionId, clientBallotId: newBallotId(), seq: Date.now(), choice, ...(onBehalfOf ? { onBehalfOf } : {}) };
      pending.current = [...pending.current.filter((p) => !(p.motionId === motionId && p.onBehalfOf === onBehalfOf)), b];
      savePending();
      setBallots((prev) => ({ ...prev, [onBehalfOf ? `${motionId}:${onBehalfOf}` : motionId]: { choice, state: "sending" } }));
      void send(b);
    },
    [send, savePending],
  );

  return { state, tally, connected, ballots, act, vote };
}
