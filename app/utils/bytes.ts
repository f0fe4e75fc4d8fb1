/** Yjs hands out Uint8Array<ArrayBufferLike>; Prisma's Bytes wants Uint8Array<ArrayBuffer>. Same bytes, no copy. */
export function bytes(u: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(u.buffer as ArrayBuffer, u.byteOffset, u.byteLength);
}
