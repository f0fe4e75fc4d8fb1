import { communityIdBySlug } from "~/models/community.server";
import { createTask, listTasks } from "~/models/task.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";
import { api } from "~/api/contract";
import { taskSummaryOf } from "~/utils/task-api.server";

export const loader = handle(api.listTasks, async ({ actor, params, query }) => {
  const result = await listTasks(actor!, await communityIdBySlug(params.slug), query);
  return { items: result.items.map(taskSummaryOf), total: result.total, page: result.page, pages: result.pages };
});

export const action = byMethod({
  POST: handle(
    api.createTask,
    async ({ actor, params, body }) => {
      const task = await createTask(actor!, await communityIdBySlug(params.slug), body);
      return { id: task.id, title: task.title, status: task.status as never };
    },
    mayInCommunity("community:view"),
  ),
});
