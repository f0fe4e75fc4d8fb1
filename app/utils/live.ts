import { useEffect, useState } from "react";

/** Base URL of the realtime endpoints on this page's own origin. */
export function websocketOrigin(): string {
  return `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}`;
}

type Handlers = Record<string, (payload: never) => void>;

/**
 * Follows one council session over Socket.IO (loaded only in the browser, after
 * the page is up). The cookie authenticates; the server checks the right to follow.
 */
export function useSessionEvents(sessionId: string, handlers: Handlers): { connected: boolean } {
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    let closed = false;
    let socket: import("socket.io-client").Socket | undefined;
    void import("socket.io-client").then(({ io }) => {
      if (closed) return;
      socket = io({ path: "/socket.io", transports: ["websocket"] });
      socket.on("connect", () => {
        setConnected(true);
        socket?.emit("session:join", { sessionId }, () => {});
      });
      socket.on("disconnect", () => setConnected(false));
      for (const [event, handler] of Object.entries(handlers)) socket.on(event, handler as (p: unknown) => void);
    });
    return () => {
      closed = true;
      socket?.disconnect();
    };
    // Handlers are read once; callers pass state setters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sessionId]);
  return { connected };
}
