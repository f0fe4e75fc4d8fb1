// The stock y-websocket wire format (y-protocols): what the server reads and
// writes, so any standard Yjs client can connect.
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export const SYNC_STEP1 = syncProtocol.messageYjsSyncStep1;
export const SYNC_STEP2 = syncProtocol.messageYjsSyncStep2;
export const SYNC_UPDATE = syncProtocol.messageYjsUpdate;

export function encodeMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const syncStep1Message = (stateVector: Uint8Array) =>
  encodeMessage((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_STEP1);
    encoding.writeVarUint8Array(e, stateVector);
  });

export const syncStep2Message = (update: Uint8Array) =>
  encodeMessage((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_STEP2);
    encoding.writeVarUint8Array(e, update);
  });

export const updateMessage = (update: Uint8Array) =>
  encodeMessage((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_UPDATE);
    encoding.writeVarUint8Array(e, update);
  });

export const awarenessMessage = (awarenessUpdate: Uint8Array) =>
  encodeMessage((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, awarenessUpdate);
  });

/** y-protocols/auth "permission denied": the stock client logs the reason. */
export const permissionDeniedMessage = (reason: string) =>
  encodeMessage((e) => {
    encoding.writeVarUint(e, MESSAGE_AUTH);
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, reason);
  });

export type ClientMessage =
  | { type: "syncStep1"; stateVector: Uint8Array }
  | { type: "update"; update: Uint8Array }
  | { type: "awareness"; update: Uint8Array }
  | { type: "queryAwareness" };

/** Parses one client message; throws on anything malformed. */
export function decodeClientMessage(data: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(data);
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MESSAGE_SYNC: {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === SYNC_STEP1) return { type: "syncStep1", stateVector: payload };
      if (step === SYNC_STEP2 || step === SYNC_UPDATE) return { type: "update", update: payload };
      throw new Error(`unknown sync step ${step}`);
    }
    case MESSAGE_AWARENESS:
      return { type: "awareness", update: decoding.readVarUint8Array(decoder) };
    case MESSAGE_QUERY_AWARENESS:
      return { type: "queryAwareness" };
    default:
      throw new Error(`unknown message type ${type}`);
  }
}

export type AwarenessEntry = { clientId: number; clock: number; state: Record<string, unknown> | null };

/**
 * Parses an awareness update. An entry whose state is longer than `maxStateBytes`
 * (as JSON) is reported as `tooLarge` without being parsed.
 */
export function decodeAwarenessUpdate(update: Uint8Array, maxStateBytes = Infinity): (AwarenessEntry & { tooLarge?: true })[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: (AwarenessEntry & { tooLarge?: true })[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarUint8Array(decoder);
    if (json.length > maxStateBytes) {
      entries.push({ clientId, clock, state: null, tooLarge: true });
      continue;
    }
    const state = JSON.parse(utf8.decode(json)) as unknown;
    if (state !== null && (typeof state !== "object" || Array.isArray(state))) throw new Error("awareness state must be an object or null");
    entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
  }
  return entries;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
  return encodeMessage((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(e, entry.clientId);
      encoding.writeVarUint(e, entry.clock);
      encoding.writeVarString(e, JSON.stringify(entry.state));
    }
  });
}
