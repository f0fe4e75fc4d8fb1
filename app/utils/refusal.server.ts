// The one mapping from anything thrown to what the asker is told. The JSON API,
// page actions and loaders, Socket.IO acknowledgements and WebSocket closes all
// call `refusalOf`; only the envelope differs (problem+json, a thrown Response,
// an ack object).
import { STATUS_CODES } from "node:http";
import { MaxPartSizeExceededError } from "@remix-run/node";
import { translator } from "~/i18n";
import type { Locale } from "./domain";
import { Refusal, isRefusal, type RefusalValues } from "./errors";
import { requestLocale } from "./locale.server";
import { MAX_PHOTO_BYTES } from "./uploads.server";

/** What every refusal says, on every channel. */
export type RefusalBody = {
  status: number;
  /** A stable i18n key: clients may translate it themselves. */
  key: string;
  /** The key translated for the asker. */
  message: string;
  field?: string;
  values?: RefusalValues;
};

/** A zod-style list of what is wrong with which field (the API's 400s). */
export type Issue = { path: string; key: string; message: string };

/**
 * Maps anything thrown to the vocabulary. Unknown errors (bugs) become a bare
 * 500 `errors.generic`: their text never reaches the asker, so callers log them.
 */
export function refusalOf(error: unknown, locale: Locale): RefusalBody {
  const t = translator(locale);
  const body = (status: number, key: string, values: RefusalValues = {}, field?: string): RefusalBody => ({
    status,
    key,
    message: t(key, values),
    ...(field ? { field } : {}),
    ...(Object.keys(values).length ? { values } : {}),
  });
  if (isRefusal(error)) return body(error.status, error.key, error.values, error.field);
  // uploads.server.ts is not ours to change yet; until its error extends Refusal it is mapped here.
  if (error instanceof MaxPartSizeExceededError) return body(413, "errors.photoTooLarge", { n: 1, mb: MAX_PHOTO_BYTES / 1024 / 1024 }, "photos");
  return body(500, "errors.generic");
}

/** An i18n key (our zod schemas use them as messages) or a stock zod sentence, translated. */
export function issueOf(path: string, message: string, locale: Locale): Issue {
  const key = /^[a-z]+\.[A-Za-z]+$/.test(message) ? message : "errors.invalidInput";
  return { path, key, message: translator(locale)(key) };
}

/**
 * An RFC 9457 problem document carrying the vocabulary: `type`, `title`, `status`,
 * `detail` (the translated message), plus `key`, `message`, `field`, `issues`.
 */
export function problemResponse(refusal: RefusalBody & { issues?: Issue[] }, locale: Locale, headers: Record<string, string> = {}): Response {
  const { status, key, message, field, values, issues } = refusal;
  const doc = {
    type: `urn:yishi:problem:${key}`,
    title: STATUS_CODES[status] ?? "Error",
    status,
    detail: message,
    key,
    message,
    ...(field ? { field } : {}),
    ...(values ? { values } : {}),
    ...(issues?.length ? { issues } : {}),
  };
  return new Response(JSON.stringify(doc), {
    status,
    headers: {
      "Content-Type": "application/problem+json; charset=utf-8",
      "Content-Language": locale,
      ...(status === 401 ? { "WWW-Authenticate": "Bearer" } : {}),
      ...headers,
    },
  });
}

/**
 * For pages: a refusal as a Response to throw (the error page shows its status;
 * fetchers and `.data` requests get the vocabulary as JSON). Anything that is
 * not a refusal (a bug, a redirect, a Response) is rethrown untouched.
 */
export async function refusalResponse(error: unknown, request: Request): Promise<never> {
  if (error instanceof Response) throw error;
  const locale = await requestLocale(request);
  const refusal = refusalOf(error, locale);
  if (refusal.status >= 500) throw error;
  throw new Response(JSON.stringify(refusal), {
    status: refusal.status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Content-Language": locale },
  });
}

/** For pages: refuse with a status and a key, in the vocabulary (see refusalResponse). */
export function refuse(request: Request, status: number, key: string, field?: string): Promise<never> {
  return refusalResponse(new Refusal(status, key, {}, field), request);
}
