import { api } from "~/api/contract";
import { setScorecardWeights } from "~/models/dashboard.server";
import { handle } from "~/utils/api.server";

export const action = handle(api.scorecardWeights, async ({ actor, params, body }) => setScorecardWeights(actor, params.districtId, body));
export const loader = action;
