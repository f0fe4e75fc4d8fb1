import { correctMinutes } from "~/models/minutes.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.minutesCorrect, ({ actor, params, body }) => correctMinutes(actor!, params.sessionId, body));
export const loader = action;
