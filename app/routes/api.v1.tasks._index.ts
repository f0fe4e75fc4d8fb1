import { myTasks } from "~/models/task.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";
import { taskSummaryOf } from "~/utils/task-api.server";

export const loader = handle(api.myTasks, async ({ actor }) => {
  const mine = await myTasks(actor!);
  return {
    owned: mine.owned.map(taskSummaryOf),
    coHandling: mine.coHandling.map(taskSummaryOf),
    organization: mine.organization.map(taskSummaryOf),
    toVerify: mine.toVerify.map(taskSummaryOf),
  };
});
export const action = loader;
