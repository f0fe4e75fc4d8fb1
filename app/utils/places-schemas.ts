// Inputs for places (grids, buildings, units, homes), organisations, constituency places on
// seats and the street office's communities: one zod schema each, for the pages and the API.
import { z } from "zod";
import { constituencySchema, organizationKindSchema, placeKindSchema } from "./domain";
import { idSchema, setupSchema } from "./schemas";

const emptyToUndefined = <T extends z.ZodType>(schema: T) => schema.optional().or(z.literal("").transform(() => undefined));

export const placeNameSchema = z.string({ error: "errors.placeNameRequired" }).trim().min(1, "errors.placeNameRequired").max(40, "errors.placeNameTooLong");

/** A new place under its parent: a grid under the community, a building under a grid (or none), a unit under a building, a home under a unit. */
export const placeCreateSchema = z
  .object({
    kind: placeKindSchema,
    name: placeNameSchema,
    /** The grid of a building (optional), the building of a unit, the unit of a home. */
    parentId: emptyToUndefined(idSchema),
    /** A grid's short code (G01); made from the name when left out. */
    code: emptyToUndefined(
      z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9_-]{1,16}$/, "errors.placeCodeInvalid"),
    ),
  })
  .strict()
  .refine((p) => p.kind === "grid" || p.kind === "building" || p.parentId, { path: ["parentId"], error: "errors.placeParentRequired" });

export const placeRenameSchema = z.object({ name: placeNameSchema }).strict();

/** A building moves to another grid (or to none): its members and topics follow. */
export const placeMoveSchema = z.object({ parentId: idSchema.nullable() }).strict();

/** Merging this place into `intoId` (same kind, same community): everything under it moves there. */
export const placeMergeSchema = z.object({ intoId: idSchema }).strict();

export const placeParam = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,64}$/), kind: placeKindSchema, placeId: idSchema });

/** A member's home place: a home (户), or only a unit, building or grid while homes are not recorded. */
export const homePlaceSchema = z.object({ placeId: idSchema.nullable() }).strict();

/** `?place=` on topic (and task) lists: a grid, building or unit id; everything under it is included. */
export const placeFilterSchema = emptyToUndefined(idSchema);

// ——— Organisations ———

export const organizationNameSchema = z
  .string({ error: "errors.organizationNameRequired" })
  .trim()
  .min(2, "errors.organizationNameRequired")
  .max(60, "errors.organizationNameTooLong");

export const organizationCreateSchema = z.object({ kind: organizationKindSchema, name: organizationNameSchema }).strict();
export const organizationRenameSchema = z.object({ name: organizationNameSchema }).strict();

/** Adds a member of the community to an organisation (or changes whether they act for it). */
export const organizationMemberSchema = z
  .object({
    userId: idSchema,
    actsForOrganization: z
      .union([z.boolean(), z.enum(["true", "false", "on", "1", "0"]).transform((v) => v === "true" || v === "on" || v === "1")])
      .default(false),
  })
  .strict();

// ——— Seats ———

/** Seating a member: a resident seat may speak for a building or a grid (at most one). */
export const seatWithPlaceSchema = z
  .object({
    userId: idSchema,
    constituency: constituencySchema,
    gridId: emptyToUndefined(idSchema),
    buildingId: emptyToUndefined(idSchema),
  })
  .strict()
  .refine((s) => !(s.gridId && s.buildingId), { path: ["buildingId"], error: "errors.seatOnePlace" })
  .refine((s) => s.constituency === "resident" || (!s.gridId && !s.buildingId), { path: ["constituency"], error: "errors.seatPlaceResidentOnly" });

// ——— The street office ———

const account = setupSchema.pick({ displayName: true, username: true, phone: true, password: true });

/**
 * A new community of the super-user's district and its first staff: a new account, or an
 * existing person (by username or phone) who is granted staff.
 */
export const communityCreateSchema = z.discriminatedUnion(
  "staffMode",
  [
    setupSchema
      .pick({ communityName: true, slug: true })
      .extend({ staffMode: z.literal("new"), ...account.shape })
      .strict(),
    setupSchema
      .pick({ communityName: true, slug: true })
      .extend({
        staffMode: z.literal("existing"),
        staffIdentifier: z.string({ error: "errors.identifierRequired" }).trim().min(1, "errors.identifierRequired").max(64, "errors.identifierTooLong"),
      })
      .strict(),
  ],
  { error: "errors.staffModeInvalid" },
);
export type CommunityCreateInput = z.infer<typeof communityCreateSchema>;
