// Inputs of the roster import and of activation links, shared by the pages and the API.
import { z } from "zod";
import { ROLES } from "./domain";
import { idSchema, newPasswordSchema } from "./schemas";

/** A roster is at most this big: a community has a few thousand households. */
export const ROSTER_LIMITS = { maxBytes: 5 * 1024 * 1024, maxRows: 10_000 } as const;

/** The columns a roster may have (their header words are in app/models/roster-import.ts). */
export const ROSTER_COLUMNS = ["name", "phone", "building", "unit", "household", "role", "grid"] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];

/** The rows of a roster as JSON (the API's alternative to a file): the header row first, then one row per person. */
export const rosterRowsSchema = z
  .array(z.array(z.string().max(200, "errors.rosterCellTooLong")).max(50, "errors.rosterTooManyColumns"), { error: "errors.rosterRowsInvalid" })
  .min(1, "errors.rosterEmpty")
  .max(ROSTER_LIMITS.maxRows + 20, "errors.rosterTooManyRows");

/** Preview: a multipart `file` (CSV or .xlsx), or { rows } as JSON. */
export const rosterPreviewSchema = z.object({ rows: rosterRowsSchema.optional() }).strict();

/** Import: a multipart `file` again, the `uploadId` of a previewed file, or { rows } as JSON. */
export const rosterImportSchema = z.object({ uploadId: idSchema.optional(), rows: rosterRowsSchema.optional() }).strict();

const problem = z.object({ key: z.string(), values: z.record(z.string(), z.union([z.string(), z.number()])).optional() });

export const rosterPreviewResponse = z.object({
  uploadId: z.string().nullable().describe("Set when a file has no error: pass it to the import (valid for 24 hours)"),
  importable: z.boolean(),
  file: problem.nullable().describe("Why the file as a whole cannot be read (no header, too many rows, …)"),
  summary: z.object({
    rows: z.number().int(),
    newPeople: z.number().int(),
    existing: z.number().int().describe("Accounts that exist: members here get the row's role and place; people of other communities join"),
    skipped: z.number().int().describe("Members staff deactivated here: left as they are"),
    newHouseholds: z.number().int(),
    errors: z.number().int(),
    errorRows: z.number().int(),
  }),
  problems: z.array(
    problem.extend({
      row: z.number().int().describe("The row as the spreadsheet numbers it (the header is row 1)"),
      field: z.enum([...ROSTER_COLUMNS, "_row"]),
    }),
  ),
  rows: z
    .array(
      z.object({
        row: z.number().int(),
        name: z.string(),
        phone: z.string(),
        role: z.enum(ROLES),
        outcome: z.enum(["new", "join", "update", "skip"]),
        newHousehold: z.string().nullable(),
      }),
    )
    .describe("The first 200 good rows and what will happen to each"),
});

export const rosterImportResponse = z.object({
  imported: z.number().int(),
  newPeople: z.number().int(),
  existing: z.number().int(),
  skipped: z.number().int(),
  newHouseholds: z.number().int(),
  rows: z.number().int(),
});

export const activationLinkResponse = z.object({
  userId: z.string(),
  url: z.string().describe("The one-time link: whoever opens it sets the password of this account"),
  qr: z.string().describe("The link as an SVG QR code"),
  expiresAt: z.string(),
});

/** The activation page: the person's first password. */
export const activateSchema = z.object({ password: newPasswordSchema });
