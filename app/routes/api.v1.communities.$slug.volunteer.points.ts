import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { handle, mayInCommunity } from "~/utils/api.server";
import { myPoints } from "~/models/volunteer.server";

export const loader = handle(
  api.myVolunteerPoints,
  async ({ actor, params }) => myPoints(actor!, await communityIdBySlug(params.slug)),
  mayInCommunity("community:view"),
);
// Any other method gets 405 in the one vocabulary.
export const action = loader;
