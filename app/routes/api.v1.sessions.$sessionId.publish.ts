import { publishAgenda } from "~/models/session.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.publishAgenda, ({ actor, params }) => publishAgenda(actor!, params.sessionId));
export const loader = action;
