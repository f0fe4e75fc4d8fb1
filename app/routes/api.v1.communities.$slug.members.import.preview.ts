import { communityIdBySlug } from "~/models/community.server";
import { previewRoster, rosterSourceOf } from "~/models/roster-import.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = byMethod({
  POST: handle(
    api.rosterPreview,
    async ({ actor, params, body, files }) => previewRoster(actor!, await communityIdBySlug(params.slug), await rosterSourceOf(files, body.rows)),
    mayInCommunity("member:import"),
  ),
});
export const loader = action;
