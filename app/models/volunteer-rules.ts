// Pure rules of volunteer points (志愿服务积分): what a piece of service earns, how a yearly cap
// trims it, how many points expire, and how a merchant sees a resident's name. Table-tested in
// tests/volunteer-rules.test.ts; the ledger itself is app/models/ledger.server.ts.

import { POINTS_MODES } from "~/utils/volunteer-schemas";

export { POINTS_MODES };
export type PointsMode = (typeof POINTS_MODES)[number];

/** Minutes served: from check-in to check-out, never more than the activity lasts, never negative. */
export function minutesServed(checkedInAt: Date, checkedOutAt: Date, activity: { startsAt: Date; endsAt: Date }): number {
  const raw = Math.floor((checkedOutAt.getTime() - checkedInAt.getTime()) / 60_000);
  const length = Math.floor((activity.endsAt.getTime() - activity.startsAt.getTime()) / 60_000);
  return Math.max(0, Math.min(raw, length));
}

/** Points a piece of service earns before any cap: a flat amount, or a rate per hour served (rounded). */
export function pointsForService(mode: PointsMode, points: number, minutes: number): number {
  if (mode === "perActivity") return points;
  return Math.round((minutes * points) / 60);
}

/** What may still be issued this year under a cap (0 = no cap). */
export function capped(earned: number, issuedThisYear: number, yearlyCap: number): number {
  if (yearlyCap <= 0) return earned;
  return Math.max(0, Math.min(earned, yearlyCap - issuedThisYear));
}

/**
 * Points that expire now, first in first out: whatever was credited before the cutoff and has not
 * yet been used up by the account's debits (redemptions, reversals, earlier expiries), at most the
 * balance. Entries: the account's own, amount > 0 credits and < 0 debits.
 */
export function expiringPoints(entries: { amount: number; createdAt: Date }[], cutoff: Date): number {
  let creditedBefore = 0;
  let debited = 0;
  let balance = 0;
  for (const e of entries) {
    balance += e.amount;
    if (e.amount < 0) debited -= e.amount;
    else if (e.createdAt < cutoff) creditedBefore += e.amount;
  }
  return Math.max(0, Math.min(balance, creditedBefore - debited));
}

/** The cutoff for "older than N months" at `now` (same day of month, N months back). */
export function expiryCutoff(now: Date, months: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/** Beijing time (UTC+8, no daylight saving): the calendar year a moment falls in there. */
export function beijingYearStart(now: Date): Date {
  const year = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
  return new Date(Date.UTC(year, 0, 1) - 8 * 3600_000);
}

/** A Beijing calendar month "2026-12" as [from, to). */
export function beijingMonth(key: string): { from: Date; to: Date } | null {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  return { from: new Date(Date.UTC(y, mo, 1) - 8 * 3600_000), to: new Date(Date.UTC(y, mo + 1, 1) - 8 * 3600_000) };
}

/** The Beijing month key of a moment. */
export function beijingMonthOf(at: Date): string {
  const d = new Date(at.getTime() + 8 * 3600_000);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** What a merchant sees of a resident: the family name and a mask (刘建国 → 刘**, Li Ming → L***). */
export function maskedName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return "*";
  return chars[0] + "*".repeat(Math.max(1, Math.min(chars.length - 1, 3)));
}

/** Short codes avoid look-alike characters (0/O, 1/I/L) so they can be read out and typed. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const CODE_LENGTH = 8;
export const CODE_PATTERN = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/;

/** A typed or scanned code as stored: upper case, spaces and dashes dropped, or a code inside a scanned URL. */
export function normalizeCode(input: string): string {
  const fromUrl = /[?&]code=([A-Za-z0-9]+)/.exec(input);
  return (fromUrl ? fromUrl[1]! : input).replace(/[\s-]/g, "").toUpperCase();
}
