// The plain HTTP answer to a WebSocket upgrade that is refused. No app imports:
// the Node entry uses it too (server/realtime/refuse-upgrade.ts adds the vocabulary).
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

export function writeUpgradeAnswer(socket: Duplex, status: number, body: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\n` +
      "Connection: close\r\nContent-Type: application/problem+json; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
