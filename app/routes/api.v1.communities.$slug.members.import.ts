import { communityIdBySlug } from "~/models/community.server";
import { importRoster, rosterSourceOf } from "~/models/roster-import.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = byMethod({
  POST: handle(
    api.rosterImport,
    async ({ actor, params, body, files }) => {
      const communityId = await communityIdBySlug(params.slug);
      const source = body.uploadId && files.length === 0 && !body.rows ? { uploadId: body.uploadId } : await rosterSourceOf(files, body.rows);
      const { newUserIds: _, ...result } = await importRoster(actor!, communityId, source);
      return result;
    },
    mayInCommunity("member:import"),
  ),
});
export const loader = action;
