import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { createActivity, listActivities } from "~/models/volunteer.server";

export const loader = handle(
  api.volunteerActivities,
  async ({ actor, params }) => ({ items: await listActivities(actor!, await communityIdBySlug(params.slug)) }),
  mayInCommunity("community:view"),
);
export const action = byMethod({
  POST: handle(
    api.createVolunteerActivity,
    async ({ actor, params, body }) => createActivity(actor!, await communityIdBySlug(params.slug), body),
    mayInCommunity("community:view"),
  ),
});
