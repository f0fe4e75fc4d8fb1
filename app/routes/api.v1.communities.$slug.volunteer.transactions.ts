import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { handle, mayInCommunity } from "~/utils/api.server";
import { recentTransactions } from "~/models/volunteer.server";

export const loader = handle(
  api.pointTransactions,
  async ({ actor, params }) => ({ items: await recentTransactions(actor!, await communityIdBySlug(params.slug)) }),
  mayInCommunity("community:view"),
);
// Any other method gets 405 in the one vocabulary.
export const action = loader;
