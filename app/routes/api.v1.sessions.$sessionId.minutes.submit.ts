import { submitForReview } from "~/models/minutes.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.minutesSubmit, ({ actor, params, body }) => submitForReview(actor!, params.sessionId, body));
export const loader = action;
