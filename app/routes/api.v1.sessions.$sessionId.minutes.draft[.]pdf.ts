import { draftPdf } from "~/models/minutes/exports.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.minutesDraftPdf, ({ actor, params, request }) => draftPdf(actor!, params.sessionId, new URL(request.url).origin));
export const action = loader;
