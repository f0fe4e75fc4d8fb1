// /api/v1 endpoint for password reset links (issue 15), spread into `api` in contract.ts.
import { z } from "zod";
import { endpoint } from "~/utils/api.server";
import { passwordResetResponse } from "~/utils/reset-schemas";
import { idSchema } from "~/utils/schemas";

export const resetApi = {
  passwordReset: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/members/{userId}/password-reset",
    summary:
      "A one-time link (and its QR code) with which a member who forgot their password sets a new one and is signed in; valid 24 hours, replaces their earlier unused links, and using it ends every other sign-in and API token of theirs (community staff or the street office; refused with 409 for a member who also belongs to a community the caller does not manage, or who has not activated their account yet)",
    tag: "members",
    auth: true,
    params: z.object({ slug: z.string().regex(/^[a-z0-9-]{1,64}$/), userId: idSchema }),
    response: passwordResetResponse,
    errors: [403, 404, 409],
  }),
};
