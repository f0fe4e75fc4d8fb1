import { getMinutes } from "~/models/minutes.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.minutes, ({ actor, params }) => getMinutes(actor!, params.sessionId));
export const action = loader;
