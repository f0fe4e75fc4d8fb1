// The merchant's offline queue (issue 18): a scan made while the phone has no network is kept in
// localStorage and sent once the phone is back online. Sending twice is harmless — the server
// settles a code once and answers a repeat with the first result (app/models/volunteer.server.ts
// redeem) — so the queue only needs to keep an item until some answer (settled or refused) comes.

export type QueuedRedemption = { code: string; offerId: string; organizationId: string; scannedAt: string };
export type QueueStorage = { getItem(key: string): string | null; setItem(key: string, value: string): void };
export type SendResult = { kind: "settled"; body: unknown } | { kind: "refused"; body: unknown } | { kind: "offline" };

export const QUEUE_KEY = "yishi.redemptionQueue";

export function loadQueue(storage: QueueStorage): QueuedRedemption[] {
  try {
    const parsed = JSON.parse(storage.getItem(QUEUE_KEY) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((q) => q && typeof q.code === "string" && typeof q.offerId === "string") : [];
  } catch {
    return [];
  }
}

/** Keeps a scan for later; the same code queued twice is kept once. */
export function enqueue(storage: QueueStorage, item: QueuedRedemption): QueuedRedemption[] {
  const queue = loadQueue(storage).filter((q) => q.code !== item.code);
  queue.push(item);
  storage.setItem(QUEUE_KEY, JSON.stringify(queue));
  return queue;
}

function remove(storage: QueueStorage, code: string) {
  storage.setItem(QUEUE_KEY, JSON.stringify(loadQueue(storage).filter((q) => q.code !== code)));
}

/**
 * Sends every queued scan in order; an answered one (settled or refused) leaves the queue, and the
 * first "offline" stops the round (the rest wait for the next `online` event).
 */
export async function flushQueue(
  storage: QueueStorage,
  send: (item: QueuedRedemption) => Promise<SendResult>,
  onAnswer: (item: QueuedRedemption, result: SendResult) => void = () => {},
): Promise<number> {
  let answered = 0;
  for (const item of loadQueue(storage)) {
    const result = await send(item);
    if (result.kind === "offline") break;
    remove(storage, item.code);
    answered++;
    onAnswer(item, result);
  }
  return answered;
}
