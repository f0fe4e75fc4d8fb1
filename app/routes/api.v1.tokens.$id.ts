import { NotFound } from "~/utils/permissions.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";
import { revokeApiToken } from "~/utils/auth.server";

// Someone else's token id answers 404 like a missing one: ids of other people's tokens are not confirmed.
export const action = handle(api.revokeToken, async ({ actor, params }) => {
  if (!(await revokeApiToken(actor!.userId, params.id))) throw new NotFound("token");
  return { revoked: true as const };
});
export const loader = action;
