import { postProgress } from "~/models/task.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";
import { mayOnTask } from "~/utils/task-api.server";

export const action = handle(api.postProgress, ({ actor, params, body, files }) => postProgress(actor!, params.taskId, body, files), mayOnTask());
export const loader = action;
