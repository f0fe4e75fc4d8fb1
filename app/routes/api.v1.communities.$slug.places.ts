import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { createPlace, placeTree } from "~/models/places.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";

export const loader = handle(
  api.places,
  async ({ actor, params, query }) => placeTree(actor!, await communityIdBySlug(params.slug), { archived: query.archived === "1" }),
  mayInCommunity("community:view"),
);
export const action = byMethod({
  POST: handle(
    api.createPlace,
    async ({ actor, params, body }) => createPlace(actor!, await communityIdBySlug(params.slug), body),
    mayInCommunity("place:manage"),
  ),
});
