// What every scenario is given: where the bench database is, what the setup
// wrote into it, the tokens, and the sizes for this mode (quick or full).
import type { Machine } from "./machine";

export type Setup = {
  councilId: string;
  demoSessionId: string;
  fanout: { sessionId: string; items: { itemId: string; initialUpdate: string }[] };
  capacity: { sessionId: string; itemId: string }[];
  busy: { sessionId: string; itemId: string };
  page: { sessionId: string; items: number };
  longDocument: { sessionId: string; compactedItemId: string; rawItemId: string };
  synchronous: string;
  journalMode: string;
};

export type Sizes = {
  /**
   * rates: updates per second per editor; each rate is one load level, run against every server.
   * rounds: the seconds are split into this many rounds, interleaved across the servers
   * (A B C A B C …), so load from outside the benchmark falls on all of them alike.
   */
  fanout: { editors: number; viewers: number; seconds: number; rates: number[]; rounds: number; workers: number; lightRates: number[] };
  capacity: { sessions: number; participants: number; busyEditors: number; busyViewers: number; busySeconds: number; rate: number; workers: number };
  page: { items: number; requests: number; warmup: number };
  sqlite: { seconds: number };
  /** A document of `updates` keystrokes; an editor types at `rate`/s for `seconds` on it (relaying while compaction runs). */
  longDocument: { updates: number; rate: number; seconds: number };
};

export const FULL: Sizes = {
  // 5/s is the load; 1/s is the same 250 connections at a rate this 2-core machine can generate and absorb.
  fanout: { editors: 50, viewers: 200, seconds: 60, rates: [5, 1], rounds: 3, workers: 4, lightRates: [5] },
  capacity: { sessions: 100, participants: 20, busyEditors: 10, busyViewers: 20, busySeconds: 30, rate: 5, workers: 4 },
  page: { items: 200, requests: 200, warmup: 20 },
  sqlite: { seconds: 5 },
  longDocument: { updates: 100_000, rate: 50, seconds: 30 },
};

export const QUICK: Sizes = {
  fanout: { editors: 5, viewers: 20, seconds: 5, rates: [5], rounds: 1, workers: 2, lightRates: [] },
  // 200 participants: enough that the connections, not heap noise, make the figure --strict guards.
  capacity: { sessions: 10, participants: 20, busyEditors: 2, busyViewers: 5, busySeconds: 3, rate: 5, workers: 2 },
  page: { items: 200, requests: 20, warmup: 3 },
  sqlite: { seconds: 1 },
  longDocument: { updates: 10_000, rate: 50, seconds: 12 },
};

/** Seated members may edit (editors use their tokens); observer and resident3 may only watch. */
export const EDITOR_USERS = ["staff", "grid1", "wuye", "yeweihui", "resident1", "resident2"] as const;
export const VIEWER_USERS = ["observer", "resident3"] as const;
/** Everyone in the demo community, for idle participants. */
export const MEMBER_USERS = [...EDITOR_USERS, "secretary", ...VIEWER_USERS] as const;

export type Context = {
  quick: boolean;
  sizes: Sizes;
  tmpDir: string;
  databaseUrl: string;
  setup: Setup;
  tokens: Record<string, string>;
  tokenSource: string;
  machine: Machine;
  log: (line: string) => void;
};

export type Check = { name: string; ok: boolean; detail: string };
export type Target = { name: string; goal: string; value: string; met: boolean | null; note?: string };
