import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { redeem } from "~/models/volunteer.server";

export const action = byMethod({
  POST: handle(
    api.redeem,
    async ({ actor, params, body }) =>
      redeem(actor!, await communityIdBySlug(params.slug), {
        organizationId: params.organizationId,
        offerId: body.offerId,
        code: body.code,
        scannedAt: body.scannedAt ? new Date(body.scannedAt) : undefined,
      }),
    mayInCommunity("community:view"),
  ),
});
// Any other method gets 405 in the one vocabulary.
export const loader = action;
