// The JSON API under /api/v1. Each endpoint is declared once — method, path,
// the zod schemas that validate it — and both the handler and the OpenAPI
// document (/api/v1/openapi.json) are built from that declaration.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { translator } from "~/i18n";
import { getUserId } from "./auth.server";
import { NotFound, PermissionDenied, loadActor, type Actor } from "./permissions.server";

export type Endpoint<P extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> = {
  method: "GET" | "POST";
  /** OpenAPI form: /api/v1/sessions/{sessionId} */
  path: string;
  summary: string;
  tag: string;
  auth: boolean;
  params?: P;
  body?: B;
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
export function endpoint<P extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(e: Endpoint<P, B, R>): Endpoint<P, B, R> {
  endpoints.push(e as unknown as Endpoint);
  return e;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: { path: string; message: string }[],
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
  const tr = (m: string) => (/^[a-z]+\.[A-Za-z.]+$/.test(m) ? t(m) : m);
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

type Context<P extends z.ZodType, B extends z.ZodType> = {
  request: Request;
  params: z.infer<P>;
  body: z.infer<B>;
  actor: Actor | null;
};

/**
 * Runs an endpoint: method, auth, params and body validated in that order,
 * refusals from the permission module mapped to 403/404, and every error JSON.
 */
export function handle<P extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  e: Endpoint<P, B, R>,
  run: (ctx: Context<P, B>) => Promise<z.input<R> | Response>,
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
      let body: unknown = undefined;
      if (e.body) {
        if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? ""))
          throw new ApiError(415, "send the request body as JSON with Content-Type: application/json");
        const text = await request.text();
        try {
          body = JSON.parse(text || "null");
        } catch (error) {
          throw new ApiError(400, `the request body is not valid JSON: ${(error as Error).message}`);
        }
        const b = e.body.safeParse(body);
        if (!b.success) throw invalid("body", b.error);
        body = b.data;
      }
      const result = await run({ request, params: p.data as z.infer<P>, body: body as z.infer<B>, actor });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(request, error);
      if (error instanceof PermissionDenied) return errorResponse(request, new ApiError(403, `errors.forbidden`));
      if (error instanceof NotFound) return errorResponse(request, new ApiError(404, error.message));
      if (error instanceof Response) throw error;
      console.error(`[api] ${e.method} ${e.path} failed`, error);
      return errorResponse(request, new ApiError(500, "errors.generic"));
    }
  };
}

/** Answers JSON 404 for unknown API paths, so a typo never gets an HTML page. */
export function unknownEndpoint(request: Request): Response {
  const path = new URL(request.url).pathname;
  return errorResponse(request, new ApiError(404, `no API endpoint ${request.method} ${path}; see /api/v1/openapi.json`));
}
