import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { createRedemptionCode } from "~/models/volunteer.server";

export const action = byMethod({
  POST: handle(
    api.createRedemptionCode,
    async ({ actor, params }) => createRedemptionCode(actor!, await communityIdBySlug(params.slug)),
    mayInCommunity("community:view"),
  ),
});
// Any other method gets 405 in the one vocabulary.
export const loader = action;
