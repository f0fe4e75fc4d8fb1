// Issue 15: staff hear of a new topic when it is raised (they had to open the list to find it).
import { beforeAll, describe, expect, it } from "vitest";
import { raiseTopic } from "~/models/topic.server";
import { prisma } from "~/utils/db.server";
import { actorOf, demo } from "./fixtures/demo";

let d: Awaited<ReturnType<typeof demo>>;
beforeAll(async () => {
  d = await demo();
});

describe("a new topic", () => {
  it("notifies the community's active staff, not the person who raised it", async () => {
    const resident = await actorOf("resident1");
    const topic = await raiseTopic(resident, d.council.communityId, { title: "单元门禁坏了", description: "", category: "facilities" } as never);
    const staffIds = (
      await prisma.membership.findMany({ where: { communityId: d.council.communityId, role: "communityStaff" }, select: { userId: true } })
    ).map((m) => m.userId);
    expect(staffIds.length).toBeGreaterThan(0);
    const told = await prisma.notification.findMany({ where: { topicId: topic.id, type: "topicRaised" }, select: { userId: true, data: true } });
    expect(told.map((n) => n.userId).sort()).toEqual([...new Set(staffIds)].sort());
    expect(JSON.parse(told[0]!.data)).toEqual({ title: "单元门禁坏了" });
    expect(told.some((n) => n.userId === resident.userId)).toBe(false);
  });
});
