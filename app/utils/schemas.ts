// One zod schema per input, imported by the form on the client and by the
// route, API and socket handlers on the server. Custom messages are i18n keys
// (errors.*) that the screen translates and the API renders in the caller's locale.
import { z } from "zod";
import { localeSchema, roleSchema } from "./domain";

const identifier = z
  .string({ error: "errors.identifierRequired" })
  .trim()
  .min(1, "errors.identifierRequired")
  .max(64, "errors.identifierTooLong");
const password = z.string({ error: "errors.passwordRequired" }).min(1, "errors.passwordRequired").max(200, "errors.passwordTooLong");

export const loginSchema = z.object({
  identifier,
  password,
  redirectTo: z.string().optional(),
});

export const tokenRequestSchema = z
  .object({
    identifier,
    password,
    name: z.string().trim().min(1).max(60).default("api"),
    expiresInDays: z.number().int().min(1, "errors.expiryRange").max(365, "errors.expiryRange").default(30),
  })
  .strict();

export const tokenResponseSchema = z.object({
  token: z.string(),
  tokenType: z.literal("Bearer"),
  expiresAt: z.string(),
  user: z.object({ id: z.string(), displayName: z.string() }),
});

export const newPasswordSchema = z
  .string({ error: "errors.passwordRequired" })
  .min(8, "errors.passwordTooShort")
  .max(200, "errors.passwordTooLong");

export const inviteAcceptSchema = z.object({
  displayName: z.string({ error: "errors.displayNameRequired" }).trim().min(1, "errors.displayNameRequired").max(40, "errors.displayNameTooLong"),
  username: z
    .string({ error: "errors.usernameInvalid" })
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9_.-]{3,32}$/, "errors.usernameInvalid"),
  phone: z
    .string()
    .trim()
    .regex(/^1\d{10}$/, "errors.phoneInvalid")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  password: newPasswordSchema,
});

export const inviteCreateSchema = z.object({
  role: roleSchema,
  organizationId: z.string().trim().min(1).max(64).optional().or(z.literal("").transform(() => undefined)),
  note: z.string().trim().max(200, "errors.noteTooLong").default(""),
  expiresInDays: z.coerce.number().int().min(1, "errors.expiryRange").max(90, "errors.expiryRange").default(7),
  maxUses: z.coerce.number().int().min(1, "errors.maxUsesRange").max(500, "errors.maxUsesRange").default(1),
});

export const languageSchema = z.object({
  locale: localeSchema,
  redirectTo: z.string().default("/"),
});

export const idSchema = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, "errors.idInvalid");

/** Socket.IO: a client asks to follow one council session's room. */
export const sessionJoinSchema = z.object({ sessionId: idSchema }).strict();

/** Only same-site paths, so a crafted link cannot bounce a user elsewhere after sign-in. */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

/** zod issues as { field: i18n key or message }, first issue per field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    out[key] ??= issue.message;
  }
  return out;
}
