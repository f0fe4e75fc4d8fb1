import { rotatingCheckInLink } from "~/models/check-in-link.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.checkInLink, ({ actor, params, request }) => rotatingCheckInLink(actor!, params.sessionId, new URL(request.url).origin));
export const action = loader;
