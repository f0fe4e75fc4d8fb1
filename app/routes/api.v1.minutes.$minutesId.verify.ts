import { verifyMinutes } from "~/models/minutes.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.minutesVerify, ({ actor, params, query }) => verifyMinutes(actor!, params.minutesId, query.hash));
export const action = loader;
