// /api/v1 endpoint for the session's secretary (issue 12), spread into `api` in contract.ts.
import { z } from "zod";
import { endpoint } from "~/utils/api.server";
import { idSchema } from "~/utils/schemas";
import { secretaryAssignSchema } from "~/utils/secretary-schemas";

export const secretaryApi = {
  assignSecretary: endpoint({
    method: "POST",
    path: "/api/v1/sessions/{sessionId}/secretary",
    summary:
      "Name the secretary who writes a scheduled or open session's minutes (community staff): an active member holding the secretary role, or null for any of them",
    tag: "sessions",
    auth: true,
    params: z.object({ sessionId: idSchema }),
    body: secretaryAssignSchema,
    response: z.object({ sessionId: z.string(), secretaryId: z.string().nullable() }),
    errors: [403, 404],
  }),
};
