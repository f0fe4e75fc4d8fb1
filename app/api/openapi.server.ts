import { z } from "zod";
import { endpoints, errorSchema } from "~/utils/api.server";
import "./contract";

const schema = (s: z.ZodType, io: "input" | "output") => z.toJSONSchema(s, { target: "openapi-3.0", io, unrepresentable: "any" });

/** OpenAPI 3 for /api/v1, generated from the same zod schemas that validate requests. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) {
    const parameters = [
      ...(e.params
        ? Object.entries((e.params as z.ZodObject).shape).map(([name, s]) => ({ name, in: "path", required: true, schema: schema(s as z.ZodType, "input") }))
        : []),
      ...(e.query
        ? Object.entries((e.query as z.ZodObject).shape).map(([name, s]) => ({
            name,
            in: "query",
            required: !(s as z.ZodType).safeParse(undefined).success,
            schema: schema(s as z.ZodType, "input"),
          }))
        : []),
    ];
    // Any operation may also answer 403 errors.crossSite (a cookie from another site), 413 and 415 (the body's size and type).
    const errorStatuses = [400, ...(e.auth ? [401] : []), ...(e.errors ?? []), ...(e.body ? [413, 415] : [])];
    paths[e.path] ??= {};
    paths[e.path]![e.method.toLowerCase()] = {
      summary: e.summary,
      tags: [e.tag],
      ...(e.auth ? { security: [{ bearer: [] }, { cookie: [] }] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(e.body
        ? {
            requestBody: {
              required: true,
              content: {
                "application/json": { schema: schema(e.body, "input") },
                ...(e.multipart
                  ? {
                      "multipart/form-data": {
                        schema: {
                          allOf: [
                            schema(e.body, "input"),
                            { type: "object", properties: { photos: { type: "array", items: { type: "string", format: "binary" } } } },
                          ],
                        },
                      },
                    }
                  : {}),
              },
            },
          }
        : {}),
      responses: {
        200: { description: "OK", content: { "application/json": { schema: schema(e.response, "output") } } },
        ...Object.fromEntries(
          [...new Set(errorStatuses)].map((s) => [
            s,
            { description: "Refused", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Error" } } } },
          ]),
        ),
      },
    };
  }
  return {
    openapi: "3.0.3",
    info: {
      title: "Yishi 议事 API",
      version: "1",
      description:
        "The JSON API of Yishi. Every refusal is an RFC 9457 problem document (application/problem+json): type, title, status, detail, plus key (a stable i18n key), message (= detail, in the caller's language), field and issues where they apply. A cookie-authenticated state change must come from this site (Origin or Referer) or is refused 403 errors.crossSite; bearer tokens are exempt. Limits: docs/security.md.",
    },
    servers: [{ url: "/" }],
    paths,
    components: {
      schemas: { Error: schema(errorSchema, "output") },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Token from POST /api/v1/auth/token" },
        cookie: { type: "apiKey", in: "cookie", name: "yishi_session" },
      },
    },
  };
}
