// Topics against a real SQLite database: the state machine, co-signs counted
// exactly once, merges, photos, permissions and who hears about what.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { addToAgenda, publishAgenda, removeFromAgenda } from "~/models/session.server";
import { IllegalMove, TOPIC_MOVES, TOPIC_STATUSES, canMove } from "~/models/topic-states";
import { coSign, getTopic, listTopics, moveTopic, raiseTopic, triageQueue, withdrawCoSign } from "~/models/topic.server";
import { prisma } from "~/utils/db.server";
import { InputRejected } from "~/utils/errors";
import { PermissionDenied, loadActor, type Actor } from "~/utils/permissions.server";
import { UploadRejected, uploadsDir } from "~/utils/uploads.server";
import { actorOf, demo } from "./fixtures/demo";

let communityId: string;
let otherCommunityId: string;
let sessionId: string;
let staff: Actor;
let resident1: Actor;

async function newResidents(n: number, prefix: string): Promise<Actor[]> {
  const actors: Actor[] = [];
  for (let i = 0; i < n; i++) {
    const user = await prisma.user.create({
      data: { username: `${prefix}${i}`, displayName: `居民${prefix}${i}`, passwordHash: "x", memberships: { create: { communityId, role: "resident" } } },
    });
    actors.push((await loadActor(user.id))!);
  }
  return actors;
}

const raise = (actor: Actor, title = "楼下井盖松动有安全隐患", extra: Partial<Parameters<typeof raiseTopic>[2]> = {}) =>
  raiseTopic(actor, communityId, { title, description: `${title}，请尽快处理。`, category: "safety", ...extra });

beforeAll(async () => {
  const d = await demo();
  sessionId = d.session.id;
  communityId = d.council.communityId;
  otherCommunityId = (await prisma.community.findUniqueOrThrow({ where: { slug: "chunhua" } })).id;
  staff = await actorOf("staff");
  resident1 = await actorOf("resident1");
});

describe("the topic state machine", () => {
  it("allows exactly the listed moves and names the allowed ones when refusing", async () => {
    for (const status of TOPIC_STATUSES)
      for (const [move, rule] of Object.entries(TOPIC_MOVES))
        expect(canMove(status, move as keyof typeof TOPIC_MOVES)).toBe((rule.from as readonly string[]).includes(status));
    const topic = await raise(resident1, "路面坑洼需要修补");
    await moveTopic(staff, topic.id, { move: "decline", reason: "属于市政道路，已转12345热线" });
    const error = await moveTopic(staff, topic.id, { move: "accept" }).catch((e) => e);
    expect(error).toBeInstanceOf(IllegalMove);
    expect(error.message).toMatch(/"declined" cannot be moved by "accept"/);
  });

  it("lets only one of two simultaneous moves win", async () => {
    const topic = await raise(resident1, "单元门禁经常失灵");
    const staff2 = await actorOf("secretary");
    const results = await Promise.allSettled([
      moveTopic(staff, topic.id, { move: "accept" }),
      moveTopic(staff2, topic.id, { move: "decline", reason: "重复" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(IllegalMove)]);
    const events = await prisma.topicEvent.findMany({ where: { topicId: topic.id } });
    expect(events.map((e) => e.type).sort()).toEqual(["raised", (await prisma.topic.findUniqueOrThrow({ where: { id: topic.id } })).status].sort());
  });

  it("refers to an organisation of the community with a future deadline; only that organisation answers", async () => {
    const topic = await raise(resident1, "电梯经常停运");
    const property = await prisma.organization.findFirstOrThrow({ where: { communityId, kind: "propertyCompany" } });
    const owners = await prisma.organization.findFirstOrThrow({ where: { communityId, kind: "ownersCommittee" } });
    await expect(moveTopic(staff, topic.id, { move: "refer", organizationId: property.id, dueAt: new Date(Date.now() - 1000) })).rejects.toBeInstanceOf(
      InputRejected,
    );
    await moveTopic(staff, topic.id, { move: "refer", organizationId: property.id, dueAt: new Date(Date.now() + 86_400_000) });
    await expect(moveTopic(await actorOf("yeweihui"), topic.id, { move: "orgAnswer", answer: "我们不是物业" })).rejects.toBeInstanceOf(PermissionDenied);
    expect(owners.id).not.toBe(property.id);
    await moveTopic(await actorOf("wuye"), topic.id, { move: "orgAnswer", answer: "已联系维保单位，周五前更换主板。" });
    const t = await getTopic(resident1, topic.id);
    expect(t.status).toBe("answered");
    expect(t.answer).toMatch(/周五前/);
    expect(t.events.map((e) => e.type)).toEqual(["raised", "referred", "orgAnswered"]);
  });
});

describe("co-signs", () => {
  it("count once per person, may be withdrawn, and never by the raiser, an observer, or on a closed topic", async () => {
    const topic = await raise(resident1, "垃圾桶满溢无人清运");
    const r2 = await actorOf("resident2");
    await coSign(r2, topic.id);
    expect((await coSign(r2, topic.id)).count).toBe(1);
    expect((await withdrawCoSign(r2, topic.id)).count).toBe(0);
    expect((await coSign(r2, topic.id)).count).toBe(1);
    await expect(coSign(resident1, topic.id)).rejects.toBeInstanceOf(PermissionDenied);
    await expect(coSign(await actorOf("observer"), topic.id)).rejects.toBeInstanceOf(PermissionDenied);
    await moveTopic(staff, topic.id, { move: "answer", answer: "已安排每天两次清运。" });
    await expect(coSign(await actorOf("resident3"), topic.id)).rejects.toBeInstanceOf(PermissionDenied);
  });

  it("counts concurrent co-signs exactly once each and marks the topic ready once", async () => {
    await prisma.community.update({ where: { id: communityId }, data: { coSignThreshold: 10 } });
    const topic = await raise(resident1, "小区健身器材损坏");
    const people = await newResidents(30, "burst");
    // Everyone taps twice, at the same moment.
    await Promise.all(people.flatMap((p) => [coSign(p, topic.id), coSign(p, topic.id)]));
    const row = await prisma.topic.findUniqueOrThrow({ where: { id: topic.id } });
    expect(row.coSignCount).toBe(30);
    expect(await prisma.coSign.count({ where: { topicId: topic.id } })).toBe(30);
    expect(row.readyAt).not.toBeNull();
    expect(await prisma.topicEvent.count({ where: { topicId: topic.id, type: "ready" } })).toBe(1);
    expect(await prisma.notification.count({ where: { topicId: topic.id, type: "topicReady", userId: resident1.userId } })).toBe(1);
  });

  it("carry over on merge, once each, and never to the target's own raiser", async () => {
    const [a, b, c] = await newResidents(3, "merge");
    const source = await raise(a!, "3号楼门口路灯坏了");
    const target = await raise(b!, "小区东侧路灯不亮");
    await coSign(b!, source.id); // target's raiser co-signed the source: must not co-sign its own
    await coSign(c!, source.id);
    await coSign(c!, target.id); // already there: must not double
    await coSign(resident1, source.id);
    await moveTopic(staff, source.id, { move: "merge", intoTopicId: target.id });
    const signers = (await prisma.coSign.findMany({ where: { topicId: target.id } })).map((s) => s.userId).sort();
    expect(signers).toEqual([a!.userId, c!.userId, resident1.userId].sort());
    expect((await prisma.topic.findUniqueOrThrow({ where: { id: target.id } })).coSignCount).toBe(3);
    const t = await getTopic(staff, target.id);
    expect(t.events.map((e) => e.type)).toContain("mergedFrom");
    await expect(moveTopic(staff, target.id, { move: "merge", intoTopicId: target.id })).rejects.toBeInstanceOf(InputRejected);
    await expect(moveTopic(staff, target.id, { move: "merge", intoTopicId: source.id })).rejects.toBeInstanceOf(InputRejected);
  });
});

describe("permissions", () => {
  it("a resident cannot triage, and staff of another community can neither see nor touch it", async () => {
    const topic = await raise(resident1, "楼顶防水层破损漏雨");
    await expect(moveTopic(resident1, topic.id, { move: "accept" })).rejects.toBeInstanceOf(PermissionDenied);
    const foreignStaffUser = await prisma.user.create({
      data: {
        username: "chunhua-staff",
        displayName: "外社区工作者",
        passwordHash: "x",
        memberships: { create: { communityId: otherCommunityId, role: "communityStaff" } },
      },
    });
    const foreign = (await loadActor(foreignStaffUser.id))!;
    await expect(getTopic(foreign, topic.id)).rejects.toBeInstanceOf(PermissionDenied);
    await expect(moveTopic(foreign, topic.id, { move: "accept" })).rejects.toBeInstanceOf(PermissionDenied);
    await expect(coSign(foreign, topic.id)).rejects.toBeInstanceOf(PermissionDenied);
    await expect(listTopics(foreign, communityId, { page: 1 })).rejects.toBeInstanceOf(PermissionDenied);
    await expect(triageQueue(resident1, communityId)).rejects.toBeInstanceOf(PermissionDenied);
    await expect(raiseTopic(await actorOf("observer"), communityId, { title: "列席者不能提议题", description: "", category: "other" })).rejects.toBeInstanceOf(
      PermissionDenied,
    );
    await expect(raise(resident1, "代居民提出的议题", { onBehalfOf: "王奶奶" })).rejects.toBeInstanceOf(PermissionDenied);
    expect((await raise(await actorOf("grid1"), "代居民提出的议题", { onBehalfOf: "王奶奶" })).status).toBe("raised");
  });

  it("refuses a place or category of another community", async () => {
    const foreignGrid = await prisma.grid.create({ data: { communityId: otherCommunityId, name: "外网格", code: "X1" } });
    await expect(raise(resident1, "网格不属于本社区", { gridId: foreignGrid.id })).rejects.toMatchObject({ field: "gridId" });
    await expect(raise(resident1, "分类不存在的议题", { category: "nosuch" })).rejects.toMatchObject({ field: "category" });
  });
});

describe("agendas", () => {
  it("scheduling a topic creates its agenda item from the description; taking it off puts it back to accepted", async () => {
    const topic = await raise(resident1, "快递柜占用消防通道");
    await moveTopic(staff, topic.id, { move: "accept" });
    const result = await addToAgenda(staff, sessionId, { topicId: topic.id, timeSlotMin: 10 });
    expect(result).toMatchObject({ status: "scheduled" });
    const item = await prisma.agendaItem.findFirstOrThrow({ where: { topicId: topic.id } });
    expect(item.contentText).toBe("快递柜占用消防通道，请尽快处理。");
    expect(item.timeSlotMin).toBe(10);
    expect(await prisma.yDocument.findUnique({ where: { name: `agenda-item:${item.id}` } })).not.toBeNull();
    await publishAgenda(staff, sessionId);
    expect(await prisma.notification.count({ where: { userId: resident1.userId, type: "agendaPublished" } })).toBe(1);
    expect((await getTopic(resident1, topic.id)).events.map((e) => e.type)).toEqual(["raised", "accepted", "scheduled", "agendaPublished"]);
    await expect(addToAgenda(resident1, sessionId, { title: "居民不能改议程", text: "" })).rejects.toBeInstanceOf(PermissionDenied);
    await removeFromAgenda(staff, sessionId, item.id);
    expect((await prisma.topic.findUniqueOrThrow({ where: { id: topic.id } })).status).toBe("accepted");
    expect(await prisma.agendaItem.count({ where: { topicId: topic.id } })).toBe(0);
  });

  it("tells the raiser and co-signers when their topic moves, but not the one who moved it", async () => {
    const topic = await raise(resident1, "夜间广场舞噪音扰民");
    const r2 = await actorOf("resident2");
    await coSign(r2, topic.id);
    const before = await prisma.notification.count({ where: { topicId: topic.id, type: "topicMoved" } });
    await moveTopic(staff, topic.id, { move: "accept" });
    const after = await prisma.notification.findMany({ where: { topicId: topic.id, type: "topicMoved" } });
    expect(after.length - before).toBe(2);
    expect(after.map((n) => n.userId).sort()).toEqual([resident1.userId, r2.userId].sort());
  });
});

describe("photos", () => {
  it("are checked by content and re-encoded; a bad file saves nothing", async () => {
    const png = await sharp({ create: { width: 2400, height: 1200, channels: 3, background: "#c33" } })
      .png()
      .toBuffer();
    const photo = new File([new Uint8Array(png)], "IMG_0001.jpg", { type: "image/jpeg" });
    const t = await raiseTopic(resident1, communityId, { title: "车棚顶棚破损漏雨", description: "", category: "facilities" }, [photo]);
    const saved = await prisma.topicPhoto.findFirstOrThrow({ where: { topicId: t.id } });
    // Kept at the phone's own limit (2048 px on the longest side), not shrunk further.
    expect(saved.width).toBe(2048);
    expect(saved.height).toBe(1024);
    expect(existsSync(path.join(uploadsDir(), saved.file))).toBe(true);
    expect((await sharp(path.join(uploadsDir(), saved.file)).metadata()).format).toBe("webp");

    const filesBefore = readdirSync(uploadsDir()).length;
    const topicsBefore = await prisma.topic.count();
    const fake = new File([Buffer.from("<?php echo 'hi'; ?>")], "photo.jpg", { type: "image/jpeg" });
    const error = await raiseTopic(resident1, communityId, { title: "带一张假图片的议题", description: "", category: "other" }, [photo, fake]).catch((e) => e);
    expect(error).toBeInstanceOf(UploadRejected);
    expect(error).toMatchObject({ key: "errors.photoNotImage", values: { n: 2 } });
    expect(readdirSync(uploadsDir()).length).toBe(filesBefore);
    expect(await prisma.topic.count()).toBe(topicsBefore);
    const ten = Array.from({ length: 10 }, () => photo);
    await expect(raiseTopic(resident1, communityId, { title: "照片太多的议题", description: "", category: "other" }, ten)).rejects.toMatchObject({
      key: "errors.tooManyPhotos",
    });
  });
});
