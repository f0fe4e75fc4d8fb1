import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { setOfferActive } from "~/models/volunteer.server";

export const action = byMethod({
  POST: handle(
    api.setMerchantOffer,
    async ({ actor, params, body }) => setOfferActive(actor!, await communityIdBySlug(params.slug), params.organizationId, params.offerId, body.active),
    mayInCommunity("community:view"),
  ),
});
// Any other method gets 405 in the one vocabulary.
export const loader = action;
