import { api } from "~/api/contract";
import { scanCheckIn } from "~/models/volunteer.server";
import { byMethod, handle } from "~/utils/api.server";

export const action = byMethod({
  POST: handle(api.volunteerScanCheckIn, async ({ actor, params, body }) => scanCheckIn(actor!, params.activityId, body.token)),
});
// Any other method gets 405 in the one vocabulary.
export const loader = action;
