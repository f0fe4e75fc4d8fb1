import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { handle, mayInCommunity } from "~/utils/api.server";
import { beijingMonth } from "~/models/volunteer-rules";
import { staffOverview } from "~/models/volunteer.server";

export const loader = handle(
  api.volunteerFigures,
  async ({ actor, params, query }) =>
    staffOverview(actor!, await communityIdBySlug(params.slug), { from: beijingMonth(query.from)!.from, to: beijingMonth(query.to)!.to }),
  mayInCommunity("community:view"),
);
// Any other method gets 405 in the one vocabulary.
export const action = loader;
