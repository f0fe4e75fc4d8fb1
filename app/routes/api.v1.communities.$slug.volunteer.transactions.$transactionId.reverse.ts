import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { correctTransaction } from "~/models/volunteer.server";

export const action = byMethod({
  POST: handle(
    api.correctPointTransaction,
    async ({ actor, params, body }) => correctTransaction(actor!, await communityIdBySlug(params.slug), params.transactionId, body.reason),
    mayInCommunity("community:view"),
  ),
});
// Any other method gets 405 in the one vocabulary.
export const loader = action;
