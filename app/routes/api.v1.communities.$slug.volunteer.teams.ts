import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { createTeam, listTeams } from "~/models/volunteer.server";

export const loader = handle(
  api.volunteerTeams,
  async ({ actor, params }) => ({ items: await listTeams(actor!, await communityIdBySlug(params.slug)) }),
  mayInCommunity("community:view"),
);
export const action = byMethod({
  POST: handle(
    api.createVolunteerTeam,
    async ({ actor, params, body }) => createTeam(actor!, await communityIdBySlug(params.slug), body),
    mayInCommunity("community:view"),
  ),
});
