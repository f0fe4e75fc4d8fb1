import { reorderAgenda } from "~/models/session.server";
import { handle, mayOnSession } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(
  api.reorderAgenda,
  async ({ actor, params, body }) => {
    await reorderAgenda(actor!, params.sessionId, body.itemIds);
    return { ok: true as const };
  },
  mayOnSession("session:editAgenda"),
);
export const loader = action;
