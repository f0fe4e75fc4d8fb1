import { markRead, unreadCount } from "~/models/notification.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.readNotifications, async ({ actor, body }) => {
  const marked = await markRead(actor!.userId, body.ids);
  return { marked, unread: await unreadCount(actor!.userId) };
});
export const loader = action;
