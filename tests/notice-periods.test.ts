// 公示期结束: the scheduler's noticePeriods job tells a community's staff once that a published
// minutes version's notice period ended, with the unanswered objections counted; never twice,
// however often it runs and whichever of two schedulers runs it; a version still on notice is
// left alone; the notice board shows an ended notice as ended.
import { beforeAll, describe, expect, it } from "vitest";
import { NOTICE_ENDED, sendNoticeEndings, siteJobs } from "~/models/jobs.server";
import { listNotices } from "~/models/minutes.server";
import { Scheduler } from "~/models/scheduler.server";
import { prisma } from "~/utils/db.server";
import { loadActor } from "~/utils/permissions.server";

const at = (iso: string) => new Date(iso);

/** A published version of a session's minutes with the given notice period and objections (true = answered). */
async function publishedMinutes(id: string, noticeFrom: string, noticeTo: string, objections: boolean[]) {
  await prisma.councilSession.create({
    data: { id: `s-${id}`, councilId: "np-council", title: `会议${id}`, scheduledAt: at(noticeFrom), status: "adjourned" },
  });
  await prisma.minutes.create({ data: { id: `m-${id}`, sessionId: `s-${id}`, state: "published" } });
  await prisma.minutesVersion.create({
    data: {
      id: `v-${id}`,
      minutesId: `m-${id}`,
      version: 1,
      content: "{}",
      metadata: "{}",
      hash: id,
      publishedById: "np-staff1",
      publishedAt: at(noticeFrom),
      noticeFrom: at(noticeFrom),
      noticeTo: at(noticeTo),
    },
  });
  for (const [i, answered] of objections.entries())
    await prisma.objection.create({
      data: {
        versionId: `v-${id}`,
        authorId: "np-resident",
        body: `异议${i}`,
        ...(answered ? { answer: "已答复", answeredById: "np-staff1", answeredAt: at(noticeFrom) } : {}),
      },
    });
}

const notesOf = (sessionId: string) =>
  prisma.notification.findMany({ where: { sessionId, type: "minutesNoticeEnded" }, orderBy: { userId: "asc" }, select: { userId: true, data: true } });

beforeAll(async () => {
  await prisma.community.create({ data: { id: "np-c", slug: "np", name: "公示社区" } });
  await prisma.community.create({ data: { id: "np-other", slug: "np-other", name: "别的社区" } });
  await prisma.council.create({ data: { id: "np-council", communityId: "np-c", name: "议事会" } });
  await prisma.user.createMany({
    data: ["np-staff1", "np-staff2", "np-gone", "np-resident", "np-elsewhere"].map((id) => ({ id, username: id, displayName: id, passwordHash: "x" })),
  });
  await prisma.membership.createMany({
    data: [
      { userId: "np-staff1", communityId: "np-c", role: "communityStaff" },
      { userId: "np-staff2", communityId: "np-c", role: "communityStaff" },
      // No longer staff here: not told.
      { userId: "np-gone", communityId: "np-c", role: "communityStaff", deactivatedAt: at("2026-11-01T00:00:00Z") },
      { userId: "np-resident", communityId: "np-c", role: "resident" },
      // Staff of another community: not told.
      { userId: "np-elsewhere", communityId: "np-other", role: "communityStaff" },
    ],
  });
  // Ended on 10 December with three objections, one answered.
  await publishedMinutes("A", "2026-12-03T02:00:00Z", "2026-12-10T02:00:00Z", [false, true, false]);
  // Still on notice until 20 December.
  await publishedMinutes("B", "2026-12-13T02:00:00Z", "2026-12-20T02:00:00Z", [false]);
});

describe("notice periods ending", () => {
  it("a version still on notice gets nothing; one whose period ended tells each staff member once, with the unanswered count", async () => {
    expect(await sendNoticeEndings(prisma, at("2026-12-09T02:00:00Z"))).toEqual({ ended: 0, notified: 0 });
    // At the very end objections are still taken (minutes.server.ts objects while now <= noticeTo).
    expect(await sendNoticeEndings(prisma, at("2026-12-10T02:00:00Z"))).toEqual({ ended: 0, notified: 0 });
    expect(await sendNoticeEndings(prisma, at("2026-12-10T03:00:00Z"))).toEqual({ ended: 1, notified: 2 });
    expect(await sendNoticeEndings(prisma, at("2026-12-10T04:00:00Z"))).toEqual({ ended: 0, notified: 0 });
    const notes = await notesOf("s-A");
    expect(notes.map((n) => n.userId)).toEqual(["np-staff1", "np-staff2"]);
    for (const n of notes) expect(JSON.parse(n.data)).toMatchObject({ title: "会议A", version: 1, unanswered: 2, noticeTo: "2026-12-10T02:00:00.000Z" });
    expect(await notesOf("s-B")).toEqual([]);
    expect(await prisma.reminderSent.findMany({ where: { kind: NOTICE_ENDED }, select: { taskId: true } })).toEqual([{ taskId: "v-A" }]);
  });

  it("two schedulers back after downtime, and two runs racing: each ended version is told once", async () => {
    await publishedMinutes("C", "2026-12-20T02:00:00Z", "2026-12-27T02:00:00Z", [true]);
    const jobs = siteJobs().filter((j) => j.name === "noticePeriods");
    const one = new Scheduler({ db: prisma, jobs, id: "one", log: () => {} });
    const two = new Scheduler({ db: prisma, jobs, id: "two", log: () => {} });
    await one.tick(at("2026-12-18T10:30:00Z"));
    // Down from the 18th to 5 January, through the ends of B and C.
    const back = at("2027-01-05T09:20:00Z");
    const [results] = await Promise.all([Promise.all([one.tick(back), two.tick(back), one.tick(back)]), sendNoticeEndings(prisma, back)]);
    expect(results.flat().map((r) => r.job)).toEqual(["noticePeriods"]);
    expect((await notesOf("s-B")).map((n) => [n.userId, JSON.parse(n.data).unanswered])).toEqual([
      ["np-staff1", 1],
      ["np-staff2", 1],
    ]);
    expect((await notesOf("s-C")).map((n) => [n.userId, JSON.parse(n.data).unanswered])).toEqual([
      ["np-staff1", 0],
      ["np-staff2", 0],
    ]);
    expect(await notesOf("s-A")).toHaveLength(2);
    expect(await sendNoticeEndings(prisma, at("2027-01-06T00:00:00Z"))).toEqual({ ended: 0, notified: 0 });
    const run = await prisma.jobRun.findFirstOrThrow({ where: { job: "noticePeriods" }, orderBy: { startedAt: "desc" } });
    // The run's detail is language-neutral (an i18n key and its numbers), read in the reader's language.
    expect(run.ok).toBe(true);
    expect(JSON.parse(run.detail!)).toMatchObject({ key: "noticePeriods", values: { ended: expect.any(Number), notified: expect.any(Number) } });
  });

  it("the notice board shows an ended notice as ended and one on notice as open", async () => {
    await publishedMinutes("D", "2026-01-01T00:00:00Z", "2099-01-01T00:00:00Z", []);
    const board = await listNotices((await loadActor("np-resident"))!, "np");
    const open = Object.fromEntries(board.notices.map((n) => [n.sessionId, n.open]));
    expect(open).toEqual({ "s-A": false, "s-B": false, "s-C": false, "s-D": true });
  });
});
