// The JSON API under /api/v1. Each endpoint is declared once — method, path,
// the zod schemas that validate it — and both the handler and the OpenAPI
// document (/api/v1/openapi.json) are built from that declaration.
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { z } from "zod";
import { IllegalMove } from "~/models/topic-states";
import { InputRejected, RuleBroken } from "./errors";
import { MAX_PHOTO_BYTES, UploadRejected } from "./uploads.server";
import { translator } from "~/i18n";
import { getUserId } from "./auth.server";
import { NotFound, PermissionDenied, loadActor, type Actor } from "./permissions.server";

export type Endpoint<P extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> = {
  method: "GET" | "POST" | "DELETE";
  /** OpenAPI form: /api/v1/sessions/{sessionId} */
  path: string;
  summary: string;
  tag: string;
  auth: boolean;
  params?: P;
  /** Query-string parameters (GET filters). */
  query?: Q;
  body?: B;
  /** The body may also come as multipart/form-data, with files (photos) beside the fields. */
  multipart?: boolean;
  response: R;
  /** The 4xx statuses this endpoint can answer with, besides 400 for bad input. */
  errors?: number[];
};

export const errorSchema = z.object({
  error: z.string().describe("What went wrong, in the caller's language (Accept-Language: en, or zh-CN by default)"),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const endpoints: Endpoint[] = [];

/** Declares an endpoint (listed in the OpenAPI document) and returns it. */
export function endpoint<P extends z.ZodType, B extends z.ZodType, R extends z.ZodType, Q extends z.ZodType>(e: Endpoint<P, B, R, Q>): Endpoint<P, B, R, Q> {
  endpoints.push(e as unknown as Endpoint);
  return e;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: { path: string; message: string }[],
    readonly values: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function localeOf(request: Request) {
  return /^en\b/i.test(request.headers.get("accept-language") ?? "") ? ("en" as const) : ("zh-CN" as const);
}

function errorResponse(request: Request, error: ApiError): Response {
  const t = translator(localeOf(request));
  // Messages are either i18n keys (from the shared zod schemas) or plain sentences.
  const tr = (m: string) => (/^[a-z]+\.[A-Za-z.]+$/.test(m) ? t(m, error.values) : m);
  const issues = error.issues?.map((i) => ({ path: i.path, message: tr(i.message) }));
  const message = issues?.length ? `${tr(error.message)}: ${issues[0]!.path}: ${issues[0]!.message}` : tr(error.message);
  return Response.json(
    { error: message, ...(issues ? { issues } : {}) },
    { status: error.status, headers: error.status === 401 ? { "WWW-Authenticate": "Bearer" } : undefined },
  );
}

function invalid(where: string, error: z.ZodError): ApiError {
  const issues = error.issues.map((i) => ({ path: i.path.join(".") || where, message: i.message }));
  return new ApiError(400, `invalid ${where}`, issues);
}

type Context<P extends z.ZodType, B extends z.ZodType, Q extends z.ZodType> = {
  request: Request;
  params: z.infer<P>;
  query: z.infer<Q>;
  body: z.infer<B>;
  /** Files of a multipart body, in order. */
  files: File[];
  actor: Actor | null;
};

/** Reads a JSON or (where the endpoint allows it) multipart body into fields and files. */
async function readBody(request: Request, multipart: boolean): Promise<{ fields: unknown; files: File[] }> {
  const type = request.headers.get("content-type") ?? "";
  if (multipart && /^multipart\/form-data\b/i.test(type)) {
    let form: FormData;
    try {
      form = await parseMultipartFormData(request, createMemoryUploadHandler({ maxPartSize: MAX_PHOTO_BYTES }));
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) throw new UploadRejected("errors.photoTooLarge", { n: "?", mb: MAX_PHOTO_BYTES / 1024 / 1024 });
      throw new ApiError(400, `the multipart body could not be read: ${(error as Error).message}`);
    }
    const fields: Record<string, string> = {};
    const files: File[] = [];
    for (const [key, value] of form.entries()) {
      if (typeof value === "string") fields[key] = value;
      else files.push(value);
    }
    return { fields, files };
  }
  if (!/^application\/json\b/i.test(type))
    throw new ApiError(415, `send the request body as JSON with Content-Type: application/json${multipart ? " (or multipart/form-data with files)" : ""}`);
  const text = await request.text();
  try {
    return { fields: JSON.parse(text || "null"), files: [] };
  } catch (error) {
    throw new ApiError(400, `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Runs an endpoint: method, auth, params and body validated in that order,
 * refusals from the permission module mapped to 403/404, and every error JSON.
 */
export function handle<P extends z.ZodType, B extends z.ZodType, R extends z.ZodType, Q extends z.ZodType>(
  e: Endpoint<P, B, R, Q>,
  run: (ctx: Context<P, B, Q>) => Promise<z.input<R> | Response>,
) {
  return async ({ request, params }: LoaderFunctionArgs | ActionFunctionArgs): Promise<Response> => {
    try {
      if (request.method !== e.method) throw new ApiError(405, `${request.method} is not allowed here; use ${e.method}`);
      let actor: Actor | null = null;
      if (e.auth) {
        const userId = await getUserId(request);
        actor = userId ? await loadActor(userId) : null;
        if (!actor) throw new ApiError(401, "errors.unauthorized");
      }
      const p = e.params ? e.params.safeParse(params) : { success: true as const, data: {} };
      if (!p.success) throw invalid("path parameter", p.error);
      let query: unknown = {};
      if (e.query) {
        const q = e.query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
        if (!q.success) throw invalid("query parameter", q.error);
        query = q.data;
      }
      let body: unknown = undefined;
      let files: File[] = [];
      if (e.body) {
        const read = await readBody(request, e.multipart ?? false);
        files = read.files;
        const b = e.body.safeParse(read.fields);
        if (!b.success) throw invalid("body", b.error);
        body = b.data;
      }
      const result = await run({ request, params: p.data as z.infer<P>, query: query as z.infer<Q>, body: body as z.infer<B>, files, actor });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(request, error);
      if (error instanceof PermissionDenied) return errorResponse(request, new ApiError(403, `errors.forbidden`));
      if (error instanceof NotFound) return errorResponse(request, new ApiError(404, error.message));
      if (error instanceof InputRejected) return errorResponse(request, new ApiError(400, "invalid body", [{ path: error.field, message: error.key }]));
      if (error instanceof UploadRejected) return errorResponse(request, new ApiError(400, error.key, undefined, error.values));
      if (error instanceof IllegalMove) return errorResponse(request, new ApiError(409, error.message));
      if (error instanceof RuleBroken) return errorResponse(request, new ApiError(409, error.key, undefined, error.values));
      if (error instanceof Response) throw error;
      console.error(`[api] ${e.method} ${e.path} failed`, error);
      return errorResponse(request, new ApiError(500, "errors.generic"));
    }
  };
}

/** One route file, several methods: each to its endpoint, anything else 405. */
export function byMethod(handlers: Partial<Record<Endpoint["method"], (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<Response>>>) {
  return async (args: LoaderFunctionArgs | ActionFunctionArgs): Promise<Response> => {
    const run = handlers[args.request.method as Endpoint["method"]];
    if (run) return run(args);
    return errorResponse(args.request, new ApiError(405, `${args.request.method} is not allowed here; use ${Object.keys(handlers).join(" or ")}`));
  };
}

/** Answers JSON 404 for unknown API paths, so a typo never gets an HTML page. */
export function unknownEndpoint(request: Request): Response {
  const path = new URL(request.url).pathname;
  return errorResponse(request, new ApiError(404, `no API endpoint ${request.method} ${path}; see /api/v1/openapi.json`));
}
