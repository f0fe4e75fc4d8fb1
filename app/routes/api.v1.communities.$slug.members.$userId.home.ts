import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { setHomePlace } from "~/models/places.server";
import { handle, mayInCommunity } from "~/utils/api.server";

export const action = handle(
  api.homePlace,
  async ({ actor, params, body }) => setHomePlace(actor!, await communityIdBySlug(params.slug), params.userId, body.placeId),
  mayInCommunity("member:manage"),
);
export const loader = action;
