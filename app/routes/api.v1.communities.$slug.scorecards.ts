import { api } from "~/api/contract";
import { communityScorecards } from "~/models/dashboard.server";
import { handle, mayInCommunity } from "~/utils/api.server";
import { communityBySlug } from "~/utils/permissions.server";
import { requestLocale } from "~/utils/locale.server";

export const loader = handle(
  api.scorecards,
  async ({ actor, params, request }) => {
    const { weights, rows } = await communityScorecards(actor, (await communityBySlug(params.slug)).id, await requestLocale(request));
    return { weights, rows };
  },
  mayInCommunity("community:view"),
);
export const action = loader;
