import { verifyTask } from "~/models/task.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.verifyTask, async ({ actor, params, body }) => {
  const r = await verifyTask(actor!, params.taskId, body);
  return { status: r.status as never };
});
export const loader = action;
