import { listSeats, seatMember } from "~/models/council.server";
import { byMethod, handle, mayOnCouncil } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.seats, async ({ actor, params }) => listSeats(actor!, params.councilId), mayOnCouncil("community:view"));
export const action = byMethod({
  POST: handle(api.seat, async ({ actor, params, body }) => seatMember(actor!, params.councilId, body), mayOnCouncil("council:seat")),
});
