// The notification centre: what moved on the person's topics and sessions.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Age, notificationText, Pager, type NotificationItem } from "~/components/topic-ui";
import { listNotifications, markRead } from "~/models/notification.server";
import { prisma } from "~/utils/db.server";
import { requireActor } from "~/utils/permissions.server";
import { idSchema } from "~/utils/schemas";
import { formOf } from "~/utils/forms.server";
import { refuse } from "~/utils/refusal.server";

export const meta: MetaFunction = (args) => pageMeta(args, "notifications.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const page = Math.min(10_000, Math.max(1, Number(new URL(request.url).searchParams.get("page")) || 1));
  const list = await listNotifications(actor.userId, page);
  return { list, pages: Math.max(1, Math.ceil(list.total / list.pageSize)), now: Date.now() };
}

/** Where a notification leads: its topic, else its session. */
function target(n: { topicId: string | null; sessionId: string | null; taskId?: string | null; data?: string }): string {
  // A volunteer activity's notice carries its page (written by the server, checked to stay on this site).
  const href = (() => {
    try {
      return (JSON.parse(n.data ?? "{}") as { href?: unknown }).href;
    } catch {
      return undefined;
    }
  })();
  if (typeof href === "string" && /^\/c\/[a-z0-9-]+\/volunteer\/activities\/[A-Za-z0-9_-]+$/.test(href)) return href;
  if (n.taskId) return `/tasks/${n.taskId}`;
  if (n.topicId) return `/topics/${n.topicId}`;
  if (n.sessionId) return `/sessions/${n.sessionId}`;
  return "/notifications";
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await formOf(request);
  const intent = form.get("intent");
  if (intent === "readAll") {
    await markRead(actor.userId, "all");
    return { ok: true };
  }
  const id = idSchema.safeParse(form.get("id"));
  if (!id.success) return refuse(request, 400, "errors.idInvalid", "id");
  // Only the person's own notifications: markRead and this lookup both filter by userId.
  await markRead(actor.userId, [id.data]);
  if (intent === "open") {
    const n = await prisma.notification.findFirst({
      where: { id: id.data, userId: actor.userId },
      select: { topicId: true, sessionId: true, taskId: true, data: true },
    });
    if (!n) return refuse(request, 404, "errors.notFound");
    throw redirect(target(n));
  }
  return { ok: true };
}

function useMessage() {
  const { t } = useTranslation();
  return (n: NotificationItem): string => notificationText(t, n);
}

export default function Notifications() {
  const { list, pages, now } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const navigation = useNavigation();
  const location = useLocation();
  const message = useMessage();
  const unread = list.items.some((n) => !n.readAt);
  return (
    <div>
      <h1>{t("notifications.title")}</h1>
      {unread ? (
        <Form method="post" preventScrollReset>
          <input type="hidden" name="intent" value="readAll" />
          <button className="btn secondary block" type="submit" disabled={navigation.state !== "idle"}>
            {t("notifications.markAll")}
          </button>
        </Form>
      ) : null}
      {list.items.length === 0 ? (
        <p className="card muted">{t("notifications.empty")}</p>
      ) : (
        <ul className="list card notifications">
          {list.items.map((n) => (
            <li key={n.id} className={n.readAt ? "read" : "unread"} data-testid="notification" data-unread={n.readAt ? undefined : "true"}>
              <Form method="post" className="notification-open">
                <input type="hidden" name="intent" value="open" />
                <input type="hidden" name="id" value={n.id} />
                <button type="submit" className="item-link as-link">
                  <span className="title">
                    {!n.readAt ? <span className="dot" role="img" aria-label={t("notifications.unread")} /> : null}
                    {message(n)}
                  </span>
                  <span className="muted">
                    <Age date={n.createdAt} now={now} />
                  </span>
                </button>
              </Form>
              {!n.readAt ? (
                <Form method="post" preventScrollReset className="notification-read">
                  <input type="hidden" name="intent" value="read" />
                  <input type="hidden" name="id" value={n.id} />
                  <button type="submit" className="btn secondary small">
                    {t("notifications.markRead")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <Pager page={list.page} pages={pages} search={location.search} />
    </div>
  );
}
