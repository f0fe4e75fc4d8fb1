// zod schemas of joint-handling tasks (联办任务), shared by the pages, the JSON API and
// the live action. Messages are i18n keys (errors.*).
import { z } from "zod";
import { RATINGS, SILENCE_COUNTS, TASK_STATUSES, VERDICTS, VERIFICATION_RULES } from "./task-domain";
import { beijingDateTime, idSchema } from "./schemas";

const optionalId = idSchema.optional().or(z.literal("").transform(() => undefined));
const blankToUndefined = <T extends z.ZodType>(s: T) => s.optional().or(z.literal("").transform(() => undefined));

/** 0–100, whole numbers (a form sends text, the API a number). */
export const percentSchema = z.coerce
  .number({ error: "errors.percentRange" })
  .int("errors.percentRange")
  .min(0, "errors.percentRange")
  .max(100, "errors.percentRange");

const title = z.string({ error: "errors.titleRequired" }).trim().min(2, "errors.titleTooShort").max(80, "errors.titleTooLong");
const description = z.string().trim().max(4000, "errors.descriptionTooLong").default("");
const reason = z.string({ error: "errors.reasonRequired" }).trim().min(2, "errors.reasonRequired").max(1000, "errors.replyTooLong");

export const coHandlerInputSchema = z.object({ organizationId: idSchema, share: z.string().trim().max(500, "errors.replyTooLong").default("") }).strict();

export const milestoneInputSchema = z.object({ title, dueAt: beijingDateTime }).strict();

/** A new task: directly by staff, from a resolution (agendaItemId/motionId) or a referred topic (topicId). */
export const taskCreateSchema = z
  .object({
    title,
    description,
    organizationId: idSchema,
    ownerId: optionalId,
    deadline: beijingDateTime,
    gridId: optionalId,
    buildingId: optionalId,
    unitId: optionalId,
    agendaItemId: optionalId,
    motionId: optionalId,
    topicId: optionalId,
    parentId: optionalId,
    weight: z.coerce.number().int("errors.weightRange").min(1, "errors.weightRange").max(100, "errors.weightRange").default(1),
    coHandlers: z.array(coHandlerInputSchema).max(10).default([]),
    milestones: z.array(milestoneInputSchema).max(20).default([]),
  })
  .strict();
export type TaskCreateInput = z.infer<typeof taskCreateSchema>;

/** The live action: the chair turns a passed motion's resolution into a task. */
export const taskFromResolutionSchema = z
  .object({
    motionId: idSchema,
    title: blankToUndefined(title),
    organizationId: idSchema,
    ownerId: optionalId,
    deadline: beijingDateTime,
  })
  .strict();

export const taskProgressSchema = z
  .object({
    progress: percentSchema,
    text: z.string().trim().max(2000, "errors.replyTooLong").default(""),
    /** before | after: what the attached photos show. */
    photoKind: z.enum(["before", "after"]).default("after"),
  })
  .strict();

export const taskMoveSchema = z.object({ move: z.enum(["start", "submit"], { error: "errors.moveInvalid" }) }).strict();

export const taskAssignSchema = z.object({ ownerId: idSchema }).strict();

export const extensionRequestSchema = z.object({ deadline: beijingDateTime, reason }).strict();
export const extensionDecisionSchema = z
  .object({ approve: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]), note: z.string().trim().max(500).default("") })
  .strict();

export const verificationSchema = z.discriminatedUnion(
  "verdict",
  [
    z
      .object({
        verdict: z.literal("confirm"),
        rating: z.coerce.number().int("errors.ratingInvalid").min(1, "errors.ratingInvalid").max(5, "errors.ratingInvalid"),
        comment: z.string().trim().max(1000, "errors.replyTooLong").default(""),
      })
      .strict(),
    z
      .object({
        verdict: z.literal("sendBack"),
        rating: blankToUndefined(z.coerce.number().int("errors.ratingInvalid").min(1, "errors.ratingInvalid").max(5, "errors.ratingInvalid")),
        comment: reason,
      })
      .strict(),
  ],
  { error: "errors.verdictInvalid" },
);
export type VerificationInput = z.infer<typeof verificationSchema>;

export const taskListSchema = z.object({
  status: blankToUndefined(z.enum([...TASK_STATUSES, "overdue", "open"], { error: "errors.invalidInput" })),
  organizationId: optionalId,
  gridId: optionalId,
  buildingId: optionalId,
  unitId: optionalId,
  /** A grid, building or unit: the tasks anywhere under it. */
  place: optionalId,
  /** Due on or before this Beijing day. */
  dueBy: blankToUndefined(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "errors.dateInvalid")),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type TaskListFilters = z.infer<typeof taskListSchema>;

export const taskSettingsSchema = z
  .object({
    rule: z.enum(VERIFICATION_RULES),
    days: z.coerce.number().int().min(1, "errors.daysRange").max(60, "errors.daysRange"),
    silence: z.enum(SILENCE_COUNTS),
    responseDeadlineHours: z.coerce.number().int().min(1, "errors.hoursRange").max(720, "errors.hoursRange"),
    satisfiedRatings: z.array(z.coerce.number().int().min(1).max(5)).min(1).max(5),
  })
  .strict();

export const verdictSchema = z.enum(VERDICTS);
export { RATINGS };
export const taskJoinSchema = z.object({ taskId: idSchema }).strict();
