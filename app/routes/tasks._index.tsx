// 我的任务: what I own, what my organisation leads or co-handles, and what waits for my verification.
import { pageMeta } from "~/utils/page-meta";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TaskList } from "~/components/task-ui";
import { myTasks } from "~/models/task.server";
import { requireActor } from "~/utils/permissions.server";

export const meta: MetaFunction = (args) => pageMeta(args, "tasks.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return myTasks(actor);
}

const SECTIONS = ["toVerify", "owned", "organization", "coHandling"] as const;

export default function MyTasks() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="tasks-page">
      <h1>{t("tasks.mine")}</h1>
      {SECTIONS.map((s) =>
        data[s].length > 0 || s === "owned" ? (
          <section key={s} aria-labelledby={`tasks-${s}`} data-testid={`tasks-${s}`}>
            <h2 id={`tasks-${s}`}>
              {t(`tasks.sections.${s}`)} <span className="muted">({data[s].length})</span>
            </h2>
            <TaskList items={data[s]} />
          </section>
        ) : null,
      )}
    </div>
  );
}
