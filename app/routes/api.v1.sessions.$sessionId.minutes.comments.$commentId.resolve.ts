import { resolveComment } from "~/models/minutes.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.minutesResolve, async ({ actor, params, body }) => ({
  ...(await resolveComment(actor!, params.sessionId, params.commentId, body)),
  resolved: true as const,
}));
export const loader = action;
