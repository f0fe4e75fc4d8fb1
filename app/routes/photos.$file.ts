// A topic's or a task's photo, only for signed-in members of its community.
import { readFile } from "node:fs/promises";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "~/utils/db.server";
import { orHttpError } from "~/utils/http.server";
import { NotFound, loadTaskResource, requireActor, requirePermission } from "~/utils/permissions.server";
import { photoPath } from "~/utils/uploads.server";
import { refuse } from "~/utils/refusal.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const file = params.file ?? "";
  const path = photoPath(file);
  if (!path) return refuse(request, 404, "errors.notFound");
  const body = await orHttpError(async () => {
    const photo = await prisma.topicPhoto.findFirst({
      where: { file },
      select: { topic: { select: { id: true, communityId: true, raisedById: true, referredOrgId: true, status: true } } },
    });
    if (!photo) {
      // A task's progress photo (before/after): for the task's community, like the task itself.
      const taskPhoto = await prisma.taskPhoto.findFirst({ where: { file }, select: { taskId: true } });
      const task = taskPhoto ? await loadTaskResource(taskPhoto.taskId) : null;
      if (!task) throw new NotFound("photo");
      requirePermission(actor, "task:view", task);
      return readFile(path).catch(() => {
        throw new NotFound("photo file");
      });
    }
    const t = photo.topic;
    requirePermission(actor, "topic:view", {
      type: "topic",
      topicId: t.id,
      communityId: t.communityId,
      raisedById: t.raisedById,
      referredOrgId: t.referredOrgId,
      status: t.status,
    });
    return readFile(path).catch(() => {
      throw new NotFound("photo file");
    });
  });
  return new Response(body, {
    headers: {
      "Content-Type": "image/webp",
      "Content-Length": String(body.length),
      // The name is random and the bytes never change; only this person's browser may keep it.
      "Cache-Control": "private, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      "Content-Disposition": "inline",
    },
  });
}
