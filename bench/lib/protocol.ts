// Messages between the orchestrator (bench/run.ts) and its client workers (bench/worker.ts).
import type { HistogramData } from "./histogram";

/**
 * "none": no Yjs connection (a Socket.IO-only participant). "y-websocket-light": a viewer that
 * speaks the y-websocket protocol on a bare WebSocket and, instead of applying updates to a
 * Y.Doc, finds the editors' timestamps in them (bench/worker.ts, LightViewer): the issue's load
 * is more than stock clients on two CPUs can apply.
 */
export type ClientProto = "y-websocket" | "y-websocket-light" | "hocuspocus" | "none";

export type ClientSpec = {
  id: string;
  proto: ClientProto;
  /** y-websocket: ws://host:port/yjs (the room is appended); hocuspocus: ws://host:port */
  url: string;
  room: string;
  token?: string;
  /** editors type; viewers and idle participants only receive */
  role: "editor" | "viewer" | "idle";
  /** Also follow a council session over Socket.IO (the session page's live channel). */
  socketio?: { url: string; token: string; sessionId: string };
};

export type Command =
  | { cmd: "open"; clients: ClientSpec[]; concurrency: number; timeoutMs: number }
  | { cmd: "start"; startAt: number; durationMs: number; ratePerSec: number }
  | { cmd: "stats" }
  | { cmd: "verify"; last: Record<string, number>; room: string }
  | { cmd: "close" }
  | { cmd: "exit" };

export type OpenResult = { opened: number; failed: number; errors: string[]; ms: number; socketsJoined: number };
export type SentResult = { sent: Record<string, number> };
export type StatsResult = {
  received: number;
  histogram: HistogramData;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  cpuSeconds: number;
  rssMb: number;
  clients: number;
  disconnects: number;
  permissionDeniedWarnings: number;
};
export type VerifyResult = { converged: number; total: number; example?: string };

export type Request = Command & { rid: number };
export type Reply = { rid: number; ok: true; result: unknown } | { rid: number; ok: false; error: string };
