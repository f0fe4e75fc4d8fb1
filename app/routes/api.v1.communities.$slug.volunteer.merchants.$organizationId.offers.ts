import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { createOffer } from "~/models/volunteer.server";

export const action = byMethod({
  POST: handle(
    api.createMerchantOffer,
    async ({ actor, params, body }) => createOffer(actor!, await communityIdBySlug(params.slug), params.organizationId, body),
    mayInCommunity("community:view"),
  ),
});
// Any other method gets 405 in the one vocabulary.
export const loader = action;
