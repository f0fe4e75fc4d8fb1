// The JSON API under /api/v1. Each endpoint is declared once — method, path,
// the zod schemas that validate it — and both the handler and the OpenAPI
// document (/api/v1/openapi.json) are built from that declaration.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getUserId } from "./auth.server";
import { LIMITS, discardBody, readForm, readJson } from "./body.server";
import { InputRejected, Refusal, type RefusalValues } from "./errors";
import { nulField } from "./nul";
import { requestLocale } from "./locale.server";
import { prisma } from "./db.server";
import { NotFound, communityBySlug, loadActor, loadSessionResource, loadTopicResource, requirePermission, type Actor } from "./permissions.server";
import { issueOf, problemResponse, refusalOf } from "./refusal.server";
import { MAX_PHOTOS, MAX_PHOTO_BYTES } from "./uploads.server";

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
  /** One file (not photos) of at most maxFileBytes in a multipart body, and a JSON body of at most jsonBytes (a roster's rows). */
  upload?: { maxFileBytes: number; jsonBytes: number };
  response: R;
  /** The 4xx statuses this endpoint can answer with, besides 400 for bad input. */
  errors?: number[];
};

/** An RFC 9457 problem document (application/problem+json) in the one vocabulary of refusals. */
export const errorSchema = z.object({
  type: z.string().describe("urn:yishi:problem:<key>"),
  title: z.string().describe("The HTTP status text"),
  status: z.number().int(),
  detail: z.string().describe("What went wrong, in the caller's language (their language cookie, else Accept-Language, else zh-CN)"),
  key: z.string().describe("A stable i18n key, e.g. errors.voteClosed"),
  message: z.string().describe("The same as detail: the key translated"),
  field: z.string().optional().describe("The input field the refusal concerns"),
  values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  issues: z.array(z.object({ path: z.string(), key: z.string(), message: z.string() })).optional(),
});

export const endpoints: Endpoint[] = [];

/** Declares an endpoint (listed in the OpenAPI document) and returns it. */
export function endpoint<P extends z.ZodType, B extends z.ZodType, R extends z.ZodType, Q extends z.ZodType>(e: Endpoint<P, B, R, Q>): Endpoint<P, B, R, Q> {
  endpoints.push(e as unknown as Endpoint);
  return e;
}

/** A refusal of the API layer itself, optionally with per-field issues (zod). */
export class ApiError extends Refusal {
  constructor(
    status: number,
    key: string,
    readonly issues?: { path: string; message: string }[],
    values: RefusalValues = {},
  ) {
    super(status, key, values, issues?.[0]?.path);
  }
}

async function errorResponse(request: Request, error: unknown): Promise<Response> {
  const locale = await requestLocale(request);
  const refusal = refusalOf(error, locale);
  // A refusal about one field (InputRejected) reads like a zod issue, so clients need one way to find fields.
  const issues =
    error instanceof ApiError && error.issues
      ? error.issues.map((i) => issueOf(i.path, i.message, locale))
      : refusal.field
        ? [{ path: refusal.field, key: refusal.key, message: refusal.message }]
        : undefined;
  const headers: Record<string, string> = {};
  if (refusal.status === 405 && error instanceof ApiError) headers.Allow = String(error.values.allowed ?? "");
  // A rate limit (RateLimited) says how long to wait.
  const retryAfter = (error as { retryAfterSec?: unknown }).retryAfterSec;
  if (refusal.status === 429 && typeof retryAfter === "number") headers["Retry-After"] = String(retryAfter);
  return problemResponse({ ...refusal, issues }, locale, headers);
}

function invalid(where: string, error: z.ZodError): ApiError {
  const issues = error.issues.map((i) => ({ path: i.path.join(".") || where, message: i.message }));
  return new ApiError(400, "errors.invalidRequest", issues);
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

/** Reads a JSON or (where the endpoint allows it) multipart body into fields and files, within the limits of body.server.ts. */
async function readBody(request: Request, multipart: boolean, upload?: Endpoint["upload"]): Promise<{ fields: unknown; files: File[] }> {
  const type = request.headers.get("content-type") ?? "";
  if (multipart && /^multipart\/form-data\b/i.test(type)) {
    const form = await readForm(request, {
      files: upload ? { maxFiles: 1, maxFileBytes: upload.maxFileBytes } : { maxFiles: MAX_PHOTOS, maxFileBytes: MAX_PHOTO_BYTES },
    });
    // Own keys only, and no __proto__ surprises: the fields land in a null-prototype object.
    const fields: Record<string, string> = Object.create(null);
    const files: File[] = [];
    for (const [key, value] of form.entries()) {
      if (typeof value === "string") fields[key] = value;
      else files.push(value);
    }
    return { fields: { ...fields }, files };
  }
  if (multipart && !/^application\/json\b/i.test(type))
    throw new Refusal(415, "errors.unsupportedMediaType", { expected: "application/json, multipart/form-data" });
  return { fields: await readJson(request, upload?.jsonBytes ?? LIMITS.jsonBytes), files: [] };
}

/** Whoever the path parameters point at, checked before the body is read (an outsider's upload is never parsed). */
type Guard<P extends z.ZodType> = (ctx: { actor: Actor | null; params: z.infer<P>; request: Request }) => Promise<void>;

/**
 * Runs an endpoint: method, auth, params, the endpoint's guard (permission from
 * the URL), then the body, validated in that order; every refusal is a problem
 * document in the asker's language.
 */
export function handle<P extends z.ZodType, B extends z.ZodType, R extends z.ZodType, Q extends z.ZodType>(
  e: Endpoint<P, B, R, Q>,
  run: (ctx: Context<P, B, Q>) => Promise<z.input<R> | Response>,
  guard?: Guard<P>,
) {
  return async ({ request, params }: LoaderFunctionArgs | ActionFunctionArgs): Promise<Response> => {
    try {
      if (request.method !== e.method) throw new ApiError(405, "errors.methodNotAllowed", undefined, { method: request.method, allowed: e.method });
      let actor: Actor | null = null;
      if (e.auth) {
        const userId = await getUserId(request);
        actor = userId ? await loadActor(userId) : null;
        if (!actor) throw new ApiError(401, "errors.unauthorized");
      }
      const rawQuery = Object.fromEntries(new URL(request.url).searchParams);
      const nul = nulField({ ...params, ...rawQuery });
      if (nul) throw new InputRejected(nul, "errors.invalidInput");
      const p = e.params ? e.params.safeParse(params) : { success: true as const, data: {} };
      if (!p.success) throw invalid("path parameter", p.error);
      let query: unknown = {};
      if (e.query) {
        const q = e.query.safeParse(rawQuery);
        if (!q.success) throw invalid("query parameter", q.error);
        query = q.data;
      }
      if (guard) await guard({ actor, params: p.data as z.infer<P>, request });
      let body: unknown = undefined;
      let files: File[] = [];
      if (e.body) {
        const read = await readBody(request, e.multipart ?? false, e.upload);
        files = read.files;
        const nulInBody = nulField(read.fields);
        if (nulInBody) throw new InputRejected(nulInBody, "errors.invalidInput");
        const b = e.body.safeParse(read.fields);
        if (!b.success) throw invalid("body", b.error);
        body = b.data;
      }
      const result = await run({ request, params: p.data as z.infer<P>, query: query as z.infer<Q>, body: body as z.infer<B>, files, actor });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      if (error instanceof Response) throw error;
      // Refused before the body was read (auth, params, the guard): drop a small body so the client sees why.
      await discardBody(request);
      const response = await errorResponse(request, error);
      if (response.status >= 500) console.error(`[api] ${e.method} ${e.path} failed`, error);
      return response;
    }
  };
}

/** One route file, several methods: each to its endpoint, anything else 405. */
export function byMethod(handlers: Partial<Record<Endpoint["method"], (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<Response>>>) {
  return async (args: LoaderFunctionArgs | ActionFunctionArgs): Promise<Response> => {
    const method = args.request.method as Endpoint["method"];
    const run = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
    if (run) return run(args);
    return errorResponse(args.request, new ApiError(405, "errors.methodNotAllowed", undefined, { method, allowed: Object.keys(handlers).join(", ") }));
  };
}

/** Answers JSON 404 for unknown API paths, so a typo never gets an HTML page. */
export function unknownEndpoint(request: Request): Promise<Response> {
  return errorResponse(request, new ApiError(404, "errors.noSuchEndpoint", undefined, { method: request.method }));
}

/**
 * A guard for endpoints under /communities/{slug}: 404 without the community,
 * 403 unless the actor may `action` there — before the body is read.
 */
export function mayInCommunity(
  action:
    | "community:view"
    | "community:invite"
    | "community:configure"
    | "member:manage"
    | "member:import"
    | "member:resetPassword"
    | "audit:view"
    | "topic:raise"
    | "place:manage"
    | "organization:manage",
) {
  return async ({ actor, params }: { actor: Actor | null; params: { slug: string } }) => {
    const community = await communityBySlug(params.slug);
    requirePermission(actor, "community:view", { type: "community", communityId: community.id });
    requirePermission(actor, action, { type: "community", communityId: community.id });
  };
}

/** A guard for endpoints under /sessions/{sessionId}: 404 without the session, 403 unless the actor may `action` on it. */
export function mayOnSession(action: "session:editAgenda" | "session:chair" | "session:view") {
  return async ({ actor, params }: { actor: Actor | null; params: { sessionId: string } }) => {
    const session = await loadSessionResource(params.sessionId);
    if (!session) throw new NotFound("session");
    requirePermission(actor, action, session);
  };
}

/** A guard for endpoints under /councils/{councilId}: 404 without the council, 403 unless the actor may `action` in its community. */
export function mayOnCouncil(action: "community:view" | "council:seat") {
  return async ({ actor, params }: { actor: Actor | null; params: { councilId: string } }) => {
    const council = await prisma.council.findUnique({ where: { id: params.councilId }, select: { communityId: true } });
    if (!council) throw new NotFound("council");
    requirePermission(actor, "community:view", { type: "community", communityId: council.communityId });
    requirePermission(actor, action, { type: "community", communityId: council.communityId });
  };
}

/** A guard for endpoints under /topics/{topicId}: 404 without the topic, 403 unless the actor may see it. */
export function mayOnTopic() {
  return async ({ actor, params }: { actor: Actor | null; params: { topicId: string } }) => {
    const topic = await loadTopicResource(params.topicId);
    if (!topic) throw new NotFound("topic");
    requirePermission(actor, "topic:view", topic);
  };
}
