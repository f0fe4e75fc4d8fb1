import { viewLiveState } from "~/models/live-state.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.liveState, ({ actor, params }) => viewLiveState(actor!, params.sessionId));
export const action = loader;
