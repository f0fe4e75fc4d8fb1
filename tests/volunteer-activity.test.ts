// Cancelling and editing a volunteer activity (issue 18) against a real database: who may (its
// team's leaders and community staff, not a resident nor another team's leader), what a
// cancellation refuses afterwards, that confirmed points stay, that a capacity raise promotes the
// waiting list in queue order, and who is notified.
import { beforeAll, describe, expect, it } from "vitest";
import {
  activityCheckInQr,
  activityDetail,
  cancelActivity,
  cancelSignUp,
  confirmService,
  createActivity,
  createTeam,
  editActivity,
  leaderCheck,
  listActivities,
  myPoints,
  scanCheckIn,
  setTeamMember,
  signUp,
} from "~/models/volunteer.server";
import { prisma } from "~/utils/db.server";
import { PermissionDenied, type Actor } from "~/utils/permissions.server";
import { activityCancelSchema, activityEditSchema } from "~/utils/volunteer-schemas";
import { actorOf, demo } from "./fixtures/demo";

let C = "";
let teamId = "";
const a: Record<string, Actor> = {};
const HOUR = 3600_000;

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PermissionDenied) return "forbidden";
    const r = e as { key?: string; status?: number };
    return r.key ? `${r.status} ${r.key}` : String(e);
  }
  return "no refusal";
}

/** An activity of the demo team (led by resident2), by default started ten minutes ago. */
async function activity(capacity: number, startsInMinutes = -10) {
  return (
    await createActivity(a.resident2!, C, {
      teamId,
      title: `活动 ${Math.random()}`,
      description: "",
      startsAt: new Date(Date.now() + startsInMinutes * 60_000),
      endsAt: new Date(Date.now() + startsInMinutes * 60_000 + 2 * HOUR),
      capacity,
      pointsMode: "perActivity",
      points: 25,
    })
  ).id;
}

const notices = async (type: string, title: string) =>
  (await prisma.notification.findMany({ where: { type }, select: { userId: true, data: true } }))
    .filter((n) => (JSON.parse(n.data) as { title?: string }).title === title)
    .map((n) => n.userId)
    .sort();
const titleOf = async (id: string) => (await prisma.volunteerActivity.findUniqueOrThrow({ where: { id } })).title;

beforeAll(async () => {
  await demo();
  C = (await prisma.community.findUniqueOrThrow({ where: { slug: "xingfuli" } })).id;
  for (const u of ["staff", "resident1", "resident2", "resident3", "wuye", "observer"]) a[u] = await actorOf(u);
  teamId = (await prisma.volunteerTeam.findFirstOrThrow({ where: { communityId: C } })).id;
  // resident3 leads another team: leading one team gives no say over another's activities.
  const other = await createTeam(a.staff!, C, { name: "巡逻队（测试）" });
  await setTeamMember(a.staff!, C, other.id, { userId: a.resident3!.userId, role: "leader" });
  a.resident3 = await actorOf("resident3");
});

describe("who may cancel or edit", () => {
  it("a resident and another team's leader are refused; the team's leader and staff may", async () => {
    const id = await activity(3, 60);
    for (const who of ["resident1", "resident3", "observer", "wuye"]) {
      expect(await refusal(cancelActivity(a[who]!, id, "下雨"))).toBe("forbidden");
      expect(await refusal(editActivity(a[who]!, id, { capacity: 4 }))).toBe("forbidden");
    }
    expect((await activityDetail(a.resident1!, id)).mayChange).toBe(false);
    expect((await activityDetail(a.resident3!, id)).mayChange).toBe(false);
    expect((await activityDetail(a.resident2!, id)).mayChange).toBe(true);
    expect((await editActivity(a.resident2!, id, { capacity: 4 })).id).toBe(id);
    expect((await editActivity(a.staff!, id, { capacity: 5 })).id).toBe(id);
    expect((await cancelActivity(a.staff!, id, "下雨")).status).toBe("cancelled");
    expect(await prisma.volunteerActivity.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "cancelled", capacity: 5 });
  });
});

describe("cancelling an activity", () => {
  it("tells everyone signed up or waiting, shows the reason, and refuses sign-up, check-in and confirmation after", async () => {
    const id = await activity(1);
    const title = await titleOf(id);
    await signUp(a.resident1!, id);
    await signUp(a.resident3!, id);
    expect((await activityDetail(a.resident3!, id)).mine?.status).toBe("waiting");
    await signUp(a.wuye!, id);
    await cancelSignUp(a.wuye!, id);
    const signupId = (await prisma.volunteerSignup.findFirstOrThrow({ where: { activityId: id, userId: a.resident1!.userId } })).id;
    const qr = await activityCheckInQr(a.resident2!, id, "http://x");
    const token = new URL(qr.url).searchParams.get("t")!;

    const r = await cancelActivity(a.resident2!, id, "  暴雨预警，改期另行通知  ");
    expect(r).toMatchObject({ status: "cancelled", notified: 2 });
    // Those signed up and waiting, not the one who had cancelled, not the leader.
    expect(await notices("volunteerActivityCancelled", title)).toEqual([a.resident1!.userId, a.resident3!.userId].sort());
    const seen = await activityDetail(a.resident1!, id);
    expect(seen).toMatchObject({ status: "cancelled", cancelReason: "  暴雨预警，改期另行通知  " });
    expect(seen.cancelledAt).not.toBeNull();
    expect((await listActivities(a.resident3!, C)).find((x) => x.id === id)).toMatchObject({ status: "cancelled", cancelReason: "  暴雨预警，改期另行通知  " });

    expect(await refusal(signUp(a.staff!, id))).toBe("409 errors.activityCancelled");
    expect(await refusal(scanCheckIn(a.resident1!, id, token))).toBe("409 errors.activityCancelled");
    expect(await refusal(leaderCheck(a.resident2!, signupId, "in"))).toBe("409 errors.activityCancelled");
    expect(await refusal(confirmService(a.resident2!, signupId))).toBe("409 errors.activityCancelled");
    expect(await refusal(cancelSignUp(a.resident3!, id))).toBe("409 errors.activityCancelled");
    expect(await refusal(editActivity(a.resident2!, id, { capacity: 3 }))).toBe("409 errors.activityCancelled");
    // Cancelled once: a second cancellation is a conflict and tells nobody again.
    expect(await refusal(cancelActivity(a.staff!, id, "再取消"))).toBe("409 errors.activityCancelled");
    expect(await notices("volunteerActivityCancelled", title)).toHaveLength(2);
  });

  it("leaves points already confirmed in the ledger", async () => {
    const id = await activity(3);
    await signUp(a.resident1!, id);
    const s = (await prisma.volunteerSignup.findFirstOrThrow({ where: { activityId: id, userId: a.resident1!.userId } })).id;
    await leaderCheck(a.resident2!, s, "in");
    const before = (await myPoints(a.resident1!, C)).balance;
    await confirmService(a.resident2!, s);
    expect((await myPoints(a.resident1!, C)).balance).toBe(before + 25);
    const entries = await prisma.pointEntry.count();
    await cancelActivity(a.resident2!, id, "场地临时占用");
    expect((await myPoints(a.resident1!, C)).balance).toBe(before + 25);
    expect(await prisma.pointEntry.count()).toBe(entries);
    expect((await activityDetail(a.resident1!, id)).confirmedCount).toBe(1);
  });

  it("needs a reason of 1 to 200 characters", () => {
    expect(activityCancelSchema.safeParse({ reason: "  " }).success).toBe(false);
    expect(activityCancelSchema.safeParse({ reason: "雨".repeat(201) }).success).toBe(false);
    expect(activityCancelSchema.safeParse({}).success).toBe(false);
    expect(activityCancelSchema.safeParse({ reason: "雨".repeat(200) }).success).toBe(true);
    expect(activityCancelSchema.safeParse({ reason: "雨", extra: 1 }).success).toBe(false);
  });
});

describe("editing an activity before it starts", () => {
  it("refuses a capacity below those signed up; a raise promotes the waiting list in queue order", async () => {
    const id = await activity(2, 120);
    const title = await titleOf(id);
    for (const who of ["resident1", "staff", "resident3", "wuye"]) await signUp(a[who]!, id);
    expect(await refusal(editActivity(a.resident2!, id, { capacity: 1 }))).toBe("400 errors.volunteerCapacityBelowSignedUp");
    const r = await editActivity(a.resident2!, id, { capacity: 3 });
    expect(r.promotedUserIds).toEqual([a.resident3!.userId]);
    const again = await editActivity(a.resident2!, id, { capacity: 10 });
    expect(again.promotedUserIds).toEqual([a.wuye!.userId]);
    const roster = (await activityDetail(a.resident2!, id)).roster.map((s) => s.status);
    expect(roster).toEqual(["signedUp", "signedUp", "signedUp", "signedUp"]);
    expect(await notices("volunteerPromoted", title)).toEqual([a.resident3!.userId, a.wuye!.userId].sort());
    // Capacity and title only: nobody is told of a change of time or place.
    expect(await notices("volunteerActivityChanged", title)).toEqual([]);
  });

  it("tells those signed up of a new time, and refuses an end before the start and any edit once started", async () => {
    const id = await activity(5, 120);
    await signUp(a.resident1!, id);
    const title = await titleOf(id);
    const starts = new Date(Date.now() + 3 * HOUR);
    expect(await refusal(editActivity(a.resident2!, id, { endsAt: new Date(Date.now() + 30 * 60_000) }))).toBe("400 errors.volunteerEndBeforeStart");
    const r = await editActivity(a.resident2!, id, { startsAt: starts, endsAt: new Date(starts.getTime() + HOUR), title: "楼道清扫（改期）" });
    expect(r.notified).toBe(1);
    expect(await notices("volunteerActivityChanged", "楼道清扫（改期）")).toEqual([a.resident1!.userId]);
    expect(await notices("volunteerActivityChanged", title)).toEqual([]);
    expect(await activityDetail(a.resident1!, id)).toMatchObject({ title: "楼道清扫（改期）", startsAt: starts.toISOString() });

    const started = await activity(5, -10);
    expect(await refusal(editActivity(a.resident2!, started, { capacity: 6 }))).toBe("409 errors.volunteerActivityStarted");
  });

  it("validates the edit with the shared schema", () => {
    expect(activityEditSchema.safeParse({ capacity: "0" }).success).toBe(false);
    expect(activityEditSchema.safeParse({ title: "x" }).success).toBe(false);
    expect(activityEditSchema.safeParse({ status: "open" }).success).toBe(false);
    expect(activityEditSchema.safeParse({ placeId: "" }).data).toEqual({ placeId: null });
    expect(activityEditSchema.safeParse({ capacity: "7", startsAt: "2026-12-24T09:00" }).data).toMatchObject({ capacity: 7 });
  });
});
