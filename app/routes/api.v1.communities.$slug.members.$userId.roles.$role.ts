import { communityIdBySlug } from "~/models/community.server";
import { revokeRole } from "~/models/member.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = byMethod({
  DELETE: handle(
    api.revokeRole,
    async ({ actor, params }) => revokeRole(actor!, await communityIdBySlug(params.slug), params.userId, params.role),
    mayInCommunity("member:manage"),
  ),
});
export const loader = action;
