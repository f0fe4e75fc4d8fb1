import { publishMinutes } from "~/models/minutes.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.minutesPublish, ({ actor, params, body }) => publishMinutes(actor!, params.sessionId, body));
export const loader = action;
