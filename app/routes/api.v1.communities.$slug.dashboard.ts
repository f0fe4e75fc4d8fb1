import { api } from "~/api/contract";
import { communityDashboard } from "~/models/dashboard.server";
import { handle, mayInCommunity } from "~/utils/api.server";
import { communityBySlug } from "~/utils/permissions.server";
import { requestLocale } from "~/utils/locale.server";

export const loader = handle(
  api.dashboard,
  async ({ actor, params, query, request }) => {
    const { p, ...narrow } = query;
    return communityDashboard(actor, await communityBySlug(params.slug), p, await requestLocale(request), new Date(), narrow);
  },
  mayInCommunity("community:view"),
);
export const action = loader;
