import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { councilsWithSeats } from "~/models/council.server";
import { handle, mayInCommunity } from "~/utils/api.server";

export const loader = handle(
  api.councils,
  async ({ actor, params }) => councilsWithSeats(actor!, await communityIdBySlug(params.slug)),
  mayInCommunity("community:view"),
);
export const action = loader;
