// Reading a request body, within limits, in one place. Bytes are counted as they
// arrive and reading stops at the cap (a Content-Length is only an early hint:
// a chunked body has none, and a client can lie), so a 200 MB body costs us
// at most the cap. Every failure is a Refusal: 413 too large, 415 wrong type,
// 400 unreadable.
import {
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
  MaxPartSizeExceededError,
} from "@remix-run/node";
import { Refusal, isRefusal } from "./errors";
import { MAX_PHOTOS, MAX_PHOTO_BYTES } from "./uploads.server";

export const LIMITS = {
  /** A JSON body of the API: the largest legitimate one (a settings document, a 2000-character text) is a few KB. */
  jsonBytes: 64 * 1024,
  /** A page's url-encoded form. */
  formBytes: 64 * 1024,
  /** Fields of any form: the largest page form has about 40 (community settings). */
  formFields: 200,
  /** Non-file parts of a multipart form, each. */
  multipartFieldBytes: 16 * 1024,
  /** A multipart body with photos: every photo at its limit, plus the fields. */
  multipartBytes: MAX_PHOTOS * MAX_PHOTO_BYTES + 256 * 1024,
} as const;

const tooLarge = (maxBytes: number) => new Refusal(413, "errors.bodyTooLarge", { kb: Math.floor(maxBytes / 1024) });

/** What is read and dropped of a refused body before answering, so an honest client (still sending) sees the answer. */
const DISCARD_BYTES = 1024 * 1024;
const DISCARD_MS = 2000;

/**
 * Reads and drops up to DISCARD_BYTES of what is left, for at most DISCARD_MS.
 * If the socket is closed with unread bytes the client gets a reset instead of
 * our answer; past these bounds it is an attack, and the reset is deserved.
 */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let left = DISCARD_BYTES;
  const deadline = Date.now() + DISCARD_MS;
  try {
    while (left > 0 && Date.now() < deadline) {
      const timeout = new Promise<"late">((r) => setTimeout(() => r("late"), Math.max(0, deadline - Date.now())).unref());
      const next = await Promise.race([reader.read(), timeout]);
      if (next === "late" || next.done) break;
      left -= next.value.byteLength;
    }
  } catch {
    // the client went away: nothing to answer
  } finally {
    reader.releaseLock();
  }
}

/** For an answer given before the body was read (a 403 from a guard): drop a small body first. */
export async function discardBody(request: Request): Promise<void> {
  if (!request.body || request.bodyUsed || request.body.locked) return;
  await discardRest(request.body.getReader());
}

/** The request's bytes, refusing (413) as soon as they pass `maxBytes`. */
export async function readCapped(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) {
    await discardBody(request);
    throw tooLarge(maxBytes);
  }
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      throw new Refusal(400, "errors.bodyUnreadable");
    }
    if (next.done) break;
    size += next.value.byteLength;
    if (size > maxBytes) {
      // Stop keeping it: the rest is dropped (a little, so the client sees the 413) or the
      // connection cut. Not cancelled, which would tear down the socket before the answer.
      await discardRest(reader);
      throw tooLarge(maxBytes);
    }
    chunks.push(next.value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * The same request with a body that errors once it passes `maxBytes`, for
 * parsers that stream (multipart). When the parser gives up, the original body
 * is released, not cancelled (see readCapped).
 */
function cappedRequest(request: Request, maxBytes: number): { capped: Request; discard: () => Promise<void> } {
  const source = request.body?.getReader();
  let size = 0;
  let released = false;
  const body = source
    ? new ReadableStream<Uint8Array>({
        async pull(controller) {
          let next: ReadableStreamReadResult<Uint8Array>;
          try {
            next = await source.read();
          } catch {
            return controller.error(new Refusal(400, "errors.bodyUnreadable"));
          }
          if (next.done) return controller.close();
          size += next.value.byteLength;
          if (size > maxBytes) {
            released = true;
            await discardRest(source);
            return controller.error(tooLarge(maxBytes));
          }
          controller.enqueue(next.value);
        },
        // The parser gave up: the rest is dropped by `discard`, not cancelled (see readCapped).
        cancel() {},
      })
    : null;
  const capped = new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body,
    // Node's fetch needs duplex for a streamed body.
    duplex: "half",
  } as RequestInit);
  const discard = async () => {
    if (!source || released) return;
    released = true;
    await discardRest(source);
  };
  return { capped, discard };
}

const mediaType = (request: Request) => (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();

/** A JSON body (API). 415 unless it is declared JSON; 400 if it does not parse. */
export async function readJson(request: Request, maxBytes: number = LIMITS.jsonBytes): Promise<unknown> {
  if (mediaType(request) !== "application/json") throw new Refusal(415, "errors.unsupportedMediaType", { expected: "application/json" });
  const bytes = await readCapped(request, maxBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Refusal(400, "errors.bodyUnreadable");
  }
  try {
    return JSON.parse(text || "null");
  } catch {
    throw new Refusal(400, "errors.bodyNotJson");
  }
}

export type FormOptions = {
  maxBytes?: number;
  maxFields?: number;
  /** Accept files (photos) in a multipart body: at most `maxFiles` of `maxFileBytes` each. */
  files?: { maxFiles: number; maxFileBytes: number; onFile?: () => void };
};

/**
 * A form body (pages, and the API's multipart endpoints): url-encoded, or
 * multipart where files are expected or harmless. Fields are counted while
 * parsing, files while they stream in; nothing past a limit is buffered.
 */
export async function readForm(request: Request, options: FormOptions = {}): Promise<FormData> {
  const maxFields = options.maxFields ?? LIMITS.formFields;
  const type = mediaType(request);
  if (type === "application/x-www-form-urlencoded" || (type === "" && !options.files)) {
    const bytes = await readCapped(request, options.maxBytes ?? LIMITS.formBytes);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new Refusal(400, "errors.bodyUnreadable");
    }
    // Counting separators is linear and cheap; parsing a million fields is not.
    let fields = text ? 1 : 0;
    for (let i = text.indexOf("&"); i !== -1; i = text.indexOf("&", i + 1))
      if (++fields > maxFields) throw new Refusal(413, "errors.tooManyFields", { max: maxFields });
    const form = new FormData();
    for (const [k, v] of new URLSearchParams(text)) form.append(k, v);
    return form;
  }
  if (type === "multipart/form-data") {
    const maxFiles = options.files?.maxFiles ?? 0;
    const maxBytes = options.maxBytes ?? (options.files ? options.files.maxFiles * options.files.maxFileBytes + 256 * 1024 : LIMITS.formBytes);
    const fieldMemory = createMemoryUploadHandler({ maxPartSize: LIMITS.multipartFieldBytes });
    const fileMemory = createMemoryUploadHandler({ maxPartSize: options.files?.maxFileBytes ?? 0 });
    let fields = 0;
    let files = 0;
    const declared = Number(request.headers.get("content-length") ?? "");
    if (Number.isFinite(declared) && declared > maxBytes) {
      await discardBody(request);
      throw tooLarge(maxBytes);
    }
    const { capped, discard } = cappedRequest(request, maxBytes);
    try {
      return await parseMultipartFormData(capped, async (part) => {
        if (part.filename === undefined) {
          if (++fields > maxFields) throw new Refusal(413, "errors.tooManyFields", { max: maxFields });
          return fieldMemory(part).catch((error: unknown) => {
            throw error instanceof MaxPartSizeExceededError ? tooLarge(LIMITS.multipartFieldBytes) : error;
          });
        }
        // An empty file input sends a part with an empty name and no bytes: not a file.
        if (!part.filename) return fileMemory(part);
        if (++files > maxFiles)
          throw maxFiles
            ? new Refusal(400, "errors.tooManyPhotos", { max: maxFiles }, "photos")
            : new Refusal(415, "errors.unsupportedMediaType", { expected: "application/x-www-form-urlencoded" });
        options.files?.onFile?.();
        return fileMemory(part);
      });
    } catch (error) {
      await discard();
      if (isRefusal(error) || error instanceof MaxPartSizeExceededError) throw error;
      // The stream error we raised at the cap may arrive wrapped by the parser.
      const cause = (error as { cause?: unknown })?.cause;
      if (isRefusal(cause)) throw cause;
      throw new Refusal(400, "errors.bodyUnreadable");
    }
  }
  throw new Refusal(415, "errors.unsupportedMediaType", { expected: options.files ? "multipart/form-data" : "application/x-www-form-urlencoded" });
}
