import { assignOwner } from "~/models/task.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.assignOwner, async ({ actor, params, body }) => {
  await assignOwner(actor!, params.taskId, body.ownerId);
  return { ok: true as const };
});
export const loader = action;
