// In-app notifications: rows per person, and a live unread count pushed to the
// person's own Socket.IO room (user:<id>) on every new one.
import { prisma } from "~/utils/db.server";
import { publish, socketRooms } from "~/utils/realtime.server";

import type { NotificationType } from "~/utils/domain";

export type { NotificationType };

export async function notify(
  userIds: Iterable<string>,
  type: NotificationType,
  refs: { topicId?: string; sessionId?: string; taskId?: string },
  data: Record<string, unknown> = {},
): Promise<void> {
  const to = [...new Set(userIds)];
  if (to.length === 0) return;
  await prisma.notification.createMany({
    data: to.map((userId) => ({ userId, type, topicId: refs.topicId, sessionId: refs.sessionId, taskId: refs.taskId, data: JSON.stringify(data) })),
  });
  // Everyone's unread count in one statement: a council of a thousand is one query, not a thousand.
  const unread = await prisma.notification.groupBy({ by: ["userId"], where: { userId: { in: to }, readAt: null }, _count: { _all: true } });
  for (const row of unread) publish(socketRooms.user(row.userId), "notification:unread", { unread: row._count._all });
}

export function unreadCount(userId: string): Promise<number> {
  return prisma.notification.count({ where: { userId, readAt: null } });
}

export async function listNotifications(userId: string, page = 1, pageSize = 30) {
  const [items, total] = await Promise.all([
    prisma.notification.findMany({
      where: { userId },
      orderBy: { createdAt: "desc" },
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true,
        type: true,
        data: true,
        readAt: true,
        createdAt: true,
        taskId: true,
        topic: { select: { id: true, title: true, status: true } },
        session: { select: { id: true, title: true } },
      },
    }),
    prisma.notification.count({ where: { userId } }),
  ]);
  return { items: items.map((n) => ({ ...n, data: JSON.parse(n.data) as Record<string, unknown> })), total, page, pageSize };
}

export async function markRead(userId: string, ids: string[] | "all"): Promise<number> {
  const where = ids === "all" ? { userId, readAt: null } : { userId, id: { in: ids }, readAt: null };
  const { count } = await prisma.notification.updateMany({ where, data: { readAt: new Date() } });
  publish(socketRooms.user(userId), "notification:unread", { unread: await unreadCount(userId) });
  return count;
}
