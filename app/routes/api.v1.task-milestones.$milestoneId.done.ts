import { completeMilestone } from "~/models/task.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.completeMilestone, async ({ actor, params }) => {
  await completeMilestone(actor!, params.milestoneId);
  return { ok: true as const };
});
export const loader = action;
