// zod schemas of volunteer service and points (issue 18), shared by the pages and the JSON API.
// Messages are i18n keys (errors.*).
import { z } from "zod";
import { beijingDateTime, idSchema } from "./schemas";

/** How service earns points (app/models/volunteer-rules.ts pointsForService). */
export const POINTS_MODES = ["perHour", "perActivity"] as const;

const optionalId = idSchema.optional().or(z.literal("").transform(() => undefined));
const whole = (key: string, min: number, max: number) => z.coerce.number({ error: key }).int(key).min(min, key).max(max, key);

export const pointsModeSchema = z.enum(POINTS_MODES, { error: "errors.pointsModeInvalid" });

export const activityCreateSchema = z
  .object({
    teamId: idSchema,
    title: z.string({ error: "errors.titleRequired" }).trim().min(2, "errors.titleTooShort").max(80, "errors.titleTooLong"),
    description: z.string().trim().max(2000, "errors.descriptionTooLong").default(""),
    placeId: optionalId,
    startsAt: beijingDateTime,
    endsAt: beijingDateTime,
    capacity: whole("errors.volunteerCapacityRange", 1, 500),
    pointsMode: pointsModeSchema.optional(),
    points: whole("errors.volunteerPointsRange", 0, 1000).optional(),
  })
  .strict();

export const teamCreateSchema = z
  .object({
    name: z.string({ error: "errors.volunteerTeamNameRequired" }).trim().min(2, "errors.volunteerTeamNameRequired").max(40, "errors.volunteerTeamNameRequired"),
  })
  .strict();

export const teamMemberSchema = z
  .object({ userId: idSchema, role: z.enum(["leader", "member"], { error: "errors.volunteerRoleInvalid" }).nullable() })
  .strict();

export const volunteerRulesSchema = z
  .object({
    pointsMode: pointsModeSchema,
    pointsPerUnit: whole("errors.volunteerPointsRange", 0, 1000),
    yearlyCap: whole("errors.volunteerCapRange", 0, 1_000_000),
    expiryMonths: whole("errors.volunteerExpiryRange", 0, 120),
  })
  .strict();

export const offerCreateSchema = z
  .object({
    title: z.string({ error: "errors.titleRequired" }).trim().min(2, "errors.titleTooShort").max(60, "errors.titleTooLong"),
    points: whole("errors.volunteerPointsRange", 1, 100_000),
  })
  .strict();

export const offerActiveSchema = z.object({ active: z.boolean({ error: "errors.invalidRequest" }) }).strict();

/** A scan settled now, or one queued offline (scannedAt: when the merchant's phone scanned it). */
export const redeemSchema = z
  .object({
    offerId: idSchema,
    code: z
      .string({ error: "errors.redemptionCodeInvalid" })
      .trim()
      .transform((v) =>
        v
          .replace(/^yishi-points:/i, "")
          .replace(/[\s-]/g, "")
          .toUpperCase(),
      )
      .pipe(z.string().regex(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/, "errors.redemptionCodeInvalid")),
    scannedAt: z.iso.datetime({ offset: true, error: "errors.dateInvalid" }).optional(),
  })
  .strict();

export const checkInTokenSchema = z
  .object({ token: z.string({ error: "errors.checkInInvalid" }).trim().min(10, "errors.checkInInvalid").max(200, "errors.checkInInvalid") })
  .strict();

export const correctionSchema = z
  .object({ reason: z.string({ error: "errors.reasonRequired" }).trim().min(2, "errors.reasonRequired").max(500, "errors.replyTooLong") })
  .strict();

export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "errors.dateInvalid");

/** Why a leader cancels an activity (rained off, the place closed): shown to everyone. */
export const activityCancelSchema = z
  .object({
    reason: z
      .string({ error: "errors.volunteerCancelReasonRange" })
      .trim()
      .min(1, "errors.volunteerCancelReasonRange")
      .max(200, "errors.volunteerCancelReasonRange"),
  })
  .strict();

/** An edit before the activity starts: the fields sent change, the others stay. */
export const activityEditSchema = z
  .object({
    title: activityCreateSchema.shape.title.optional(),
    description: z.string().trim().max(2000, "errors.descriptionTooLong").optional(),
    placeId: idSchema.optional().or(z.literal("").transform(() => null)),
    startsAt: beijingDateTime.optional(),
    endsAt: beijingDateTime.optional(),
    capacity: whole("errors.volunteerCapacityRange", 1, 500).optional(),
    points: whole("errors.volunteerPointsRange", 0, 1000).optional(),
  })
  .strict();
export type ActivityEdit = z.infer<typeof activityEditSchema>;
