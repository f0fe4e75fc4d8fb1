import { api } from "~/api/contract";
import { cancelActivity } from "~/models/volunteer.server";
import { byMethod, handle } from "~/utils/api.server";

export const action = byMethod({
  POST: handle(api.cancelVolunteerActivity, async ({ actor, params, body }) => cancelActivity(actor!, params.activityId, body.reason)),
});
// Any other method gets 405 in the one vocabulary.
export const loader = action;
