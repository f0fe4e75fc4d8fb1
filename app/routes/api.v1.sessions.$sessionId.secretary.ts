import { assignSecretary } from "~/models/session-secretary.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.assignSecretary, ({ actor, params, body }) => assignSecretary(actor!, params.sessionId, body.secretaryId));
export const loader = action;
