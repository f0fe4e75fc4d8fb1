// Every environment variable the app reads, parsed once by one zod schema. A
// bad value stops the start with a message naming the variable and the fix,
// instead of surfacing later as a confusing failure. README lists them.
import { z } from "zod";

// An empty variable (FOO= in a unit file) means "not set", as in most tools.
const unset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unset, schema.optional());
const withDefault = <T extends z.ZodType>(schema: T, value: z.input<T>) => z.preprocess(unset, schema.default(value as never));

const schema = z.object({
  NODE_ENV: withDefault(z.enum(["development", "production", "test"]), "development"),
  PORT: withDefault(z.coerce.number().int().min(1).max(65535), 3000),
  HOST: withDefault(z.string().trim().min(1), "0.0.0.0"),
  DATABASE_URL: withDefault(
    z
      .string()
      .trim()
      .regex(
        /^(file:|postgres(ql)?:\/\/)/i,
        "must be a SQLite file: URL (the embedded default, e.g. file:./data/yishi.db) or a PostgreSQL URL (postgresql://user:password@host:5432/yishi); docs/decisions/0010-postgresql.md",
      ),
    "file:./data/yishi.db",
  ),
  SESSION_SECRET: optional(z.string().trim().min(8, "must be at least 8 characters (a long random string; the same on every process of one site)")),
  COOKIE_SECURE: withDefault(z.enum(["auto", "always", "never"]), "auto"),
  TRUST_PROXY: withDefault(z.string().trim(), "loopback"),
  /** 1: seed the demo (published passwords) into an empty database; otherwise first-run setup. */
  YISHI_DEMO: withDefault(z.enum(["0", "1"]), "0"),
  /** off: request rate limits off, for load tests on a private machine (docs/security.md). */
  YISHI_RATE_LIMITS: withDefault(z.enum(["on", "off"]), "on"),
  REDIS_URL: optional(
    z
      .string()
      .trim()
      .regex(/^rediss?:\/\/\S+$/, "must look like redis://host:6379"),
  ),
  UPLOADS_DIR: optional(z.string().trim()),
  YISHI_MIGRATIONS_DIR: optional(z.string().trim()),
  /** A monitoring system's bearer token for the load figures of /api/v1/health. */
  METRICS_TOKEN: optional(z.string().trim().min(16, "must be at least 16 characters")),
});

export type Env = z.infer<typeof schema>;

let parsed: { raw: string; env: Env } | undefined;

/**
 * The environment, parsed on first use and again only if a variable changed
 * (a test may point DATABASE_URL elsewhere); throws one error listing every bad variable.
 */
export function env(): Env {
  const raw = JSON.stringify(Object.keys(schema.shape).map((k) => process.env[k]));
  if (parsed?.raw === raw) return parsed.env;
  const result = schema.safeParse(process.env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message} (got ${JSON.stringify(process.env[String(i.path[0])])})`);
    throw new Error(`Yishi cannot start: bad environment variables\n${lines.join("\n")}\nSee the configuration table in README.md.`);
  }
  parsed = { raw, env: result.data };
  return result.data;
}
