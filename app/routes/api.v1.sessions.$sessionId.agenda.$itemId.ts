import { removeFromAgenda } from "~/models/session.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.removeAgendaItem, ({ actor, params }) => removeFromAgenda(actor!, params.sessionId, params.itemId));
export const loader = action;
