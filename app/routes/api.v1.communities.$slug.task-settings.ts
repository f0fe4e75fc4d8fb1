import { communityIdBySlug } from "~/models/community.server";
import { getTaskSettings, updateTaskSettings } from "~/models/task.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.taskSettings, async ({ actor, params }) => getTaskSettings(actor!, await communityIdBySlug(params.slug)));

export const action = byMethod({
  POST: handle(
    api.updateTaskSettings,
    async ({ actor, params, body }) => updateTaskSettings(actor!, await communityIdBySlug(params.slug), body),
    mayInCommunity("community:configure"),
  ),
});
