import { api } from "~/api/contract";
import { redemptionCodeStatus } from "~/models/volunteer.server";
import { handle } from "~/utils/api.server";

export const loader = handle(api.redemptionCodeStatus, async ({ actor, params }) => redemptionCodeStatus(actor!, params.code));
// Any other method gets 405 in the one vocabulary.
export const action = loader;
