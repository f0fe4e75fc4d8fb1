import { communityIdBySlug } from "~/models/community.server";
import { grantRole } from "~/models/member.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = byMethod({
  POST: handle(
    api.grantRole,
    async ({ actor, params, body }) => grantRole(actor!, await communityIdBySlug(params.slug), params.userId, body.role),
    mayInCommunity("member:manage"),
  ),
});
export const loader = action;
