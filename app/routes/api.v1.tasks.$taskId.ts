import { getTask } from "~/models/task.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.getTask, async ({ actor, params }) => {
  const t = await getTask(actor!, params.taskId);
  return {
    ...t,
    photos: t.photos.map((p) => ({ ...p, url: `/photos/${p.file}` })),
  };
});
export const action = loader;
