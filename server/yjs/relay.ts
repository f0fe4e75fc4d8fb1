// Several processes serving one document: each stores its own clients'
// updates, then tells the others through Redis; the others apply them to their
// loaded copy and relay them to their own clients. Without REDIS_URL there is
// one process and nothing to tell.
import { randomBytes } from "node:crypto";

export type RelayKind = "update" | "awareness";
export type RelayHandler = (kind: RelayKind, data: Uint8Array) => void;

export interface Relay {
  /** Starts hearing other processes about a document; resolves once subscribed (before the document is read). */
  subscribe(docName: string, handler: RelayHandler): Promise<() => Promise<void>>;
  publish(docName: string, kind: RelayKind, data: Uint8Array): void;
}

export const noRelay: Relay = {
  subscribe: async () => async () => {},
  publish: () => {},
};

type RedisLike = {
  publish(channel: string, message: Buffer): Promise<unknown>;
  subscribe(channel: string, listener: (message: Buffer) => void, bufferMode: true): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
};

const KINDS: RelayKind[] = ["update", "awareness"];

/** Messages are [kind][process id, 8 bytes][payload]; a process ignores its own. */
export function redisRelay(pub: RedisLike, sub: RedisLike): Relay {
  const me = randomBytes(8);
  const channel = (docName: string) => `yishi:yjs:${docName}`;
  return {
    async subscribe(docName, handler) {
      await sub.subscribe(
        channel(docName),
        (message) => {
          if (message.length < 9 || message.subarray(1, 9).equals(me)) return;
          const kind = KINDS[message[0]!];
          if (kind) handler(kind, new Uint8Array(message.subarray(9)));
        },
        true,
      );
      return async () => void (await sub.unsubscribe(channel(docName)));
    },
    publish(docName, kind, data) {
      const message = Buffer.concat([Buffer.from([KINDS.indexOf(kind)]), me, data]);
      pub.publish(channel(docName), message).catch((e) => console.error(`[yjs] relaying ${docName} failed`, e));
    },
  };
}
