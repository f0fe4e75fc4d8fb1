// Pure rules of volunteer points (app/models/volunteer-rules.ts) and the merchant's offline queue.
import { describe, expect, it } from "vitest";
import { translator } from "~/i18n";
import { statementCsv } from "~/models/volunteer-csv.server";
import {
  beijingMonth,
  beijingMonthOf,
  beijingYearStart,
  capped,
  expiringPoints,
  maskedName,
  minutesServed,
  normalizeCode,
  pointsForService,
} from "~/models/volunteer-rules";
import { enqueue, flushQueue, loadQueue, type QueueStorage } from "~/utils/redemption-queue";

const at = (iso: string) => new Date(iso);

describe("points for service", () => {
  it.each([
    { mode: "perHour" as const, points: 10, minutes: 90, expected: 15 },
    { mode: "perHour" as const, points: 10, minutes: 0, expected: 0 },
    { mode: "perHour" as const, points: 12, minutes: 25, expected: 5 },
    { mode: "perActivity" as const, points: 30, minutes: 5, expected: 30 },
  ])("$mode $points for $minutes min → $expected", ({ mode, points, minutes, expected }) => {
    expect(pointsForService(mode, points, minutes)).toBe(expected);
  });
  it("minutes served never exceed the activity's length nor go negative", () => {
    const activity = { startsAt: at("2026-12-01T01:00:00Z"), endsAt: at("2026-12-01T03:00:00Z") };
    expect(minutesServed(at("2026-12-01T00:30:00Z"), at("2026-12-01T05:00:00Z"), activity)).toBe(120);
    expect(minutesServed(at("2026-12-01T01:10:00Z"), at("2026-12-01T02:05:30Z"), activity)).toBe(55);
    expect(minutesServed(at("2026-12-01T02:00:00Z"), at("2026-12-01T01:00:00Z"), activity)).toBe(0);
  });
});

describe("yearly cap", () => {
  it.each([
    { earned: 25, issued: 0, cap: 0, expected: 25 },
    { earned: 25, issued: 0, cap: 30, expected: 25 },
    { earned: 25, issued: 25, cap: 30, expected: 5 },
    { earned: 25, issued: 30, cap: 30, expected: 0 },
    { earned: 25, issued: 40, cap: 30, expected: 0 },
  ])("earned $earned, issued $issued, cap $cap → $expected", ({ earned, issued, cap, expected }) => {
    expect(capped(earned, issued, cap)).toBe(expected);
  });
  it("the year is Beijing's", () => {
    expect(beijingYearStart(at("2026-12-31T16:30:00Z")).toISOString()).toBe("2026-12-31T16:00:00.000Z");
    expect(beijingYearStart(at("2026-12-31T15:30:00Z")).toISOString()).toBe("2025-12-31T16:00:00.000Z");
    expect(beijingMonthOf(at("2026-11-30T16:00:00Z"))).toBe("2026-12");
    expect(beijingMonth("2026-12")).toEqual({ from: at("2026-11-30T16:00:00Z"), to: at("2026-12-31T16:00:00Z") });
    expect(beijingMonth("2026-13")).toBeNull();
  });
});

describe("expiry, first in first out", () => {
  const cutoff = at("2026-01-01T00:00:00Z");
  it.each([
    { name: "old credit unspent expires", entries: [{ amount: 50, createdAt: at("2025-06-01T00:00:00Z") }], expected: 50 },
    {
      name: "spending consumes the oldest first",
      entries: [
        { amount: 50, createdAt: at("2025-06-01T00:00:00Z") },
        { amount: 30, createdAt: at("2026-03-01T00:00:00Z") },
        { amount: -60, createdAt: at("2026-04-01T00:00:00Z") },
      ],
      expected: 0,
    },
    {
      name: "a part of the old credit left",
      entries: [
        { amount: 50, createdAt: at("2025-06-01T00:00:00Z") },
        { amount: -20, createdAt: at("2025-07-01T00:00:00Z") },
        { amount: 30, createdAt: at("2026-03-01T00:00:00Z") },
      ],
      expected: 30,
    },
    {
      name: "an earlier expiry counts as used",
      entries: [
        { amount: 50, createdAt: at("2025-06-01T00:00:00Z") },
        { amount: -50, createdAt: at("2026-01-02T00:00:00Z") },
      ],
      expected: 0,
    },
    { name: "new credit stays", entries: [{ amount: 50, createdAt: at("2026-02-01T00:00:00Z") }], expected: 0 },
  ])("$name", ({ entries, expected }) => {
    expect(expiringPoints(entries, cutoff)).toBe(expected);
  });
});

describe("what a merchant sees and types", () => {
  it("masks names", () => {
    expect(maskedName("刘建国")).toBe("刘**");
    expect(maskedName("孙丽")).toBe("孙*");
    expect(maskedName("Li Ming")).toBe("L***");
    expect(maskedName("")).toBe("*");
  });
  it("normalises typed and scanned codes", () => {
    expect(normalizeCode("abcd-2345")).toBe("ABCD2345");
    expect(normalizeCode("yishi-points:ABCD2345")).toBe("YISHIPOINTS:ABCD2345");
    expect(normalizeCode("https://x/redeem?code=abcd2345")).toBe("ABCD2345");
  });
});

describe("the offline queue", () => {
  const storage = (): QueueStorage & { data: Map<string, string> } => {
    const data = new Map<string, string>();
    return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
  };
  const item = (code: string) => ({ code, offerId: "o", organizationId: "m", scannedAt: "2026-12-01T00:00:00Z" });
  it("keeps a code once, survives garbage, stops at the first offline answer", async () => {
    const s = storage();
    enqueue(s, item("AAAA2222"));
    enqueue(s, item("AAAA2222"));
    enqueue(s, item("BBBB3333"));
    expect(loadQueue(s).map((q) => q.code)).toEqual(["AAAA2222", "BBBB3333"]);
    let online = false;
    const sent: string[] = [];
    const send = async (q: { code: string }) => {
      sent.push(q.code);
      return online ? ({ kind: "settled", body: {} } as const) : ({ kind: "offline" } as const);
    };
    expect(await flushQueue(s, send)).toBe(0);
    expect(loadQueue(s)).toHaveLength(2);
    online = true;
    expect(await flushQueue(s, send)).toBe(2);
    expect(loadQueue(s)).toHaveLength(0);
    expect(await flushQueue(s, send)).toBe(0);
    s.setItem("yishi.redemptionQueue", "{not json");
    expect(loadQueue(s)).toEqual([]);
  });
});

describe("a merchant's statement as CSV", () => {
  const st = {
    merchant: "幸福便民超市",
    month: "2026-12",
    total: 30,
    lines: [{ at: "2026-12-02 10:00", offer: "满50减5", points: 30, resident: "刘*国", code: "AB12CD34", reversed: false }],
  };
  it("is headed in the reader's language, with a BOM for Excel", () => {
    const zh = statementCsv(translator("zh-CN"), st);
    expect(zh.startsWith("\uFEFF时间,优惠,积分,居民,兑换码,已冲正\n")).toBe(true);
    expect(zh).toContain("合计,,30");
    const en = statementCsv(translator("en"), st);
    expect(en.startsWith("\uFEFFTime,Offer,Points,Resident,Code,Reversed\n")).toBe(true);
    expect(en).toContain("Total,,30");
  });
});
