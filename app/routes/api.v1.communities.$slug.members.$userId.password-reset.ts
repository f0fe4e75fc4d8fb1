import { communityIdBySlug } from "~/models/community.server";
import { issuePasswordReset } from "~/models/password-reset.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = byMethod({
  POST: handle(
    api.passwordReset,
    async ({ actor, params, request }) => issuePasswordReset(actor!, await communityIdBySlug(params.slug), params.userId, new URL(request.url).origin),
    mayInCommunity("member:resetPassword"),
  ),
});
export const loader = action;
