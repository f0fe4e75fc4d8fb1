// Every limit of the co-editing channel, in one table (docs/security.md,
// "Co-editing limits", repeats it). The values are far above what a council's
// agenda item ever needs — a long item is about 50 KB of text, and a whole
// afternoon of typing on it stores well under 1 MB of Yjs updates — so an
// honest client never meets them, while one hostile client can no longer make
// the server hold, store, render or relay hundreds of megabytes.

import { MAX_RENDERED_CHARS } from "~/utils/prose.server";

const KiB = 1024;
const MiB = 1024 * KiB;

export const LIMITS = {
  /** One Yjs update (a sync step 2 or an update message). A pasted long item is ~100 KB. */
  maxUpdateBytes: 1 * MiB,
  /** One WebSocket message of any kind: the update above plus its framing. */
  maxMessageBytes: 1 * MiB + 64,
  /** The encoded state of one document (its whole history, tombstones included). */
  maxDocumentBytes: 4 * MiB,
  /**
   * Stored bytes (snapshot plus updates) above which a document is not even
   * loaded: uncompacted history is larger than the state it folds into, but never
   * this much larger for a document that stayed under maxDocumentBytes.
   */
  maxLoadBytes: 16 * MiB,
  /**
   * Compact (fold the stored updates into the snapshot, dropping deleted content)
   * once this many bytes of updates are stored since the last compaction, besides
   * every COMPACT_EVERY updates: pasting and deleting large text again and again
   * must not grow the database or make the document too large to load.
   */
  compactEveryBytes: 2 * MiB,
  /**
   * Updates waiting for history the server does not have (Yjs "pending structs").
   * A stock client never causes more than a keystroke or two of these.
   */
  maxPendingBytes: 64 * KiB,
  /**
   * Per connection: messages per second (sustained) and the burst allowed above
   * it. A key held down, repeating at 50 Hz, sends ~100 a second (an update and
   * a caret move each): that stays under.
   */
  messagesPerSecond: 100,
  messageBurst: 500,
  /** Per connection: bytes per second (sustained) and the burst (two full-size updates). */
  bytesPerSecond: 256 * KiB,
  byteBurst: 2 * MiB + 128,
  /** Presence: client ids one connection may speak for (a tab, plus a reconnect's new id). */
  awarenessClientsPerConnection: 2,
  /** Presence: one client's state, as JSON. Name, colour and a caret need ~200 bytes. */
  maxAwarenessStateBytes: 2 * KiB,
  /** The rendered copy (AgendaItem.contentHtml / contentText), in characters. */
  maxRenderedChars: MAX_RENDERED_CHARS,
  /** The live `agendaItem:rendered` event carries this much of the text: the session page shows three lines of it. */
  renderedPreviewChars: 1000,
  /** The rendered copy is refreshed at most this often for a small document… */
  renderDelayMs: 250,
  /** …and one more renderDelayMs per this many bytes of document, up to renderMaxDelayMs. */
  renderBytesPerStep: 64 * KiB,
  renderMaxDelayMs: 10_000,
} as const;

/**
 * WebSocket close codes the server uses on /yjs/<doc>. 1xxx are RFC 6455's;
 * 4xxx are this application's (RFC 6455 leaves 4000–4999 to applications),
 * numbered after the HTTP status they resemble.
 */
export const CLOSE = {
  /** A message or update above maxMessageBytes / maxUpdateBytes. */
  messageTooBig: 1009,
  /** A message that is not the y-websocket protocol. */
  malformed: 1007,
  /** The server could not load or store the document. */
  serverError: 1011,
  /** The update would take the document over maxDocumentBytes, or the stored document already is. */
  documentFull: 4413,
  /** More than the per-connection message or byte rate. */
  tooFast: 4429,
  /** The client's updates depend on history the server lacks, beyond maxPendingBytes: reconnect and resync. */
  resyncNeeded: 4409,
  // When rights change (docs/realtime.md): the HTTP status each echoes, in the 4000 range.
  /** The credentials no longer sign anyone in (signed out, token revoked or expired). */
  signedOut: 4401,
  /** Still signed in, but no longer allowed to open this document. */
  forbidden: 4403,
  /** The document was removed (its agenda item left the agenda). */
  gone: 4404,
} as const;

/**
 * A token bucket: `capacity` tokens, refilled at `perSecond`. The clock is a
 * parameter so tests can drive it without waiting.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Takes `cost` tokens if there are enough; false (and nothing taken) if not. */
  take(cost = 1): boolean {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
}

/** The two buckets of one connection: messages and bytes. */
export function connectionRate(now?: () => number) {
  const messages = new TokenBucket(LIMITS.messageBurst, LIMITS.messagesPerSecond, now);
  const bytes = new TokenBucket(LIMITS.byteBurst, LIMITS.bytesPerSecond, now);
  return { admit: (size: number) => messages.take(1) && bytes.take(size) };
}

/** How long the rendered copy waits after an edit: longer for a bigger document. */
export function renderDelayFor(documentBytes: number): number {
  const steps = Math.floor(documentBytes / LIMITS.renderBytesPerStep);
  return Math.min(LIMITS.renderMaxDelayMs, LIMITS.renderDelayMs * (1 + steps));
}
