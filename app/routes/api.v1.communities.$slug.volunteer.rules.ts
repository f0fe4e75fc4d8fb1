import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { setVolunteerRules, volunteerRules } from "~/models/volunteer.server";
import { prisma } from "~/utils/db.server";

export const loader = handle(
  api.volunteerRules,
  async ({ params }) => volunteerRules(prisma, await communityIdBySlug(params.slug)),
  mayInCommunity("community:view"),
);
export const action = byMethod({
  POST: handle(
    api.setVolunteerRules,
    async ({ actor, params, body }) => setVolunteerRules(actor!, await communityIdBySlug(params.slug), body),
    mayInCommunity("community:view"),
  ),
});
