import { communityIdBySlug } from "~/models/community.server";
import { issueActivationLink } from "~/models/activation.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = byMethod({
  POST: handle(
    api.activationLink,
    async ({ actor, params, request }) => {
      const link = await issueActivationLink(actor!, await communityIdBySlug(params.slug), params.userId, new URL(request.url).origin);
      return { userId: link.userId, url: link.url, qr: link.qr, expiresAt: link.expiresAt };
    },
    mayInCommunity("member:manage"),
  ),
});
export const loader = action;
