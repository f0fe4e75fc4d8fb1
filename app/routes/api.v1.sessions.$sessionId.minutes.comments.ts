import { commentOnMinutes } from "~/models/minutes.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.minutesComment, ({ actor, params, body }) => commentOnMinutes(actor!, params.sessionId, body));
export const loader = action;
