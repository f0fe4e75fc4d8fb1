import { listObjections, raiseObjection } from "~/models/minutes.server";
import { byMethod, handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.objections, ({ actor, params }) => listObjections(actor!, params.minutesId));
export const action = byMethod({ POST: handle(api.objectionRaise, ({ actor, params, body }) => raiseObjection(actor!, params.minutesId, body)) });
