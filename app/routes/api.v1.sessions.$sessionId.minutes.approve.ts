import { approveMinutes } from "~/models/minutes.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.minutesApprove, ({ actor, params }) => approveMinutes(actor!, params.sessionId));
export const loader = action;
