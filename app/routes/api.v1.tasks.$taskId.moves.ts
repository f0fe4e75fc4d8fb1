import { moveTask } from "~/models/task.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.moveTask, async ({ actor, params, body }) => {
  const r = await moveTask(actor!, params.taskId, body.move);
  return { status: r.status as never };
});
export const loader = action;
