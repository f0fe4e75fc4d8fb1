import { api } from "~/api/contract";
import { activityCheckInQr } from "~/models/volunteer.server";
import { handle } from "~/utils/api.server";

export const loader = handle(api.volunteerCheckInQr, async ({ actor, params, request }) => {
  const qr = await activityCheckInQr(actor!, params.activityId, new URL(request.url).origin);
  return Response.json(qr, { headers: { "Cache-Control": "no-store" } });
});
// Any other method gets 405 in the one vocabulary.
export const action = loader;
