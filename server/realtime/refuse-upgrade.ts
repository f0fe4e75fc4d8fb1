import type { Duplex } from "node:stream";
import { STATUS_CODES } from "node:http";
import type { IncomingMessage } from "node:http";
import { acceptedLocale } from "~/utils/locale.server";
import { Refusal } from "~/utils/errors";
import { refusalOf } from "~/utils/refusal.server";
import { writeUpgradeAnswer } from "../http-upgrade";

/** The refusal's key for each status an upgrade can be refused with. */
const KEYS: Record<number, string> = {
  400: "errors.invalidRequest",
  401: "errors.unauthorized",
  403: "errors.forbidden",
  404: "errors.notFound",
  429: "errors.tooManyRequests",
};

/**
 * Refuses a WebSocket upgrade with a plain HTTP answer in the one vocabulary of
 * refusals (a problem document: status, key, message). `reason` is for the
 * server's own log; the asker gets the translated key, in the language of the
 * upgrade request's Accept-Language when it is given.
 */
export function refuseUpgrade(socket: Duplex, status: number, reason: string, request?: IncomingMessage): void {
  const locale = acceptedLocale(request?.headers["accept-language"]) ?? "zh-CN";
  const r = refusalOf(new Refusal(status, KEYS[status] ?? "errors.generic", {}, undefined, reason), locale);
  const body = JSON.stringify({
    type: `urn:yishi:problem:${r.key}`,
    title: STATUS_CODES[status] ?? "Error",
    status,
    detail: r.message,
    key: r.key,
    message: r.message,
  });
  writeUpgradeAnswer(socket, status, body);
}
