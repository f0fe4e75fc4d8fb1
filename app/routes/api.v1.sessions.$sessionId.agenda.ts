import { addToAgenda } from "~/models/session.server";
import { handle, mayOnSession } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.addAgendaItem, ({ actor, params, body }) => addToAgenda(actor!, params.sessionId, body), mayOnSession("session:editAgenda"));
export const loader = action;
