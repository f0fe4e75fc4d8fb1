import { communityIdBySlug } from "~/models/community.server";
import { setMemberActive } from "~/models/member.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = byMethod({
  POST: handle(
    api.memberStatus,
    async ({ actor, params, body }) => setMemberActive(actor!, await communityIdBySlug(params.slug), params.userId, body.active),
    mayInCommunity("member:manage"),
  ),
});
export const loader = action;
