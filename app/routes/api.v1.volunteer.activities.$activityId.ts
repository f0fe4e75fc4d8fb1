import { api } from "~/api/contract";
import { activityDetail } from "~/models/volunteer.server";
import { handle } from "~/utils/api.server";

export const loader = handle(api.volunteerActivity, async ({ actor, params }) => activityDetail(actor!, params.activityId));
// Any other method gets 405 in the one vocabulary.
export const action = loader;
