// zod schemas of the minutes (issue 12), shared by the pages, the API and the model.
import { z } from "zod";
import { beijingDateTime, idSchema } from "./schemas";

const text = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize("NFC").trim())
    .pipe(z.string().min(1, "must not be empty").max(max, `at most ${max} characters`));

/** When the review window closes: an ISO date-time in the future, at most 30 days ahead. */
export const minutesSubmitSchema = z
  .object({
    /** ISO 8601 with an offset, or a form's YYYY-MM-DDTHH:mm read as Beijing time. */
    reviewEndsAt: beijingDateTime,
  })
  .strict();

/** Where a comment points: Yjs relative positions of the passage (base64 of Y.encodeRelativePosition), and/or the quote as a text anchor. */
export const commentAnchorSchema = z
  .object({
    from: z
      .string()
      .max(400)
      .regex(/^[A-Za-z0-9+/=_-]*$/, "must be base64")
      .optional(),
    to: z
      .string()
      .max(400)
      .regex(/^[A-Za-z0-9+/=_-]*$/, "must be base64")
      .optional(),
    /** Characters before the quote in the document's text, to find it again if positions are lost. */
    prefix: z.string().max(200).optional(),
  })
  .strict();

export const minutesCommentSchema = z
  .object({
    quote: text(1000),
    body: text(2000),
    anchor: commentAnchorSchema.optional(),
  })
  .strict();

export const commentResolveSchema = z.object({ resolution: z.string().max(2000).optional() }).strict();

export const minutesPublishSchema = z
  .object({
    /** The notice period (公示期) in days from publishing; 7 unless set. */
    noticeDays: z.coerce.number().int("whole days").min(1, "at least 1 day").max(90, "at most 90 days").default(7),
  })
  .strict();

export const minutesCorrectSchema = z.object({ reason: text(1000) }).strict();

export const objectionSchema = z.object({ body: text(2000) }).strict();
export const objectionAnswerSchema = z.object({ answer: text(2000) }).strict();

export const versionQuerySchema = z.object({ hash: z.string().max(200).optional() }).strict();

export const minutesParam = z.object({ sessionId: idSchema });
export const minutesIdParam = z.object({ minutesId: idSchema });
export const commentParam = z.object({ sessionId: idSchema, commentId: idSchema });
export const objectionParam = z.object({ objectionId: idSchema });

/** The files of a published version (GET /api/v1/minutes/{minutesId}/files/{file}). */
export const MINUTES_FILES = ["minutes.pdf", "minutes.docx", "minutes.md", "roll-call.csv"] as const;
export type MinutesFile = (typeof MINUTES_FILES)[number];
