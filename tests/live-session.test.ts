// Rules of a session in progress, at the model level against real SQLite:
// check-in, quorum, the floor, proxies, hidden results and the life cycle.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { castBallot } from "~/models/live-ballots.server";
import {
  adjournSession,
  checkIn,
  checkInLink,
  closeVote,
  giveFloor,
  openItem,
  openSession,
  openVote,
  proposeMotion,
  raiseHand,
  recordProxy,
  secondMotion,
} from "~/models/live-session.server";
import { SNAPSHOT_IDLE_MS, liveMemory, liveState } from "~/models/live-state.server";
import { prisma } from "~/utils/db.server";
import { RuleBroken } from "~/utils/errors";
import { PermissionDenied, type Actor } from "~/utils/permissions.server";
import { actorOf, demo } from "./fixtures/demo";

let sessionId: string;
let items: { id: string }[];
const who: Record<string, Actor> = {};
let n = 0;
const ballot = (motionId: string, choice: string, extra: Record<string, unknown> = {}) => ({
  motionId,
  clientBallotId: `ballot-${++n}-xyz`,
  // What the page sends (a time in ms): larger than a 32-bit column, which PostgreSQL refused.
  seq: Date.now() + n,
  choice,
  ...extra,
});

beforeAll(async () => {
  const d = await demo();
  sessionId = d.session.id;
  items = d.items;
  for (const u of ["staff", "grid1", "wuye", "yeweihui", "resident1", "resident2", "resident3", "observer"]) who[u] = await actorOf(u);
});

describe("a live session", () => {
  it("checks people in by QR token or by the chair, never with a forged or foreign token", async () => {
    const link = await checkInLink(who.staff!, sessionId, "http://x");
    const token = new URL(link.url).searchParams.get("t")!;
    await expect(checkInLink(who.resident1!, sessionId, "http://x")).rejects.toBeInstanceOf(PermissionDenied);
    await expect(checkIn(who.resident1!, sessionId, { token: token.replace(/.$/, "A") + "x" })).rejects.toMatchObject({ key: "errors.checkInInvalid" });
    expect(await checkIn(who.resident1!, sessionId, { token })).toEqual({ userId: who.resident1!.userId, kind: "member" });
    expect(await checkIn(who.observer!, sessionId, { token })).toMatchObject({ kind: "observer" });
    await expect(checkIn(who.resident1!, sessionId, { userId: who.grid1!.userId })).rejects.toBeInstanceOf(PermissionDenied);
    await checkIn(who.staff!, sessionId, { userId: who.staff!.userId });
    const state = await liveState(sessionId);
    expect(state.quorum).toMatchObject({ seated: 6, present: 2, required: 4, met: false });
  });

  it("versions the state by a counter in the database, not by this process's clock", async () => {
    const before = (await liveState(sessionId)).version;
    // This process's clock runs an hour behind another's: its pushes must still order after theirs.
    const clock = vi.spyOn(Date, "now").mockReturnValue(Date.now() - 3600_000);
    try {
      await checkIn(who.staff!, sessionId, { userId: who.yeweihui!.userId });
      await new Promise((r) => setTimeout(r, 300));
      const after = await liveState(sessionId);
      expect(after.attendance.map((a) => a.userId)).toContain(who.yeweihui!.userId);
      expect(after.version).toBeGreaterThan(before);
    } finally {
      clock.mockRestore();
    }
    await prisma.attendance.deleteMany({ where: { sessionId, userId: who.yeweihui!.userId } });
  });

  it("lets only the chair open it, and only checked-in people raise hands; the chair gives the floor", async () => {
    await expect(openSession(who.resident1!, sessionId)).rejects.toBeInstanceOf(PermissionDenied);
    await expect(raiseHand(who.resident1!, sessionId)).rejects.toMatchObject({ key: "errors.sessionNotOpen" });
    await openSession(who.staff!, sessionId);
    await expect(openSession(who.staff!, sessionId)).rejects.toBeInstanceOf(RuleBroken);
    await raiseHand(who.resident1!, sessionId);
    await raiseHand(who.resident1!, sessionId); // once in the queue, however often
    await expect(raiseHand(who.wuye!, sessionId)).rejects.toMatchObject({ key: "errors.notCheckedIn" });
    expect((await liveState(sessionId)).hands.map((h) => h.name)).toEqual(["刘建国"]);
    await giveFloor(who.staff!, sessionId, who.resident1!.userId);
    const state = await liveState(sessionId);
    expect(state.hands).toEqual([]);
    expect(state.floor).toMatchObject({ name: "刘建国", limitSec: 180 });
  });

  it("counts a proxy's constituent as present, marks proxy ballots in the roll, and refuses anyone else voting for them", async () => {
    await openItem(who.staff!, sessionId, items[0]!.id);
    await checkIn(who.staff!, sessionId, { userId: who.resident2!.userId });
    // 陈静 (owners' committee) cannot come; only a seated resident may give a proxy, only to a building or unit head.
    await expect(recordProxy(who.staff!, sessionId, { grantorId: who.yeweihui!.userId, proxyId: who.resident2!.userId })).rejects.toMatchObject({
      field: "grantorId",
    });
    await prisma.attendance.deleteMany({ where: { sessionId, userId: who.resident1!.userId } }); // 刘建国 leaves the room…
    await recordProxy(who.staff!, sessionId, { grantorId: who.resident1!.userId, proxyId: who.resident2!.userId }); // …and leaves his vote with 孙秀兰
    await checkIn(who.staff!, sessionId, { userId: who.grid1!.userId });
    expect((await liveState(sessionId)).quorum).toMatchObject({ present: 4, met: true });

    const { id: motionId } = await proposeMotion(who.grid1!, sessionId, {
      agendaItemId: items[0]!.id,
      text: "施划禁停标线",
      ballot: "open",
      passRule: "majorityCast",
      constituencies: [],
      hideResults: true,
    });
    await expect(secondMotion(who.grid1!, motionId)).rejects.toMatchObject({ key: "errors.cannotSecondOwn" });
    await expect(openVote(who.staff!, motionId)).rejects.toMatchObject({ key: "errors.motionNotSeconded" });
    // A ballot before the vote is called is told so, not that the vote is over.
    await expect(castBallot(who.grid1!, ballot(motionId, "yes"))).rejects.toMatchObject({ status: 409, key: "errors.voteNotOpen" });
    await expect(closeVote(who.staff!, motionId)).rejects.toMatchObject({ status: 409, key: "errors.voteNotOpen" });
    await secondMotion(who.resident2!, motionId);
    await openVote(who.staff!, motionId);
    await expect(adjournSession(who.staff!, sessionId)).rejects.toMatchObject({ key: "errors.voteStillOpen" });

    await castBallot(who.resident2!, ballot(motionId, "yes"));
    await castBallot(who.resident2!, ballot(motionId, "yes", { onBehalfOf: who.resident1!.userId }));
    await expect(castBallot(who.grid1!, ballot(motionId, "no", { onBehalfOf: who.resident1!.userId }))).rejects.toMatchObject({ key: "errors.noProxy" });
    await expect(castBallot(who.observer!, ballot(motionId, "no"))).rejects.toBeInstanceOf(PermissionDenied);
    await castBallot(who.grid1!, ballot(motionId, "no"));
    // Results hidden until the close: the live tally carries turnout only.
    const tally = (await liveState(sessionId)).tally!;
    expect(tally).toMatchObject({ cast: 3 });
    expect(tally.counts).toBeUndefined();

    const result = await closeVote(who.staff!, motionId);
    expect(result).toMatchObject({ counts: { yes: 2, no: 1, abstain: 0 }, passed: true, present: 4, eligible: 6 });
    expect(result.roll).toContainEqual({ name: "刘建国", choice: "yes", proxy: true, castBy: "孙秀兰" });
    const item = await prisma.agendaItem.findUniqueOrThrow({ where: { id: items[0]!.id } });
    expect(item.resolutionText).toBe("施划禁停标线");
    await expect(castBallot(who.grid1!, ballot(motionId, "yes"))).rejects.toMatchObject({ key: "errors.voteClosed" });
    const stored = await prisma.motion.findUniqueOrThrow({ where: { id: motionId } });
    expect(JSON.parse(stored.result!).counts).toEqual({ yes: 2, no: 1, abstain: 0 });
  });

  it("refuses a vote without quorum, then adjourns and freezes the text", async () => {
    await openItem(who.staff!, sessionId, items[1]!.id);
    const { id: motionId } = await proposeMotion(who.staff!, sessionId, {
      agendaItemId: items[1]!.id,
      text: "恢复绿地",
      ballot: "open",
      passRule: "majorityCast",
      constituencies: [],
      hideResults: false,
    });
    await secondMotion(who.grid1!, motionId);
    await prisma.attendance.deleteMany({ where: { sessionId, userId: { in: [who.grid1!.userId, who.resident2!.userId] } } });
    await expect(openVote(who.staff!, motionId)).rejects.toMatchObject({ key: "errors.quorumNotMet", values: { present: 1, required: 4 } });
    await expect(
      proposeMotion(who.grid1!, sessionId, {
        agendaItemId: items[1]!.id,
        text: "不在场的提议",
        ballot: "open",
        passRule: "majorityCast",
        constituencies: [],
        hideResults: false,
      }),
    ).rejects.toMatchObject({
      key: "errors.notCheckedIn",
    });
    await adjournSession(who.staff!, sessionId);
    const state = await liveState(sessionId);
    expect(state.status).toBe("adjourned");
    expect(state.motions.find((m) => m.id === motionId)).toBeUndefined(); // withdrawn at adjournment
    await expect(checkIn(who.staff!, sessionId, { userId: who.grid1!.userId })).rejects.toMatchObject({ key: "errors.sessionOver" });
  });

  it("keeps nothing in memory for a session once its pushes are done", async () => {
    // Past the tally period, the state pacing and the snapshot's lifetime.
    await new Promise((r) => setTimeout(r, Math.max(1200, SNAPSHOT_IDLE_MS + 200)));
    expect(liveMemory()).toEqual({ tallyTimers: 0, stateTimers: 0, roomSizes: 0, snapshots: 0 });
  });
});
