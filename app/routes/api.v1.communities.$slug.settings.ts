import { communityIdBySlug, communitySettings, updateCommunitySettings } from "~/models/community.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.settings, async ({ actor, params }) => communitySettings(actor!, await communityIdBySlug(params.slug)));
export const action = byMethod({
  POST: handle(
    api.updateSettings,
    async ({ actor, params, body }) => updateCommunitySettings(actor!, await communityIdBySlug(params.slug), body),
    mayInCommunity("community:configure"),
  ),
});
