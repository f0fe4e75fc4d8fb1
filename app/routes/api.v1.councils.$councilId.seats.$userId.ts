import { unseatMember } from "~/models/council.server";
import { byMethod, handle, mayOnCouncil } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = byMethod({
  DELETE: handle(api.unseat, async ({ actor, params }) => unseatMember(actor!, params.councilId, params.userId), mayOnCouncil("council:seat")),
});
export const loader = action;
