import { communityIdBySlug } from "~/models/community.server";
import { exportTasksCsv } from "~/models/task.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.exportTasks, async ({ actor, params, query }) => {
  const csv = await exportTasksCsv(actor!, await communityIdBySlug(params.slug), query);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="tasks-${params.slug}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
});
export const action = loader;
