// Joint-handling tasks against a real SQLite database: the pure roll-up and verification
// rules on known response sets, then creation, progress, extensions, verification rounds,
// deadline notices and who may touch what (an organisation never another's task).
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { decideVerification, rollUp, taskSettingsOf } from "~/models/task-rules";
import { IllegalTaskMove } from "~/models/task-states";
import {
  assignOwner,
  createTask,
  decideExtension,
  exportTasksCsv,
  getTask,
  listTasks,
  moveTask,
  myTasks,
  postProgress,
  requestExtension,
  settleTask,
  taskProgress,
  topicTaskEvents,
  updateTaskSettings,
  verifyTask,
} from "~/models/task.server";
import { sendDeadlineReminders } from "~/models/jobs.server";
import { prisma } from "~/utils/db.server";
import { InputRejected } from "~/utils/errors";
import { PermissionDenied, type Actor } from "~/utils/permissions.server";
import { taskCreateSchema, taskProgressSchema, verificationSchema } from "~/utils/task-schemas";
import { actorOf, demo } from "./fixtures/demo";

const DAY = 86_400_000;
const t0 = new Date("2026-12-01T00:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);

describe("roll-up of sub-tasks (weighted)", () => {
  it.each([
    { own: 40, children: [], expected: 40 },
    { own: 0, children: [{ weight: 1, progress: 50, status: "inProgress" }], expected: 50 },
    {
      own: 0,
      children: [
        { weight: 3, progress: 100, status: "inProgress" },
        { weight: 1, progress: 0, status: "pending" },
      ],
      expected: 75,
    },
    {
      own: 10,
      children: [
        { weight: 1, progress: 20, status: "closed" },
        { weight: 1, progress: 0, status: "pending" },
      ],
      expected: 50, // a closed child counts as 100, whatever it last posted
    },
    {
      own: 0,
      children: [
        { weight: 2, progress: 33, status: "inProgress" },
        { weight: 1, progress: 34, status: "inProgress" },
      ],
      expected: 33,
    },
    { own: 60, children: [{ weight: 0, progress: 100, status: "inProgress" }], expected: 60 },
  ])("own $own, children $children → $expected", ({ own, children, expected }) => {
    expect(rollUp(own, children)).toBe(expected);
  });
});

describe("verification rules on known response sets", () => {
  const base = { days: 7, requestedAt: t0, entitled: 5 };
  const r = (verdict: "confirm" | "sendBack", day: number) => ({ verdict, at: at(day) });
  it.each([
    // firstVerifier: the first response decides, whatever follows.
    { rule: "firstVerifier", silence: "accepted", now: 1, responses: [r("confirm", 1)], expected: { outcome: "closed", via: "verified" } },
    { rule: "firstVerifier", silence: "accepted", now: 2, responses: [r("confirm", 2), r("sendBack", 1)], expected: { outcome: "sentBack", via: "verified" } },
    { rule: "firstVerifier", silence: "accepted", now: 3, responses: [], expected: { outcome: "pending" } },
    { rule: "firstVerifier", silence: "accepted", now: 7, responses: [], expected: { outcome: "closed", via: "silence" } },
    { rule: "firstVerifier", silence: "notAccepted", now: 8, responses: [], expected: { outcome: "sentBack", via: "silence" } },
    // majorityWithinDays: a majority of those who respond; early once it cannot change.
    { rule: "majorityWithinDays", silence: "accepted", now: 1, responses: [r("confirm", 1)], expected: { outcome: "pending" } },
    {
      rule: "majorityWithinDays",
      silence: "accepted",
      now: 1,
      responses: [r("confirm", 1), r("confirm", 1), r("confirm", 1)],
      expected: { outcome: "closed", via: "verified" },
    },
    {
      rule: "majorityWithinDays",
      silence: "accepted",
      now: 2,
      responses: [r("sendBack", 1), r("sendBack", 1), r("confirm", 1), r("sendBack", 2)],
      expected: { outcome: "sentBack", via: "verified" },
    },
    {
      rule: "majorityWithinDays",
      silence: "accepted",
      now: 8,
      responses: [r("confirm", 1), r("sendBack", 2), r("confirm", 3)],
      expected: { outcome: "closed", via: "verified" },
    },
    {
      rule: "majorityWithinDays",
      silence: "accepted",
      now: 8,
      responses: [r("confirm", 1), r("sendBack", 2)],
      expected: { outcome: "sentBack", via: "verified" },
    }, // a tie is no majority
    { rule: "majorityWithinDays", silence: "notAccepted", now: 8, responses: [r("confirm", 1)], expected: { outcome: "closed", via: "verified" } }, // one who answered outweighs silence
    { rule: "majorityWithinDays", silence: "accepted", now: 9, responses: [r("sendBack", 8)], expected: { outcome: "closed", via: "silence" } }, // late answers do not count
    { rule: "majorityWithinDays", silence: "notAccepted", now: 7, responses: [], expected: { outcome: "sentBack", via: "silence" } },
    { rule: "majorityWithinDays", silence: "accepted", now: 6, responses: [], expected: { outcome: "pending" } },
  ] as const)("$rule, silence $silence, day $now, $responses.length responses → $expected.outcome", ({ rule, silence, now, responses, expected }) => {
    expect(decideVerification({ ...base, rule, silence, now: at(now), responses })).toEqual(expected);
  });

  it("everyone entitled answered: decided before the window ends", () => {
    expect(
      decideVerification({
        ...base,
        entitled: 3,
        rule: "majorityWithinDays",
        silence: "accepted",
        now: at(1),
        responses: [r("confirm", 1), r("sendBack", 1), r("confirm", 1)],
      }),
    ).toEqual({
      outcome: "closed",
      via: "verified",
    });
  });

  it("reads the community's settings, falling back on anything unreadable", () => {
    expect(
      taskSettingsOf({
        taskVerificationRule: "bogus",
        taskVerificationDays: 0,
        taskSilenceCounts: "x",
        taskResponseDeadlineHours: 24,
        taskSatisfiedRatings: "not json",
      }),
    ).toEqual({ rule: "firstVerifier", days: 7, silence: "accepted", responseDeadlineHours: 24, satisfiedRatings: [4, 5] });
  });
});

describe("bad input is refused by the schemas", () => {
  it.each([-1, 101, 50.5, "abc"])("percent %s", (progress) => {
    const r = taskProgressSchema.safeParse({ progress });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe("errors.percentRange");
  });
  it("a confirmation needs a rating 1–5; a send-back needs a reason", () => {
    expect(verificationSchema.safeParse({ verdict: "confirm", rating: 6 }).error!.issues[0]!.message).toBe("errors.ratingInvalid");
    expect(verificationSchema.safeParse({ verdict: "confirm" }).success).toBe(false);
    expect(verificationSchema.safeParse({ verdict: "sendBack", comment: "" }).error!.issues[0]!.message).toBe("errors.reasonRequired");
    expect(verificationSchema.safeParse({ verdict: "maybe" }).success).toBe(false);
  });
});

let communityId: string;
let staff: Actor, wuye: Actor, yeweihui: Actor, resident1: Actor, resident2: Actor, resident3: Actor, outsider: Actor;
let propertyId: string, ownersId: string, officeId: string;
let dogsTopicId: string;
const future = (days: number) => new Date(Date.now() + days * DAY);

const newTask = (over: Partial<Parameters<typeof taskCreateSchema.parse>[0]> = {}) =>
  createTask(
    staff,
    communityId,
    taskCreateSchema.parse({
      title: "清理5号楼前草坪",
      description: "每天清扫两次，张贴文明养犬提示",
      organizationId: propertyId,
      ownerId: wuye.userId,
      deadline: future(10).toISOString(),
      topicId: dogsTopicId,
      ...over,
    }),
  );

const counts = async () => ({
  tasks: await prisma.task.count(),
  updates: await prisma.taskUpdate.count(),
  events: await prisma.taskEvent.count(),
  verifications: await prisma.taskVerification.count(),
  extensions: await prisma.taskExtension.count(),
});

async function jpeg(): Promise<File> {
  const data = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#3a7" } })
    .jpeg()
    .toBuffer();
  return new File([new Uint8Array(data)], "after.jpg", { type: "image/jpeg" });
}

beforeAll(async () => {
  const d = await demo();
  communityId = d.council.communityId;
  staff = await actorOf("staff");
  wuye = await actorOf("wuye");
  yeweihui = await actorOf("yeweihui");
  resident1 = await actorOf("resident1");
  resident2 = await actorOf("resident2");
  resident3 = await actorOf("resident3");
  outsider = await actorOf("outsider");
  const orgs = await prisma.organization.findMany({ where: { communityId } });
  propertyId = orgs.find((o) => o.kind === "propertyCompany")!.id;
  ownersId = orgs.find((o) => o.kind === "ownersCommittee")!.id;
  officeId = orgs.find((o) => o.kind === "communityOffice")!.id;
  dogsTopicId = (await prisma.topic.findFirstOrThrow({ where: { title: "5号楼前宠物粪便无人清理" } })).id;
});

describe("creating tasks", () => {
  it("staff create a task from a referred topic; the owner hears of it", async () => {
    const task = await newTask();
    const t = await prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(t).toMatchObject({ status: "pending", origin: "referral", topicId: dogsTopicId, organizationId: propertyId, ownerId: wuye.userId });
    expect(await prisma.notification.count({ where: { userId: wuye.userId, taskId: task.id, type: "taskAssigned" } })).toBe(1);
  });

  it("refuses an owner outside the lead organisation, a past deadline, another community's organisation — nothing written", async () => {
    const before = await counts();
    await expect(newTask({ ownerId: yeweihui.userId })).rejects.toMatchObject({ field: "ownerId", key: "errors.ownerNotInOrganization" });
    await expect(newTask({ deadline: new Date(Date.now() - 60_000).toISOString() })).rejects.toMatchObject({ field: "deadline", key: "errors.deadlinePast" });
    const other = await prisma.organization.findFirstOrThrow({ where: { communityId: { not: communityId } } }).catch(() => null);
    if (other) await expect(newTask({ organizationId: other.id, ownerId: undefined })).rejects.toBeInstanceOf(InputRejected);
    await expect(newTask({ coHandlers: [{ organizationId: propertyId, share: "x" }] })).rejects.toMatchObject({ key: "errors.coHandlerDuplicate" });
    await expect(newTask({ milestones: [{ title: "材料到场", dueAt: future(11).toISOString() }] })).rejects.toMatchObject({
      field: "milestones",
      key: "errors.milestoneAfterDeadline",
    });
    expect(await counts()).toEqual(before);
  });

  it("a deactivated member of the lead organisation cannot be named owner", async () => {
    const user = await prisma.user.create({
      data: {
        username: "wuye-left",
        displayName: "离职物业",
        passwordHash: "x",
        memberships: { create: { communityId, role: "propertyCompany", organizationId: propertyId, deactivatedAt: new Date() } },
      },
    });
    await expect(newTask({ ownerId: user.id })).rejects.toMatchObject({ key: "errors.ownerNotInOrganization" });
  });

  it("only staff create tasks directly", async () => {
    await expect(
      createTask(wuye, communityId, taskCreateSchema.parse({ title: "自己派给自己", organizationId: propertyId, deadline: future(3).toISOString() })),
    ).rejects.toBeInstanceOf(PermissionDenied);
    await expect(
      createTask(outsider, communityId, taskCreateSchema.parse({ title: "外人派发", organizationId: propertyId, deadline: future(3).toISOString() })),
    ).rejects.toBeInstanceOf(PermissionDenied);
  });
});

describe("progress, shares and permissions", () => {
  it("the owner posts progress with a photo: the task starts, progress and first response are recorded", async () => {
    const task = await newTask();
    const r = await postProgress(wuye, task.id, { progress: 30, text: "已安排保洁每日清扫", photoKind: "before" }, [await jpeg()]);
    expect(r.progress).toBe(30);
    const t = await prisma.task.findUniqueOrThrow({ where: { id: task.id }, include: { photos: true } });
    expect(t.status).toBe("inProgress");
    expect(t.firstResponseAt).not.toBeNull();
    expect(t.photos).toHaveLength(1);
    expect(t.photos[0]!.kind).toBe("before");
  });

  it("another organisation cannot touch the task (progress, submit, extension, owner) — nothing written", async () => {
    const task = await newTask();
    const before = await counts();
    await expect(postProgress(yeweihui, task.id, { progress: 50, text: "越权", photoKind: "after" })).rejects.toBeInstanceOf(PermissionDenied);
    await expect(moveTask(yeweihui, task.id, "submit")).rejects.toBeInstanceOf(PermissionDenied);
    await expect(requestExtension(yeweihui, task.id, { deadline: future(20), reason: "越权延期" })).rejects.toBeInstanceOf(PermissionDenied);
    await expect(assignOwner(yeweihui, task.id, yeweihui.userId)).rejects.toBeInstanceOf(PermissionDenied);
    await expect(postProgress(resident1, task.id, { progress: 50, text: "居民", photoKind: "after" })).rejects.toBeInstanceOf(PermissionDenied);
    await expect(getTask(outsider, task.id)).rejects.toBeInstanceOf(PermissionDenied);
    expect(await counts()).toEqual(before);
    expect((await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).progress).toBe(0);
  });

  it("a co-handler updates only its share, never the task's own figure", async () => {
    const task = await newTask({ coHandlers: [{ organizationId: ownersId, share: "业委会负责张贴告示" }] });
    await postProgress(yeweihui, task.id, { progress: 80, text: "告示已张贴", photoKind: "after" });
    const t = await prisma.task.findUniqueOrThrow({ where: { id: task.id }, include: { coHandlers: true, updates: true } });
    expect(t.progress).toBe(0);
    expect(t.status).toBe("pending");
    expect(t.coHandlers[0]!.progress).toBe(80);
    expect(t.updates[0]!.coHandlerId).toBe(t.coHandlers[0]!.id);
    // …and may not submit or move the lead's task.
    await expect(moveTask(yeweihui, task.id, "submit")).rejects.toBeInstanceOf(PermissionDenied);
  });

  it("a parent's progress is the weighted roll-up of its sub-tasks, and it cannot be submitted while they are open", async () => {
    const parent = await newTask({ title: "5号楼环境整治" });
    const a = await newTask({ title: "清扫草坪", parentId: parent.id, weight: 3 });
    const b = await newTask({ title: "张贴告示", parentId: parent.id, weight: 1 });
    await postProgress(wuye, a.id, { progress: 100, text: "完成", photoKind: "after" });
    expect(await taskProgress(parent.id)).toBe(75);
    await expect(moveTask(wuye, parent.id, "submit")).rejects.toMatchObject({ key: "errors.subTasksOpen" });
    await moveTask(wuye, b.id, "submit"); // a sub-task closes without residents' verification
    expect((await prisma.task.findUniqueOrThrow({ where: { id: b.id } })).status).toBe("closed");
    expect(await taskProgress(parent.id)).toBe(100);
    await expect(newTask({ title: "孙任务", parentId: a.id })).rejects.toMatchObject({ key: "errors.parentInvalid" });
  });
});

describe("deadline extensions", () => {
  it("the owner asks with a reason, staff approve: the deadline moves and the history stays", async () => {
    const task = await newTask();
    const old = (await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).deadline;
    await expect(requestExtension(wuye, task.id, { deadline: new Date(old.getTime() - DAY), reason: "需要更多时间" })).rejects.toMatchObject({
      key: "errors.extensionNotLater",
    });
    await expect(requestExtension(wuye, task.id, { deadline: new Date(Date.now() - DAY), reason: "需要更多时间" })).rejects.toMatchObject({
      key: "errors.deadlinePast",
    });
    const wanted = new Date(old.getTime() + 5 * DAY);
    const { extensionId } = await requestExtension(wuye, task.id, { deadline: wanted, reason: "需等待配件到货" });
    await expect(requestExtension(wuye, task.id, { deadline: wanted, reason: "再次申请" })).rejects.toMatchObject({ key: "errors.extensionPending" });
    expect(await prisma.notification.count({ where: { userId: staff.userId, taskId: task.id, type: "taskExtensionRequested" } })).toBe(1);
    await expect(decideExtension(wuye, extensionId, { approve: true, note: "" })).rejects.toBeInstanceOf(PermissionDenied);
    await decideExtension(staff, extensionId, { approve: true, note: "同意" });
    expect((await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).deadline).toEqual(wanted);
    await expect(decideExtension(staff, extensionId, { approve: false, note: "" })).rejects.toMatchObject({ key: "errors.extensionDecided" });
    const e = await prisma.taskExtension.findUniqueOrThrow({ where: { id: extensionId } });
    expect(e).toMatchObject({ status: "approved", previousDeadline: old, decidedById: staff.userId });
    expect(await prisma.notification.count({ where: { userId: wuye.userId, taskId: task.id, type: "taskExtensionDecided" } })).toBe(1);
  });

  it("a refused extension leaves the deadline", async () => {
    const task = await newTask();
    const old = (await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).deadline;
    const { extensionId } = await requestExtension(wuye, task.id, { deadline: new Date(old.getTime() + DAY), reason: "人手不足" });
    await decideExtension(staff, extensionId, { approve: false, note: "请按期完成" });
    expect((await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).deadline).toEqual(old);
  });
});

describe("residents' verification", () => {
  it("refuses a rating on a task not awaiting verification — nothing written", async () => {
    const task = await newTask();
    const before = await counts();
    await expect(verifyTask(resident2, task.id, { verdict: "confirm", rating: 5, comment: "" })).rejects.toMatchObject({
      key: "errors.taskNotAwaitingVerification",
    });
    expect(await counts()).toEqual(before);
  });

  it("firstVerifier: the raiser sends it back once (reason to the owner), then confirms the second round", async () => {
    await updateTaskSettings(staff, communityId, { rule: "firstVerifier", days: 7, silence: "accepted", responseDeadlineHours: 48, satisfiedRatings: [4, 5] });
    const task = await newTask();
    await postProgress(wuye, task.id, { progress: 100, text: "已清理完毕", photoKind: "after" });
    await moveTask(wuye, task.id, "submit");
    expect(await prisma.notification.count({ where: { userId: resident2.userId, taskId: task.id, type: "taskVerify" } })).toBe(1);
    // The lead organisation's own people are not asked to verify their work.
    expect(await prisma.notification.count({ where: { userId: wuye.userId, taskId: task.id, type: "taskVerify" } })).toBe(0);
    await expect(verifyTask(wuye, task.id, { verdict: "confirm", rating: 5, comment: "" })).rejects.toBeInstanceOf(PermissionDenied);
    await expect(verifyTask(resident3, task.id, { verdict: "confirm", rating: 5, comment: "" })).rejects.toBeInstanceOf(PermissionDenied);
    expect((await myTasks(resident2)).toVerify.map((t) => t.id)).toContain(task.id);

    await verifyTask(resident2, task.id, { verdict: "sendBack", rating: 2, comment: "草坪上仍有狗粪" });
    let t = await prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(t).toMatchObject({ status: "sentBack", sentBackReason: "草坪上仍有狗粪" });
    expect(await prisma.notification.count({ where: { userId: wuye.userId, taskId: task.id, type: "taskSentBack" } })).toBe(1);
    await expect(verifyTask(resident1, task.id, { verdict: "confirm", rating: 5, comment: "" })).rejects.toMatchObject({
      key: "errors.taskNotAwaitingVerification",
    });

    await postProgress(wuye, task.id, { progress: 100, text: "再次清理并加装提示牌", photoKind: "after" });
    await moveTask(wuye, task.id, "submit");
    await verifyTask(resident2, task.id, { verdict: "confirm", rating: 4, comment: "干净了" });
    t = await prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(t).toMatchObject({ status: "closed", closedVia: "verified", verificationRound: 2 });
    const v = await prisma.taskVerification.findMany({ where: { taskId: task.id }, orderBy: { round: "asc" } });
    expect(v.map((x) => [x.round, x.verdict, x.rating, x.basis])).toEqual([
      [1, "sendBack", 2, "raiser"],
      [2, "confirm", 4, "raiser"],
    ]);
    // The topic's timeline tells the task's whole story.
    const kinds = (await topicTaskEvents(dogsTopicId)).filter((e) => e.data.taskId === task.id).map((e) => e.data.kind);
    expect(kinds).toEqual([
      "created",
      "started",
      "progress",
      "submitted",
      "verification",
      "sentBack",
      "started",
      "progress",
      "submitted",
      "verification",
      "closed",
    ]);
  });

  it("majorityWithinDays: a repeat by the same person changes their row, never double-counts", async () => {
    await updateTaskSettings(staff, communityId, {
      rule: "majorityWithinDays",
      days: 7,
      silence: "accepted",
      responseDeadlineHours: 48,
      satisfiedRatings: [4, 5],
    });
    const task = await newTask();
    await moveTask(wuye, task.id, "submit");
    // Entitled: raiser resident2, co-signer resident1, seated staff, grid1, yeweihui (wuye leads): 5.
    await verifyTask(resident1, task.id, { verdict: "confirm", rating: 5, comment: "" });
    await verifyTask(resident1, task.id, { verdict: "confirm", rating: 3, comment: "改个评价" });
    await verifyTask(resident1, task.id, { verdict: "confirm", rating: 4, comment: "" });
    expect(await prisma.taskVerification.count({ where: { taskId: task.id } })).toBe(1);
    expect((await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("awaitingVerification");
    await verifyTask(resident2, task.id, { verdict: "confirm", rating: 5, comment: "" });
    expect((await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("awaitingVerification");
    await verifyTask(yeweihui, task.id, { verdict: "confirm", rating: 4, comment: "" });
    expect((await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("closed");
    expect((await prisma.taskVerification.findFirstOrThrow({ where: { taskId: task.id, userId: resident1.userId } })).rating).toBe(4);
  });

  it("silence after the window closes or sends back, as configured", async () => {
    for (const silence of ["accepted", "notAccepted"] as const) {
      await updateTaskSettings(staff, communityId, { rule: "majorityWithinDays", days: 3, silence, responseDeadlineHours: 48, satisfiedRatings: [4, 5] });
      const task = await newTask();
      await moveTask(wuye, task.id, "submit");
      expect(await settleTask(task.id, new Date(Date.now() + 2 * DAY))).toBe("pending");
      expect(await settleTask(task.id, new Date(Date.now() + 3 * DAY + 60_000))).toBe(silence === "accepted" ? "closed" : "sentBack");
      const t = await prisma.task.findUniqueOrThrow({ where: { id: task.id } });
      expect(t.status).toBe(silence === "accepted" ? "closed" : "sentBack");
      expect(t.status === "closed" ? t.closedVia : "silence").toBe("silence");
    }
    await updateTaskSettings(staff, communityId, { rule: "firstVerifier", days: 7, silence: "accepted", responseDeadlineHours: 48, satisfiedRatings: [4, 5] });
  });
});

describe("lists, overdue, notices and export", () => {
  it("overdue tasks are listed, and the scheduler's reminders notice each deadline once (jobs.server.ts)", async () => {
    const task = await newTask({ title: "超期的任务" });
    await prisma.task.update({ where: { id: task.id }, data: { deadline: new Date(Date.now() - DAY) } });
    const list = await listTasks(staff, communityId, { status: "overdue", page: 1 });
    expect(list.items.find((i) => i.id === task.id)?.overdue).toBe(true);
    const soon = await newTask({ title: "快到期的任务", deadline: future(2).toISOString() });
    const reminded = async (taskId: string) =>
      (
        await prisma.notification.findMany({
          where: { taskId, type: { in: ["taskDueSoon", "taskOverdue"] } },
          select: { userId: true, type: true, data: true },
        })
      ).map((n) => ({
        userId: n.userId,
        type: n.type,
        reminder: (JSON.parse(n.data) as { reminder: string }).reminder,
      }));
    await sendDeadlineReminders(prisma, new Date());
    // Overdue: escalated to the community's staff; due within 3 days: the owner's side.
    expect(await reminded(task.id)).toContainEqual({ userId: staff.userId, type: "taskOverdue", reminder: "overdueEscalated" });
    expect(await reminded(soon.id)).toEqual([{ userId: wuye.userId, type: "taskDueSoon", reminder: "dueIn3Days" }]);
    const before = (await reminded(task.id)).length;
    await sendDeadlineReminders(prisma, new Date());
    expect((await reminded(task.id)).length).toBe(before);
    expect(await reminded(soon.id)).toHaveLength(1);
  });

  it("filters by organisation and exports CSV with a BOM", async () => {
    const byOwners = await listTasks(staff, communityId, { organizationId: officeId, page: 1 });
    expect(byOwners.items).toEqual([]);
    const csv = await exportTasksCsv(staff, communityId, {});
    expect(csv.startsWith("\uFEFFid,title,status")).toBe(true);
    expect(csv).toContain("清理5号楼前草坪");
    await expect(exportTasksCsv(outsider, communityId, {})).rejects.toBeInstanceOf(PermissionDenied);
  });

  it("a place filter lists everything under the place: a grid's list includes a task that names only a building in it", async () => {
    const building = await prisma.building.findFirstOrThrow({ where: { communityId, gridId: { not: null } }, select: { id: true, gridId: true } });
    const task = await newTask({ title: "只写了楼栋的任务", buildingId: building.id });
    expect((await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).gridId).toBeNull();
    const byGrid = await listTasks(staff, communityId, { place: building.gridId!, page: 1 });
    expect(byGrid.items.map((i) => i.id)).toContain(task.id);
    const otherGrid = await prisma.grid.findFirst({ where: { communityId, id: { not: building.gridId! } }, select: { id: true } });
    if (otherGrid) expect((await listTasks(staff, communityId, { place: otherGrid.id, page: 1 })).items.map((i) => i.id)).not.toContain(task.id);
    await expect(listTasks(staff, communityId, { place: "nope-not-a-place", page: 1 })).rejects.toMatchObject({ field: "place", key: "errors.placeInvalid" });
  });

  it("refuses a move the status does not allow", async () => {
    const task = await newTask();
    await moveTask(wuye, task.id, "submit");
    await expect(moveTask(wuye, task.id, "submit")).rejects.toBeInstanceOf(IllegalTaskMove);
    await expect(postProgress(wuye, task.id, { progress: 10, text: "", photoKind: "after" })).rejects.toMatchObject({ key: "errors.taskNotWorking" });
  });
});
