// Live events over Socket.IO for any page: one shared connection per browser
// tab (the unread badge and a topic page do not open two), loaded only in the
// browser after the page is up. The server puts every socket in its person's
// own room (notifications); a page may also follow one room, e.g.
// { event: "topic:join", payload: { topicId } }, and is re-joined after a reconnect.
import { useEffect, useRef, useState } from "react";
import type { Socket } from "socket.io-client";

type Handlers = Record<string, (payload: never) => void>;
export type Follow = { event: string; leave?: string; payload: Record<string, unknown> };

let shared: { socket: Promise<Socket>; users: number } | null = null;

function acquire(): Promise<Socket> {
  if (!shared) {
    shared = {
      users: 0,
      socket: import("socket.io-client").then(({ io }) => io({ path: "/socket.io", transports: ["websocket"] })),
    };
  }
  shared.users++;
  return shared.socket;
}

function release(): void {
  if (!shared) return;
  shared.users--;
  if (shared.users > 0) return;
  const socket = shared.socket;
  shared = null;
  void socket.then((s) => s.disconnect());
}

/**
 * Calls `handlers[event](payload)` for each live event while the component is
 * mounted (the latest handlers, so they may close over state). `follow` joins a
 * room on connect; `joined` says the server acknowledged it.
 */
export function useLiveEvents(handlers: Handlers, follow: Follow | null = null): { connected: boolean; joined: boolean } {
  const [connected, setConnected] = useState(false);
  const [joined, setJoined] = useState(false);
  const latest = useRef(handlers);
  latest.current = handlers;
  const events = Object.keys(handlers).sort().join(",");
  const followKey = follow ? JSON.stringify(follow) : "";

  useEffect(() => {
    let active = true;
    let socket: Socket | undefined;
    const listeners = events
      .split(",")
      .filter(Boolean)
      .map((event) => [event, (payload: unknown) => (latest.current[event] as ((p: unknown) => void) | undefined)?.(payload)] as const);
    const target: Follow | null = followKey ? (JSON.parse(followKey) as Follow) : null;

    const onConnect = () => {
      if (!active) return;
      setConnected(true);
      if (!target) return;
      socket?.emit(target.event, target.payload, (reply: { ok?: boolean } | undefined) => {
        if (active) setJoined(reply?.ok === true);
      });
    };
    const onDisconnect = () => {
      if (!active) return;
      setConnected(false);
      setJoined(false);
    };

    void acquire().then((s) => {
      if (!active) return;
      socket = s;
      for (const [event, listener] of listeners) s.on(event, listener);
      s.on("connect", onConnect);
      s.on("disconnect", onDisconnect);
      if (s.connected) onConnect();
    });

    return () => {
      active = false;
      if (socket) {
        for (const [event, listener] of listeners) socket.off(event, listener);
        socket.off("connect", onConnect);
        socket.off("disconnect", onDisconnect);
        if (target?.leave && socket.connected) socket.emit(target.leave, target.payload, () => {});
      }
      release();
    };
  }, [events, followKey]);

  return { connected, joined };
}

/** The shared connection itself, for pages that send events and need their acknowledgements (the live session). */
export function useSharedSocket(): Socket | null {
  const [socket, setSocket] = useState<Socket | null>(null);
  useEffect(() => {
    let active = true;
    void acquire().then((s) => active && setSocket(s));
    return () => {
      active = false;
      release();
    };
  }, []);
  return socket;
}
