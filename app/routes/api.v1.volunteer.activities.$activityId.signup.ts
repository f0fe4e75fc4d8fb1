import { api } from "~/api/contract";
import { cancelSignUp, signUp } from "~/models/volunteer.server";
import { byMethod, handle } from "~/utils/api.server";

export const action = byMethod({
  POST: handle(api.volunteerSignUp, async ({ actor, params }) => signUp(actor!, params.activityId)),
  DELETE: handle(api.volunteerCancel, async ({ actor, params }) => cancelSignUp(actor!, params.activityId)),
});
// Any other method gets 405 in the one vocabulary.
export const loader = action;
