// The site's scheduled jobs, run by the one scheduler (scheduler.server.ts), started with the
// runtime (server/runtime.ts). What each does when the site was down (catch-up) is decided per
// job below; none of them can do its work twice, because each leaves a mark in the database
// (a sent-marker, a settled task, a snapshot row) inside the same transaction as the work.
import type { PrismaClient } from "~/generated/prisma/client";
import { ACTIVE_MEMBERSHIP } from "~/utils/permissions.server";
import { publish, socketRooms } from "~/utils/realtime.server";
import { beijingDay } from "./metrics";
import { rollUpMonths } from "./metrics.server";
import { expireDuePoints } from "./ledger.server";
import { Scheduler, dailyAtBeijing, every, type JobDefinition } from "./scheduler.server";
import { settleVerifications } from "./task.server";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Statuses in which the owner's side still owes the work (task-states.ts WORKING_STATUSES). */
const WORKING = ["pending", "inProgress", "sentBack"];

/** Reminder kinds; each is sent at most once per task and deadline (an extended deadline is reminded afresh). */
export const REMINDER_KINDS = ["dueIn3Days", "dueToday", "overdueEscalated"] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/**
 * Which reminder a working task is owed at `now`, by its deadline: three days before (not on the
 * day itself), on the (Beijing) day, or after it (escalated to the community's staff). Only the
 * one that fits now: a site that was down through a task's "3 days before" sends "on the day".
 */
export function reminderDue(deadline: Date, now: Date): ReminderKind | null {
  if (now.getTime() >= deadline.getTime()) return "overdueEscalated";
  if (beijingDay(now) === beijingDay(deadline)) return "dueToday";
  if (deadline.getTime() - now.getTime() <= 3 * DAY) return "dueIn3Days";
  return null;
}

const markerOf = (kind: ReminderKind, deadline: Date) => `${kind}@${deadline.toISOString()}`;

/**
 * Deadline reminders to the task's owner (else the lead organisation's members) and overdue
 * escalations to the community's staff. The sent-marker (ReminderSent, keyed by task and kind)
 * and the notifications are written in one transaction: a second process, or a rerun after a
 * crash, finds the marker and sends nothing; a failed write leaves neither.
 */
export async function sendDeadlineReminders(db: PrismaClient, now: Date): Promise<{ sent: number; notified: number }> {
  const tasks = await db.task.findMany({
    where: { status: { in: WORKING }, deadline: { lte: new Date(now.getTime() + 3 * DAY) } },
    select: { id: true, title: true, deadline: true, communityId: true, organizationId: true, ownerId: true, topicId: true },
  });
  if (tasks.length === 0) return { sent: 0, notified: 0 };
  const markers = new Set(
    (await db.reminderSent.findMany({ where: { taskId: { in: tasks.map((t) => t.id) } }, select: { taskId: true, kind: true } })).map(
      (m) => `${m.taskId} ${m.kind}`,
    ),
  );
  let sent = 0;
  const notifiedUsers = new Set<string>();
  for (const t of tasks) {
    const kind = reminderDue(t.deadline, now);
    if (!kind) continue;
    const marker = markerOf(kind, t.deadline);
    if (markers.has(`${t.id} ${marker}`)) continue;
    const to =
      kind === "overdueEscalated"
        ? await db.membership.findMany({ where: { communityId: t.communityId, role: "communityStaff", ...ACTIVE_MEMBERSHIP }, select: { userId: true } })
        : t.ownerId
          ? [{ userId: t.ownerId }]
          : await db.membership.findMany({
              where: { communityId: t.communityId, organizationId: t.organizationId, ...ACTIVE_MEMBERSHIP },
              select: { userId: true },
            });
    const userIds = [...new Set(to.map((m) => m.userId))];
    const type = kind === "overdueEscalated" ? "taskOverdue" : "taskDueSoon";
    const data = JSON.stringify({ title: t.title, deadline: t.deadline.toISOString(), reminder: kind });
    try {
      await db.$transaction([
        db.reminderSent.create({ data: { taskId: t.id, kind: marker, sentAt: now } }),
        db.notification.createMany({ data: userIds.map((userId) => ({ userId, type, taskId: t.id, topicId: t.topicId, data, createdAt: now })) }),
      ]);
    } catch (error) {
      // Another process sent this one first: its marker is there, nothing of ours was written.
      if ((error as { code?: string }).code === "P2002") continue;
      throw error;
    }
    sent++;
    for (const u of userIds) notifiedUsers.add(u);
  }
  // The live badges, in one count for everyone told.
  if (notifiedUsers.size > 0) {
    const unread = await db.notification.groupBy({ by: ["userId"], where: { userId: { in: [...notifiedUsers] }, readAt: null }, _count: { _all: true } });
    for (const row of unread) publish(socketRooms.user(row.userId), "notification:unread", { unread: row._count._all });
  }
  return { sent, notified: notifiedUsers.size };
}

/** The sent-marker kind of a notice period's end; ReminderSent.taskId then holds the minutes version's id. */
export const NOTICE_ENDED = "noticeEnded";

/**
 * 公示期结束: for each published minutes version whose notice period is over (objections are
 * taken while now <= noticeTo, so it ends strictly after), tells the community's staff once,
 * with how many objections are still unanswered. The sent-marker (ReminderSent, keyed by the
 * version and NOTICE_ENDED) is written with the notifications in one transaction, as for the
 * deadline reminders: a rerun or a second process sends nothing twice.
 */
export async function sendNoticeEndings(db: PrismaClient, now: Date): Promise<{ ended: number; notified: number }> {
  const versions = await db.minutesVersion.findMany({
    where: { noticeTo: { lt: now } },
    select: { id: true },
  });
  if (versions.length === 0) return { ended: 0, notified: 0 };
  const handled = new Set(
    (await db.reminderSent.findMany({ where: { kind: NOTICE_ENDED, taskId: { in: versions.map((v) => v.id) } }, select: { taskId: true } })).map(
      (m) => m.taskId,
    ),
  );
  const due = versions.filter((v) => !handled.has(v.id)).map((v) => v.id);
  if (due.length === 0) return { ended: 0, notified: 0 };
  const rows = await db.minutesVersion.findMany({
    where: { id: { in: due } },
    select: {
      id: true,
      version: true,
      noticeTo: true,
      minutes: { select: { sessionId: true, session: { select: { title: true, council: { select: { communityId: true } } } } } },
      _count: { select: { objections: { where: { answeredAt: null } } } },
    },
  });
  let ended = 0;
  const notifiedUsers = new Set<string>();
  for (const v of rows) {
    const staff = await db.membership.findMany({
      where: { communityId: v.minutes.session.council.communityId, role: "communityStaff", ...ACTIVE_MEMBERSHIP },
      select: { userId: true },
    });
    const userIds = [...new Set(staff.map((m) => m.userId))];
    const data = JSON.stringify({
      title: v.minutes.session.title,
      version: v.version,
      noticeTo: v.noticeTo.toISOString(),
      unanswered: v._count.objections,
    });
    try {
      await db.$transaction([
        db.reminderSent.create({ data: { taskId: v.id, kind: NOTICE_ENDED, sentAt: now } }),
        db.notification.createMany({
          data: userIds.map((userId) => ({ userId, type: "minutesNoticeEnded", sessionId: v.minutes.sessionId, data, createdAt: now })),
        }),
      ]);
    } catch (error) {
      // Another process handled this version first: its marker is there, nothing of ours was written.
      if ((error as { code?: string }).code === "P2002") continue;
      throw error;
    }
    ended++;
    for (const u of userIds) notifiedUsers.add(u);
  }
  if (notifiedUsers.size > 0) {
    const unread = await db.notification.groupBy({ by: ["userId"], where: { userId: { in: [...notifiedUsers] }, readAt: null }, _count: { _all: true } });
    for (const row of unread) publish(socketRooms.user(row.userId), "notification:unread", { unread: row._count._all });
  }
  return { ended, notified: notifiedUsers.size };
}

/**
 * Each job, its schedule and what a late start does. The scheduler moves a job's next due time
 * from when it actually ran, so after downtime every job runs ONCE at start:
 * - deadlineReminders (hourly): the one run looks at every working task, so whatever fell due
 *   while the site was down is sent then, once, and only the reminder that fits now (a task
 *   whose "3 days before" passed during the downtime gets "on the day" or the escalation).
 * - verificationWindows (hourly): settles every task awaiting verification whose window has
 *   ended by the community's rule, silence included (the tasks model's settleVerifications, a
 *   compare-and-set per task): after downtime the one run settles every window that closed
 *   meanwhile, each task once, as of the time of the run.
 * - noticePeriods (hourly): every published minutes version whose notice period ended and
 *   has no marker is announced to its community's staff, so after downtime the one run tells
 *   each ending once, with the unanswered objections counted at the time of the run.
 * - metricRollup (daily, 02:00 Beijing): counts every settled month of every community that has
 *   no roll-up or a stale one, and moves each open month's month-to-date rows on to its latest
 *   settled day (metrics.server.ts ensureRollups), so one late run fills every gap.
 */
export function siteJobs(): JobDefinition[] {
  return [
    {
      name: "deadlineReminders",
      nextDue: every(HOUR),
      async run({ db, now }) {
        const { sent, notified } = await sendDeadlineReminders(db, now);
        return { key: "deadlineReminders", values: { sent, notified } };
      },
    },
    {
      name: "verificationWindows",
      nextDue: every(HOUR),
      async run({ now }) {
        return { key: "verificationWindows", values: { settled: await settleVerifications(now) } };
      },
    },
    {
      name: "noticePeriods",
      nextDue: every(HOUR),
      async run({ db, now }) {
        const { ended, notified } = await sendNoticeEndings(db, now);
        return { key: "noticePeriods", values: { ended, notified } };
      },
    },
    {
      // 志愿积分过期 (issue 18): expiry entries for points past the community's expiry, first in first out.
      name: "volunteerPointsExpiry",
      nextDue: dailyAtBeijing(3),
      async run({ now }) {
        return `${await expireDuePoints(now)} points expired`;
      },
    },
    {
      name: "metricRollup",
      nextDue: dailyAtBeijing(2),
      leaseMs: 30 * 60_000,
      async run({ now }) {
        return { key: "metricRollup", values: { months: await rollUpMonths(now) } };
      },
    },
  ];
}

export function startScheduler(db: PrismaClient): Scheduler {
  const scheduler = new Scheduler({ db, jobs: siteJobs() });
  scheduler.start();
  return scheduler;
}
