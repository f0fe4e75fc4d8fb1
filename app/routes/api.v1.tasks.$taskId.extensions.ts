import { requestExtension } from "~/models/task.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.requestExtension, ({ actor, params, body }) => requestExtension(actor!, params.taskId, body));
export const loader = action;
