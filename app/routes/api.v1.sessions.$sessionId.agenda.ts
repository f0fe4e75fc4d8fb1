import { addToAgenda } from "~/models/session.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.addAgendaItem, ({ actor, params, body }) => addToAgenda(actor!, params.sessionId, body));
export const loader = action;
