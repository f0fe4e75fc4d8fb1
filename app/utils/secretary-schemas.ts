// The session's secretary, named at creation (sessionCreateSchema) or changed afterwards by staff.
import { z } from "zod";
import { idSchema } from "./schemas";

/** Empty (a form's "any secretary of the community") or null clears it. */
export const secretaryAssignSchema = z.object({
  secretaryId: z.preprocess((v) => (v === "" || v === undefined ? null : v), idSchema.nullable()),
});
