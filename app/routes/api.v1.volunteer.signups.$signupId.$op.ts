import { api } from "~/api/contract";
import { confirmService, leaderCheck } from "~/models/volunteer.server";
import { byMethod, handle } from "~/utils/api.server";

export const action = byMethod({
  POST: handle(api.volunteerSignupOp, async ({ actor, params }) =>
    params.op === "confirm" ? confirmService(actor!, params.signupId) : leaderCheck(actor!, params.signupId, params.op === "check-in" ? "in" : "out"),
  ),
});
// Any other method gets 405 in the one vocabulary.
export const loader = action;
