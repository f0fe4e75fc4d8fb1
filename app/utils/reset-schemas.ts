// Password reset links (issue 15): shared by the reset page, the members page and the API.
import { z } from "zod";
import { newPasswordSchema } from "~/utils/schemas";

/** The reset page: the same password rules as signing up. */
export const resetPasswordSchema = z.object({ password: newPasswordSchema });

/** A reset token as it appears in a link: anything else is refused before the database is asked. */
export const resetTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

export const passwordResetResponse = z.object({
  userId: z.string(),
  url: z.string().describe("The one-time link: whoever opens it within 24 hours sets this member's password and is signed in"),
  qr: z.string().describe("The link as an SVG QR code"),
  expiresAt: z.string(),
});
