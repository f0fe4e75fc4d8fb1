import { decideExtension } from "~/models/task.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.decideExtension, async ({ actor, params, body }) => {
  await decideExtension(actor!, params.extensionId, body);
  return { ok: true as const };
});
export const loader = action;
