import { listNotifications, unreadCount } from "~/models/notification.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.notifications, async ({ actor, query }) => {
  const [list, unread] = await Promise.all([listNotifications(actor!.userId, query.page), unreadCount(actor!.userId)]);
  return {
    unread,
    items: list.items.map((n) => ({
      id: n.id,
      type: n.type,
      read: n.readAt !== null,
      createdAt: n.createdAt.toISOString(),
      topicId: n.topic?.id ?? null,
      sessionId: n.session?.id ?? null,
      data: n.data,
    })),
  };
});
export const action = loader;
