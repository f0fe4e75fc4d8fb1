// One zod schema per input, imported by the form on the client and by the
// route, API and socket handlers on the server. Custom messages are i18n keys
// (errors.*) that the screen translates and the API renders in the caller's locale.
import { z } from "zod";
import { COMMON_PASSWORDS } from "./common-passwords";
import { SESSION_STATUSES, constituencySchema, localeSchema, roleSchema } from "./domain";

const identifier = z.string({ error: "errors.identifierRequired" }).trim().min(1, "errors.identifierRequired").max(64, "errors.identifierTooLong");
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

/** Characters a new password needs, not counting spaces at either end. */
export const MIN_PASSWORD_LENGTH = 8;
let commonPasswords: Set<string> | null = null;
/** Whether a password is on the shipped list of common ones (case-insensitive; built once, on first use). */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(COMMON_PASSWORDS.split("\n").filter(Boolean));
  return commonPasswords.has(password.trim().toLowerCase());
}

/**
 * A new password: at least 8 characters once spaces at either end are set aside (so eight
 * spaces, or "1234567 ", do not count as eight), and not one of the few thousand most common
 * passwords. Stored as typed: a space inside or at the end is the person's choice.
 * No composition rules (digits, capitals): NIST SP 800-63B advises length and a block list instead.
 */
export const newPasswordSchema = z
  .string({ error: "errors.passwordRequired" })
  .max(200, "errors.passwordTooLong")
  .refine((p) => p.trim().length >= MIN_PASSWORD_LENGTH, "errors.passwordTooShort")
  .refine((p) => !isCommonPassword(p), "errors.passwordTooCommon");

/** A new account's fields, the same whether it comes from an invitation or from first-run setup. */
const accountFields = {
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
};

/**
 * Joining by invitation: a name and a phone number are enough; the username is optional (one is
 * made up when it is left empty), since many residents have no Latin username to give. Without a
 * phone the username is how the person signs in, so one of the two is required.
 */
export const inviteAcceptSchema = z
  .object({
    ...accountFields,
    username: accountFields.username.optional().or(z.literal("").transform(() => undefined)),
  })
  .superRefine((v, ctx) => {
    if (!v.username && !v.phone) ctx.addIssue({ code: "custom", path: ["phone"], message: "errors.phoneOrUsernameRequired" });
  });

/** First-run setup (/setup, `npm run setup`): the community and its first community-staff account. */
export const setupSchema = z.object({
  code: z
    .string({ error: "errors.setupCodeInvalid" })
    .trim()
    .regex(/^[A-Za-z0-9-]{6,40}$/, "errors.setupCodeInvalid"),
  communityName: z.string({ error: "errors.communityNameRequired" }).trim().min(2, "errors.communityNameRequired").max(40, "errors.communityNameTooLong"),
  slug: z
    .string({ error: "errors.slugInvalid" })
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]{1,40}$/, "errors.slugInvalid"),
  city: z.string().trim().max(100, "errors.placeTooLong").default(""),
  district: z.string().trim().max(100, "errors.placeTooLong").default(""),
  ...accountFields,
});

const optionalPlaceId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "errors.idInvalid")
  .optional()
  .or(z.literal("").transform(() => undefined));

export const inviteCreateSchema = z.object({
  role: roleSchema,
  organizationId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  note: z.string().trim().max(200, "errors.noteTooLong").default(""),
  // The place the accepted membership gets: the most specific one given decides (the rest are derived).
  gridId: optionalPlaceId,
  buildingId: optionalPlaceId,
  unitId: optionalPlaceId,
  householdId: optionalPlaceId,
  expiresInDays: z.coerce.number().int().min(1, "errors.expiryRange").max(90, "errors.expiryRange").default(7),
  maxUses: z.coerce.number().int().min(1, "errors.maxUsesRange").max(500, "errors.maxUsesRange").default(1),
});

export const languageSchema = z.object({
  locale: localeSchema,
  /** Absent when the page switches in place (root.tsx); the no-JavaScript form names the page to return to. */
  redirectTo: z.string().max(2000).optional(),
});

export const idSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "errors.idInvalid");

/** Socket.IO: a client asks to follow one council session's room. */
export const sessionJoinSchema = z.object({ sessionId: idSchema }).strict();

/**
 * A redirect target from input (a form field, a query parameter), or `fallback`.
 * Only a path of this site: one leading "/", never "//" or "/\\" (which browsers
 * read as another host), and no whitespace, control characters or backslashes
 * anywhere — browsers drop tabs and newlines from URLs, so "/\t/evil.example"
 * would become "//evil.example", and a newline in a Location header is a 500.
 */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || to.length > 2000) return fallback;
  if (!to.startsWith("/") || to.startsWith("//")) return fallback;
  // \s covers Unicode spaces too; \p{C} control, format and unassigned characters.
  if (/[\s\\]|\p{C}/u.test(to)) return fallback;
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

// ——— Topics (议题) ———

const optionalId = idSchema.optional().or(z.literal("").transform(() => undefined));
const text = (max: number, tooLong: string) => z.string().trim().max(max, tooLong);

export const topicRaiseSchema = z.object({
  title: z.string({ error: "errors.titleRequired" }).trim().min(4, "errors.titleTooShort").max(60, "errors.titleTooLong"),
  description: text(2000, "errors.descriptionTooLong").default(""),
  category: z
    .string()
    .trim()
    .regex(/^[a-z][a-zA-Z0-9-]{0,31}$/, "errors.categoryInvalid")
    .default("other"),
  gridId: optionalId,
  buildingId: optionalId,
  unitId: optionalId,
  /** Name of the resident a grid worker or building/unit head raises this for. */
  onBehalfOf: text(40, "errors.displayNameTooLong")
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

/** Beijing time from a datetime-local field ("2026-12-04T14:30"), or any ISO date-time. */
export const beijingDateTime = z
  .string({ error: "errors.dateInvalid" })
  .trim()
  .transform((v, ctx) => {
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v) ? `${v}+08:00` : v;
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "errors.dateInvalid" });
      return z.NEVER;
    }
    return d;
  });

const reply = z.string({ error: "errors.replyRequired" }).trim().min(2, "errors.replyRequired").max(2000, "errors.replyTooLong");

/** An agenda item's optional time slot in minutes: a field left empty means "no slot", never 0. */
const optionalTimeSlot = z.preprocess(
  (v) => ((typeof v === "string" && v.trim() === "") || v === null ? undefined : v),
  z.coerce.number({ error: "errors.timeSlotRange" }).int().min(1, "errors.timeSlotRange").max(240, "errors.timeSlotRange").optional(),
);

export const topicMoveSchema = z.discriminatedUnion(
  "move",
  [
    z.object({ move: z.literal("answer"), answer: reply }),
    z.object({ move: z.literal("refer"), organizationId: idSchema, dueAt: beijingDateTime }),
    z.object({ move: z.literal("orgAnswer"), answer: reply }),
    z.object({ move: z.literal("merge"), intoTopicId: idSchema }),
    z.object({
      move: z.literal("decline"),
      reason: z.string({ error: "errors.reasonRequired" }).trim().min(2, "errors.reasonRequired").max(500, "errors.replyTooLong"),
    }),
    z.object({ move: z.literal("accept") }),
    z.object({
      move: z.literal("schedule"),
      sessionId: idSchema,
      timeSlotMin: optionalTimeSlot,
    }),
    z.object({ move: z.literal("unschedule") }),
  ],
  { error: "errors.moveInvalid" },
);
export type TopicMoveInput = z.infer<typeof topicMoveSchema>;

export const topicListSchema = z.object({
  q: z.string().trim().max(60).optional(),
  status: z.string().trim().max(20).optional(),
  category: z.string().trim().max(32).optional(),
  gridId: z.string().trim().max(64).optional(),
  /** A grid, building or unit id: topics there or anywhere under it (placeWhere in app/models/places.server.ts). */
  place: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "errors.placeInvalid")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "errors.dateInvalid")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "errors.dateInvalid")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  mine: z
    .enum(["1", "0", "true", "false"])
    .transform((v) => v === "1" || v === "true")
    .optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

// ——— Sessions and agendas ———

export const sessionCreateSchema = z.object({
  councilId: idSchema,
  title: z.string({ error: "errors.titleRequired" }).trim().min(2, "errors.titleRequired").max(80, "errors.titleTooLong"),
  scheduledAt: beijingDateTime,
  place: z.string().trim().max(100, "errors.placeTooLong").default(""),
  mode: z.enum(["inPerson", "online", "hybrid"], { error: "errors.modeInvalid" }).default("inPerson"),
  /** Who writes the minutes; empty: any holder of the community's secretary role. */
  secretaryId: optionalId,
});

export const agendaAddSchema = z.union([
  z.object({ topicId: idSchema, timeSlotMin: optionalTimeSlot }),
  z.object({
    title: z.string({ error: "errors.titleRequired" }).trim().min(2, "errors.titleRequired").max(80, "errors.titleTooLong"),
    text: text(4000, "errors.descriptionTooLong").default(""),
    timeSlotMin: optionalTimeSlot,
  }),
]);

export const agendaReorderSchema = z.object({ itemIds: z.array(idSchema).min(1).max(500) });
export const agendaTimeSlotSchema = z.object({
  itemId: idSchema,
  timeSlotMin: z.coerce.number().int().min(1, "errors.timeSlotRange").max(240, "errors.timeSlotRange"),
});

/** Socket.IO: follow one topic (live co-sign count). */
export const topicJoinSchema = z.object({ topicId: idSchema }).strict();

// ——— Community settings ———

export const categorySchema = z.object({
  key: z
    .string()
    .trim()
    .regex(/^[a-z][a-zA-Z0-9-]{0,31}$/, "errors.categoryKeyInvalid"),
  nameZh: z.string().trim().min(1, "errors.categoryNameRequired").max(20, "errors.categoryNameTooLong"),
  nameEn: z.string().trim().min(1, "errors.categoryNameRequired").max(40, "errors.categoryNameTooLong"),
  archived: z.boolean().default(false),
});

export const communitySettingsSchema = z
  .object({
    coSignThreshold: z.coerce.number().int().min(1, "errors.thresholdRange").max(1000, "errors.thresholdRange").optional(),
    /** The quorum of one of the community's councils. */
    council: z
      .object({
        councilId: idSchema,
        quorumRatio: z.coerce.number().min(0.1, "errors.quorumRange").max(1, "errors.quorumRange"),
        quorumInclusive: z.boolean(),
      })
      .optional(),
    /** The full list, in order: missing categories are archived (topics keep their labels), never deleted. */
    categories: z
      .array(categorySchema)
      .min(1, "errors.categoriesRequired")
      .max(30)
      .refine((c) => new Set(c.map((x) => x.key)).size === c.length, "errors.categoryKeyDuplicate")
      .optional(),
  })
  .strict();

/** Seating someone on a council (POST /api/v1/councils/{councilId}/seats, the council page). */
export const seatCreateSchema = z
  .object({
    userId: idSchema,
    constituency: constituencySchema,
  })
  .strict();

/** Granting a role to a member (POST /api/v1/communities/{slug}/members/{userId}/roles, the members page). */
export const roleGrantSchema = z.object({ role: roleSchema }).strict();

/** Deactivating or reactivating a member (POST /api/v1/communities/{slug}/members/{userId}/status). */
export const memberStatusSchema = z.object({ active: z.boolean() }).strict();

/** GET /api/v1/sessions: a community's sessions (or those of every community one belongs to), by status and Beijing date. */
export const sessionListSchema = z.object({
  community: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, "errors.invalidInput")
    .optional(),
  status: z.enum(SESSION_STATUSES).optional(),
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "errors.dateInvalid")
    .optional(),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "errors.dateInvalid")
    .optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
