// What the task endpoints share: the summary shape of the API, and a guard that refuses
// before a (photo) body is read unless the caller may work on the task.
import { NotFound, PermissionDenied, can, loadTaskResource, requirePermission, type Actor } from "./permissions.server";

type Row = {
  id: string;
  title: string;
  status: string;
  overdue: boolean;
  deadline: Date;
  progress: number;
  organization: { id: string; name: string };
  owner: { id: string; displayName: string } | null;
  grid: { name: string } | null;
  building: { name: string } | null;
  unit: { name: string } | null;
  topic: { id: string } | null;
  parentId: string | null;
  subTasks: number;
};

export function taskSummaryOf(t: Row) {
  return {
    id: t.id,
    title: t.title,
    status: t.status as never,
    overdue: t.overdue,
    deadline: t.deadline.toISOString(),
    progress: t.progress,
    organization: t.organization,
    owner: t.owner,
    place: [t.grid?.name, t.building?.name, t.unit?.name].filter(Boolean).join(" · "),
    topicId: t.topic?.id ?? null,
    parentId: t.parentId,
    subTasks: t.subTasks,
  };
}

/** For endpoints under /tasks/{taskId} that take uploads: 404 without the task, 403 unless the caller works on it (lead or co-handler). */
export function mayOnTask() {
  return async ({ actor, params }: { actor: Actor | null; params: { taskId: string } }) => {
    const task = await loadTaskResource(params.taskId);
    if (!task) throw new NotFound("task");
    requirePermission(actor, "task:view", task);
    if (!can(actor, "task:work", task) && !can(actor, "task:workShare", task)) throw new PermissionDenied("task:work");
  };
}
