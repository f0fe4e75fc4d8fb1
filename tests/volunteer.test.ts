// Volunteer service and points (issue 18) against a real database (SQLite here; PostgreSQL with
// scripts/test-postgres.mjs): the ledger's invariants, the community's rules, sign-up and the
// waiting list, QR check-in, confirmation (never one's own), redemption codes used once under
// concurrency, the offline queue settling once, and what a merchant sees.
import { beforeAll, describe, expect, it } from "vitest";
import { accountId, expireAccount, inLedger, ledgerStats, post } from "~/models/ledger.server";
import {
  activityCheckInQr,
  activityDetail,
  cancelSignUp,
  confirmService,
  correctTransaction,
  createActivity,
  createOffer,
  createRedemptionCode,
  leaderCheck,
  listActivities,
  merchantStatement,
  myPoints,
  redeem,
  redemptionCodeStatus,
  scanCheckIn,
  setVolunteerRules,
  signUp,
  volunteerFigures,
} from "~/models/volunteer.server";
import { prisma } from "~/utils/db.server";
import { PermissionDenied, type Actor } from "~/utils/permissions.server";
import { flushQueue, enqueue, type QueueStorage } from "~/utils/redemption-queue";
import { actorOf, demo } from "./fixtures/demo";

let C = "";
let teamId = "";
let shopId = "";
const a: Record<string, Actor> = {};
const HOUR = 3600_000;

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PermissionDenied) return "forbidden";
    return (e as { key?: string }).key ?? String(e);
  }
  return "no refusal";
}

/** The ledger's invariants, over every row in the database. */
async function assertLedgerInvariants() {
  const all = await prisma.pointEntry.aggregate({ _sum: { amount: true } });
  expect(all._sum.amount ?? 0).toBe(0);
  const perTx = await prisma.pointEntry.groupBy({ by: ["transactionId"], _sum: { amount: true } });
  expect(perTx.filter((t) => t._sum.amount !== 0)).toEqual([]);
  const accounts = await prisma.pointAccount.findMany({ include: { entries: { orderBy: { seq: "asc" } } } });
  for (const acc of accounts) {
    // seq runs 1..n with no gap: every entry was appended on top of the balance it read.
    expect(acc.entries.map((e) => e.seq)).toEqual(acc.entries.map((_, i) => i + 1));
    let running = 0;
    for (const e of acc.entries) {
      running += e.amount;
      if (acc.kind !== "issuance") expect(running).toBeGreaterThanOrEqual(0);
    }
  }
}

const balance = async (who: string) => (await myPoints(a[who]!, C)).balance;

async function give(userId: string, points: number) {
  await inLedger(async (tx) => {
    const issuance = await accountId(tx, C, "issuance");
    const resident = await accountId(tx, C, "resident", userId);
    await post(tx, {
      communityId: C,
      kind: "issue",
      memo: "test",
      lines: [
        { accountId: issuance, amount: -points },
        { accountId: resident, amount: points },
      ],
    });
  });
}

async function activity(capacity: number, extra: Partial<Parameters<typeof createActivity>[2]> = {}) {
  return (
    await createActivity(a.resident2!, C, {
      teamId,
      title: `活动 ${Math.random()}`,
      description: "",
      startsAt: new Date(Date.now() - 10 * 60_000),
      endsAt: new Date(Date.now() + 2 * HOUR),
      capacity,
      pointsMode: "perActivity",
      points: 25,
      ...extra,
    })
  ).id;
}

beforeAll(async () => {
  await demo();
  C = (await prisma.community.findUniqueOrThrow({ where: { slug: "xingfuli" } })).id;
  for (const u of ["staff", "resident1", "resident2", "resident3", "observer", "shop", "wuye", "outsider"]) a[u] = await actorOf(u);
  teamId = (await prisma.volunteerTeam.findFirstOrThrow({ where: { communityId: C } })).id;
  shopId = (await prisma.organization.findFirstOrThrow({ where: { communityId: C, kind: "merchant" } })).id;
});

describe("activities, sign-up and the waiting list", () => {
  it("only leaders and staff post; a full activity queues; a cancellation promotes the earliest waiting", async () => {
    expect(
      await refusal(
        createActivity(a.resident1!, C, { teamId, title: "x", description: "", startsAt: new Date(), endsAt: new Date(Date.now() + HOUR), capacity: 1 }),
      ),
    ).toBe("forbidden");
    expect(await refusal(activity(1, { endsAt: new Date(Date.now() - 20 * 60_000) }))).toBe("errors.volunteerEndBeforeStart");
    const id = await activity(1);
    expect(await signUp(a.resident1!, id)).toEqual({ status: "signedUp" });
    expect(await signUp(a.resident3!, id)).toEqual({ status: "waiting" });
    expect(await signUp(a.staff!, id)).toEqual({ status: "waiting" });
    expect(await refusal(signUp(a.observer!, id))).toBe("forbidden");
    expect(await signUp(a.resident1!, id)).toEqual({ status: "signedUp" });
    expect(await cancelSignUp(a.resident1!, id)).toEqual({ promotedUserId: a.resident3!.userId });
    const detail = await activityDetail(a.resident2!, id);
    expect(detail.roster.map((r) => [r.userId, r.status])).toEqual([
      [a.resident3!.userId, "signedUp"],
      [a.staff!.userId, "waiting"],
    ]);
    // A resident sees counts, never the roster's names.
    expect((await activityDetail(a.resident1!, id)).roster).toEqual([]);
    const listed = (await listActivities(a.resident3!, C)).find((x) => x.id === id)!;
    expect(listed).toMatchObject({ signedUp: 1, waiting: 1, mine: "signedUp" });
  });

  it("sign-ups at once never overfill an activity", async () => {
    const id = await activity(2);
    const people = ["resident1", "resident3", "staff", "wuye", "shop"];
    const results = await Promise.all(people.map((p) => signUp(a[p]!, id)));
    expect(results.filter((r) => r.status === "signedUp")).toHaveLength(2);
    expect(await prisma.volunteerSignup.count({ where: { activityId: id, status: "signedUp" } })).toBe(2);
  });
});

describe("check-in by the rotating QR and confirmation", () => {
  it("checks in and out by the signed link; a forged or stale link is refused", async () => {
    const id = await activity(5);
    await signUp(a.resident1!, id);
    const qr = await activityCheckInQr(a.resident2!, id, "http://x");
    expect(await refusal(activityCheckInQr(a.resident1!, id, "http://x"))).toBe("forbidden");
    const token = new URL(qr.url).searchParams.get("t")!;
    expect(
      await refusal(
        scanCheckIn(
          a.resident1!,
          id,
          token.replace(/.$/, (c) => (c === "A" ? "B" : "A")),
        ),
      ),
    ).toBe("errors.checkInInvalid");
    expect(await refusal(scanCheckIn(a.resident1!, id, token, new Date(Date.now() + 10 * 60_000)))).toBe("errors.checkInExpired");
    expect(await refusal(scanCheckIn(a.resident3!, id, token))).toBe("errors.volunteerNotSignedUp");
    const inn = await scanCheckIn(a.resident1!, id, token);
    expect(inn.checkedOutAt).toBeNull();
    // Thirty minutes later the screen shows a newer link; the first one no longer works.
    const later = new Date(Date.now() + 30 * 60_000 + 1000);
    expect(await refusal(scanCheckIn(a.resident1!, id, token, later))).toBe("errors.checkInExpired");
    const fresh = new URL((await activityCheckInQr(a.resident2!, id, "http://x", later.getTime())).url).searchParams.get("t")!;
    const out = await scanCheckIn(a.resident1!, id, fresh, later);
    expect(out.minutesServed).toBe(30);
  });

  it("a leader confirms once; nobody confirms their own service; points land in the ledger", async () => {
    const id = await activity(5);
    await signUp(a.resident1!, id);
    await signUp(a.resident2!, id);
    const roster = (await activityDetail(a.staff!, id)).roster;
    const own = roster.find((r) => r.userId === a.resident2!.userId)!;
    const other = roster.find((r) => r.userId === a.resident1!.userId)!;
    expect(await refusal(confirmService(a.resident2!, other.id))).toBe("errors.volunteerNotCheckedIn");
    await leaderCheck(a.resident2!, other.id, "in");
    await leaderCheck(a.resident2!, own.id, "in");
    expect(await refusal(leaderCheck(a.resident1!, own.id, "in"))).toBe("forbidden");
    const before = await balance("resident1");
    // The leader's own service: refused to them, confirmed by staff.
    expect(await refusal(confirmService(a.resident2!, own.id))).toBe("forbidden");
    expect(await refusal(confirmService(a.resident1!, other.id))).toBe("forbidden");
    const [first, second] = await Promise.allSettled([confirmService(a.resident2!, other.id), confirmService(a.staff!, other.id)]);
    expect([first.status, second.status].sort()).toEqual(["fulfilled", "rejected"]);
    expect(await balance("resident1")).toBe(before + 25);
    expect((await confirmService(a.staff!, own.id)).points).toBe(25);
    await assertLedgerInvariants();
  });
});

describe("the ledger", () => {
  it("a balance is the sum of entries; a reversal puts it back, once, and is audited", async () => {
    const before = await balance("resident3");
    await give(a.resident3!.userId, 40);
    const mine = await myPoints(a.resident3!, C);
    expect(mine.balance).toBe(before + 40);
    const acc = await prisma.pointAccount.findFirstOrThrow({ where: { communityId: C, kind: "resident", ownerId: a.resident3!.userId } });
    const sum = await prisma.pointEntry.aggregate({ where: { accountId: acc.id }, _sum: { amount: true } });
    expect(sum._sum.amount).toBe(mine.balance);
    const txId = (await prisma.pointEntry.findFirstOrThrow({ where: { accountId: acc.id }, orderBy: { seq: "desc" } })).transactionId;
    expect(await refusal(correctTransaction(a.resident3!, C, txId, "错发"))).toBe("forbidden");
    await correctTransaction(a.staff!, C, txId, "错发");
    expect(await balance("resident3")).toBe(before);
    expect(await refusal(correctTransaction(a.staff!, C, txId, "again"))).toBe("errors.pointsAlreadyReversed");
    const reversal = await prisma.pointTransaction.findFirstOrThrow({ where: { reversesId: txId } });
    expect(reversal.memo).toBe("错发");
    expect(await refusal(correctTransaction(a.staff!, C, reversal.id, "undo"))).toBe("errors.pointsReverseReversal");
    expect(await prisma.auditEntry.count({ where: { communityId: C, action: "points.correct", subjectId: txId } })).toBe(1);
    await assertLedgerInvariants();
  });

  it("a reversal that would take spent points below zero is refused", async () => {
    const u = a.wuye!;
    await give(u.userId, 10);
    const acc = await prisma.pointAccount.findFirstOrThrow({ where: { communityId: C, kind: "resident", ownerId: u.userId } });
    const issued = (await prisma.pointEntry.findFirstOrThrow({ where: { accountId: acc.id }, orderBy: { seq: "desc" } })).transactionId;
    const offer = await createOffer(a.shop!, C, shopId, { title: "十分", points: 10 });
    const { code } = await createRedemptionCode(u, C);
    await redeem(a.shop!, C, { organizationId: shopId, offerId: offer.id, code });
    expect(await refusal(correctTransaction(a.staff!, C, issued, "错发"))).toBe("errors.pointsInsufficient");
    await assertLedgerInvariants();
  });

  it("no balance goes negative under 100 concurrent redemptions of one balance", async () => {
    const u = a.resident3!;
    const start = await balance("resident3");
    await give(u.userId, 50 - start);
    expect(await balance("resident3")).toBe(50);
    const offer = await createOffer(a.shop!, C, shopId, { title: "一分", points: 1 });
    const codes = [];
    for (let i = 0; i < 100; i++) codes.push((await createRedemptionCode(u, C)).code);
    const retriesBefore = ledgerStats.retries;
    const results = await Promise.allSettled(codes.map((code) => redeem(a.shop!, C, { organizationId: shopId, offerId: offer.id, code })));
    // SQLite runs one transaction at a time (no collisions); PostgreSQL runs them side by side and retries the losers.
    console.log(`[volunteer] 100 concurrent redemptions: ${ledgerStats.retries - retriesBefore} seq collisions retried`);
    const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason?.key);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(50);
    expect(new Set(refused)).toEqual(new Set(["errors.pointsInsufficient"]));
    expect(await balance("resident3")).toBe(0);
    expect(await prisma.redemption.count({ where: { offerId: offer.id } })).toBe(50);
    await assertLedgerInvariants();
  }, 120_000);
});

describe("community rules", () => {
  it("a yearly cap trims what a confirmation issues", async () => {
    // The shop's assistant has earned nothing yet this year.
    const person = a.shop!;
    expect(await refusal(setVolunteerRules(a.resident1!, C, { pointsMode: "perActivity", pointsPerUnit: 25, yearlyCap: 30, expiryMonths: 0 }))).toBe(
      "forbidden",
    );
    await setVolunteerRules(a.staff!, C, { pointsMode: "perActivity", pointsPerUnit: 25, yearlyCap: 30, expiryMonths: 0 });
    const results = [];
    for (let i = 0; i < 2; i++) {
      const id = await activity(5);
      await signUp(person, id);
      const s = (await activityDetail(a.resident2!, id)).roster.find((r) => r.userId === person.userId)!;
      await leaderCheck(a.resident2!, s.id, "in");
      results.push(await confirmService(a.resident2!, s.id));
    }
    expect(results.map((r) => [r.earned, r.points, r.capped])).toEqual([
      [25, 25, false],
      [25, 5, true],
    ]);
    await setVolunteerRules(a.staff!, C, { pointsMode: "perHour", pointsPerUnit: 10, yearlyCap: 0, expiryMonths: 0 });
  });

  it("points older than the expiry are expired by an entry, first in first out, and at redemption", async () => {
    const u = a.resident1!;
    const acc = await inLedger((tx) => accountId(tx, C, "resident", u.userId));
    const held = await balance("resident1");
    expect(held).toBeGreaterThan(0);
    // Nothing is older than 12 months yet.
    expect(await inLedger((tx) => expireAccount(tx, C, acc, 12, new Date()))).toBe(0);
    const later = new Date(Date.now() + 13 * 30 * 86400_000);
    expect(await inLedger((tx) => expireAccount(tx, C, acc, 12, later))).toBe(held);
    expect(await balance("resident1")).toBe(0);
    expect(await inLedger((tx) => expireAccount(tx, C, acc, 12, later))).toBe(0);
    const expired = await prisma.pointTransaction.findFirstOrThrow({ where: { communityId: C, kind: "expire" }, include: { entries: true } });
    expect(expired.entries.map((e) => e.amount).sort((x, y) => x - y)).toEqual([-held, held]);
    await assertLedgerInvariants();
  });
});

describe("redemption codes", () => {
  it("a code is used once even when scanned many times at once; a repeat gets the first answer", async () => {
    const u = a.resident2!;
    await give(u.userId, 100);
    const before = await balance("resident2");
    const offer = await createOffer(a.shop!, C, shopId, { title: "鸡蛋", points: 30 });
    const { code } = await createRedemptionCode(u, C);
    const results = await Promise.all(Array.from({ length: 20 }, () => redeem(a.shop!, C, { organizationId: shopId, offerId: offer.id, code })));
    expect(results.filter((r) => !r.repeated)).toHaveLength(1);
    expect(new Set(results.map((r) => r.redemptionId)).size).toBe(1);
    expect(await balance("resident2")).toBe(before - 30);
    // Another offer with the same code: used.
    const other = await createOffer(a.shop!, C, shopId, { title: "理发", points: 20 });
    expect(await refusal(redeem(a.shop!, C, { organizationId: shopId, offerId: other.id, code }))).toBe("errors.redemptionCodeUsed");
    expect(await redemptionCodeStatus(u, code)).toMatchObject({ used: true, points: 30, balance: before - 30 });
    // What the merchant learns: a masked name, nothing else about the resident.
    expect(results[0]!.resident).toBe("孙**");
    expect(Object.keys(results[0]!).sort()).toEqual(["code", "offer", "points", "redemptionId", "repeated", "resident", "settledAt"]);
    await assertLedgerInvariants();
  });

  it("refuses an expired code, a stranger's till, a code of another person shown by oneself", async () => {
    const u = a.resident2!;
    const offer = await createOffer(a.shop!, C, shopId, { title: "报纸", points: 1 });
    const { code } = await createRedemptionCode(u, C);
    const late = new Date(Date.now() + 3 * 60_000);
    expect(await refusal(redeem(a.shop!, C, { organizationId: shopId, offerId: offer.id, code }, late))).toBe("errors.redemptionCodeExpired");
    expect(await refusal(redeem(a.staff!, C, { organizationId: shopId, offerId: offer.id, code }))).toBe("forbidden");
    expect(await refusal(redeem(a.shop!, C, { organizationId: shopId, offerId: offer.id, code: "ZZZZZZZZ" }))).toBe("errors.redemptionCodeInvalid");
    expect(await refusal(createOffer(a.resident1!, C, shopId, { title: "x", points: 1 }))).toBe("forbidden");
    // Scanned while valid, settled later (offline): accepted within the grace.
    const scannedAt = new Date();
    const r = await redeem(a.shop!, C, { organizationId: shopId, offerId: offer.id, code, scannedAt }, late);
    expect(r.repeated).toBe(false);
  });

  it("an offline queue replayed from two tabs settles once", async () => {
    const u = a.resident2!;
    const before = await balance("resident2");
    const offer = await createOffer(a.shop!, C, shopId, { title: "酸奶", points: 5 });
    const { code } = await createRedemptionCode(u, C);
    const scannedAt = new Date().toISOString();
    const store = new Map<string, string>();
    const storage: QueueStorage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) };
    enqueue(storage, { code, offerId: offer.id, organizationId: shopId, scannedAt });
    const answers: unknown[] = [];
    const send = async (q: { code: string; offerId: string; organizationId: string; scannedAt: string }) => {
      try {
        return { kind: "settled" as const, body: await redeem(a.shop!, C, { ...q, scannedAt: new Date(q.scannedAt) }, new Date(Date.now() + 5 * 60_000)) };
      } catch (e) {
        return { kind: "refused" as const, body: e };
      }
    };
    // Two tabs (two copies of the queue) flush at once, then one flushes again.
    const copy = new Map(store);
    const storage2: QueueStorage = { getItem: (k) => copy.get(k) ?? null, setItem: (k, v) => void copy.set(k, v) };
    await Promise.all([flushQueue(storage, send, (_, r) => answers.push(r)), flushQueue(storage2, send, (_, r) => answers.push(r))]);
    expect(await flushQueue(storage, send)).toBe(0);
    expect(answers).toHaveLength(2);
    expect(answers.every((x) => (x as { kind: string }).kind === "settled")).toBe(true);
    expect(await balance("resident2")).toBe(before - 5);
    expect(await prisma.redemption.count({ where: { offerId: offer.id } })).toBe(1);
  });

  it("the monthly statement lists redemptions with masked names and a total; figures per grid and month", async () => {
    const month = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 7);
    const st = await merchantStatement(a.shop!, C, shopId, month);
    expect(st.lines.length).toBeGreaterThan(50);
    expect(st.total).toBe(st.lines.filter((l) => !l.reversed).reduce((s, l) => s + l.points, 0));
    expect(st.lines.every((l) => /^.\*+$/u.test(l.resident))).toBe(true);
    expect(await refusal(merchantStatement(a.resident1!, C, shopId, month))).toBe("forbidden");
    const figures = await volunteerFigures({ communityId: C }, { from: new Date(Date.now() - 40 * 86400_000), to: new Date(Date.now() + HOUR) });
    const total = figures.reduce((s, f) => s + f.pointsIssued, 0);
    expect(total).toBeGreaterThan(0);
    expect(figures.reduce((s, f) => s + f.pointsRedeemed, 0)).toBeGreaterThan(50);
    await assertLedgerInvariants();
  });
});
