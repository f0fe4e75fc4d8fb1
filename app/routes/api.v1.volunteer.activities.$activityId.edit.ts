import { api } from "~/api/contract";
import { editActivity } from "~/models/volunteer.server";
import { byMethod, handle } from "~/utils/api.server";

export const action = byMethod({
  POST: handle(api.editVolunteerActivity, async ({ actor, params, body }) => editActivity(actor!, params.activityId, body)),
});
// Any other method gets 405 in the one vocabulary.
export const loader = action;
