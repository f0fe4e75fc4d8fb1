import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { setTeamMember } from "~/models/volunteer.server";

export const action = byMethod({
  POST: handle(
    api.setVolunteerTeamMember,
    async ({ actor, params, body }) => setTeamMember(actor!, await communityIdBySlug(params.slug), params.teamId, body),
    mayInCommunity("community:view"),
  ),
});
// Any other method gets 405 in the one vocabulary.
export const loader = action;
