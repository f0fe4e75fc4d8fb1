import { z } from "zod";
import { endpoints, errorSchema } from "~/utils/api.server";
import "./contract";

const schema = (s: z.ZodType, io: "input" | "output") => z.toJSONSchema(s, { target: "openapi-3.0", io, unrepresentable: "any" });

/** OpenAPI 3 for /api/v1, generated from the same zod schemas that validate requests. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) {
    const parameters = [
      ...(e.params ? Object.entries((e.params as z.ZodObject).shape).map(([name, s]) => ({ name, in: "path", required: true, schema: schema(s as z.ZodType, "input") })) : []),
      ...(e.query
        ? Object.entries((e.query as z.ZodObject).shape).map(([name, s]) => ({ name, in: "query", required: !(s as z.ZodType).safeParse(undefined).success, schema: schema(s as z.ZodType, "input") }))
        : []),
    ];
    const errorStatuses = [400, ...(e.auth ? [401] : []), ...(e.errors ?? [])];
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
                        schema: { allOf: [schema(e.body, "input"), { type: "object", properties: { photos: { type: "array", items: { type: "string", format: "binary" } } } }] },
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
          [...new Set(errorStatuses)].map((s) => [s, { description: "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }]),
        ),
      },
    };
  }
  return {
    openapi: "3.0.3",
    info: { title: "Yishi 议事 API", version: "1", description: "The JSON API of Yishi. Errors are JSON { error, issues? }." },
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
