// The pieces behind sign-in limits, tokens, passwords and uploads, on this file's own
// migrated SQLite database (tests/setup.ts): no mocks.
import { png } from "./fixtures/png";
import { describe, expect, it } from "vitest";
import { prisma } from "~/utils/db.server";
import { authenticate, consumeRealtimeTicket, createApiToken, createRealtimeTicket } from "~/utils/auth.server";
import { LIMITS, addressKey, hit } from "~/utils/rate-limit.server";
import { newPasswordSchema } from "~/utils/schemas";
import { UploadRejected, encodePhotos } from "~/utils/uploads.server";
import { CHECK_IN_GRACE_MS, CHECK_IN_ROTATE_MS, assertRotatingCheckInToken, rotatingCheckInLink } from "~/models/check-in-link.server";
import { onRightsChanged, type RightsChange } from "~/utils/rights.server";
import { identify, lastingCredentials, revokeApiToken } from "~/utils/auth.server";
import { actorOf, demo } from "./fixtures/demo";

describe("the rate limiter", () => {
  it("counts parallel hits exactly (one atomic increment each)", async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => hit("test:parallel", { limit: 30, windowMs: 60_000 })));
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(results.filter((r) => r.ok)).toHaveLength(30);
    expect((await prisma.rateLimit.findUniqueOrThrow({ where: { key: "test:parallel" } })).count).toBe(40);
  });

  it("prunes expired rows as new windows open", async () => {
    const past = new Date(Date.now() - 1000);
    await prisma.rateLimit.createMany({ data: Array.from({ length: 50 }, (_, i) => ({ key: `test:old-${i}`, count: 3, resetAt: past })) });
    await hit("test:fresh", { limit: 5, windowMs: 60_000 });
    expect(await prisma.rateLimit.count({ where: { resetAt: { lte: new Date() } } })).toBe(0);
    expect(await prisma.rateLimit.count({ where: { key: "test:fresh" } })).toBe(1);
  });

  it("counts an IPv6 client by its /64", () => {
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe(addressKey("2001:0db8:0001:0002:ffff:1:2:3"));
    expect(addressKey("::ffff:203.0.113.5")).toBe("203.0.113.5");
  });
});

describe("new passwords", () => {
  it("refuses short, blank and common ones, and accepts a passphrase", () => {
    const issue = (p: string) => newPasswordSchema.safeParse(p).error?.issues[0]?.message;
    expect(issue("12345678")).toBe("errors.passwordTooCommon");
    expect(issue("password")).toBe("errors.passwordTooCommon");
    expect(issue("PassWord1")).toBe("errors.passwordTooCommon");
    expect(issue("woaini1314")).toBe("errors.passwordTooCommon");
    expect(issue("        ")).toBe("errors.passwordTooShort");
    expect(issue(" abc 123 ")).toBe("errors.passwordTooShort");
    expect(issue("门口停车太乱了要管")).toBeUndefined();
    expect(issue("correct horse battery")).toBeUndefined();
  });
});

describe("tokens and tickets", () => {
  it("refuses an expired API token", async () => {
    const { users } = await demo();
    const { token } = await createApiToken(users.staff!, "old", 1);
    expect(await authenticate({ token })).toBe(users.staff);
    await prisma.apiToken.updateMany({ where: { name: "old" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await authenticate({ token })).toBeNull();
  });

  it("lets exactly one of several parallel uses of a ticket through, and none after 60 s", async () => {
    const { users } = await demo();
    const { token } = await createApiToken(users.staff!, "ticket-parent", 1);
    const parent = (await identify({ token }))!;
    const { ticket } = await createRealtimeTicket(parent);
    const results = await Promise.all(Array.from({ length: 10 }, () => consumeRealtimeTicket(ticket)));
    expect(results.filter((r) => r?.userId === users.staff)).toHaveLength(1);
    const late = await createRealtimeTicket(parent);
    await prisma.realtimeTicket.updateMany({ data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await authenticate({ ticket: late.ticket })).toBeNull();
  });

  it("keeps what a ticket was issued from for later re-checks, so revoking that token ends the connection", async () => {
    const { users } = await demo();
    const { token } = await createApiToken(users.grid1!, "ticket-parent-2", 1);
    const parent = (await identify({ token }))!;
    const { ticket } = await createRealtimeTicket(parent);
    const credentials = { ticket };
    const first = (await identify(credentials))!;
    const kept = lastingCredentials(credentials, first);
    expect(kept).toEqual({ grant: parent.grant });
    expect((await identify(kept))?.userId).toBe(users.grid1); // a re-check does not need the spent ticket
    expect(await identify(credentials)).toBeNull(); // the ticket itself is spent
    await revokeApiToken(users.grid1!, (parent.grant as { apiTokenId: string }).apiTokenId);
    expect(await identify(kept)).toBeNull();
  });
});

describe("rights change on revocation", () => {
  it("tells the realtime layer about the person (sign-out does it in app/routes/logout.tsx)", async () => {
    const { users } = await demo();
    const seen: RightsChange[] = [];
    const stop = onRightsChanged((c) => void seen.push(c));
    try {
      await createApiToken(users.grid1!, "to-revoke", 1);
      const row = await prisma.apiToken.findFirstOrThrow({ where: { name: "to-revoke" } });
      expect(await revokeApiToken(users.staff!, row.id)).toBe(false); // not theirs
      expect(seen).toEqual([]);
      expect(await revokeApiToken(users.grid1!, row.id)).toBe(true);
      expect(seen).toEqual([{ userId: users.grid1 }]);
    } finally {
      stop();
    }
  });
});

describe("the check-in QR link", () => {
  it("changes every minute and lives at most three minutes", async () => {
    const { session } = await demo();
    const staff = await actorOf("staff");
    const t0 = Date.UTC(2026, 11, 4, 6, 30, 10);
    const a = await rotatingCheckInLink(staff, session.id, "http://x", t0);
    const b = await rotatingCheckInLink(staff, session.id, "http://x", t0 + 40_000);
    const c = await rotatingCheckInLink(staff, session.id, "http://x", t0 + CHECK_IN_ROTATE_MS);
    expect(b.url).toBe(a.url); // the same minute
    expect(c.url).not.toBe(a.url);
    expect(new Date(a.expiresAt).getTime()).toBe(Date.UTC(2026, 11, 4, 6, 31, 0) + CHECK_IN_GRACE_MS);
    const token = new URL(a.url).searchParams.get("t")!;
    expect(() => assertRotatingCheckInToken(token, t0)).not.toThrow();
    expect(() => assertRotatingCheckInToken(`${t0 + 6 * 3600_000}.sig`, t0)).toThrow();
  });
});

describe("photos", () => {
  it("refuses a 1 × 64 000 000 pixel PNG from its header, at once", async () => {
    const bomb = png(1, 64_000_000);
    expect(bomb.size).toBeLessThan(400_000);
    const started = Date.now();
    const error = await encodePhotos([bomb]).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(error).toBeInstanceOf(UploadRejected);
    expect((error as UploadRejected).key).toBe("errors.photoTooManyPixels");
  }, 30_000);

  it("still takes an ordinary photo", async () => {
    const [photo] = await encodePhotos([png(800, 600)]);
    expect(photo!.width).toBe(800);
  });

  it("limits how many photos one person uploads per hour", async () => {
    const { users } = await demo();
    const nine = Array.from({ length: 9 }, () => png(16, 16));
    const batches = Math.floor(LIMITS.uploads.limit / 9);
    for (let i = 0; i < batches; i++) await encodePhotos(nine, users.resident1);
    const error = await encodePhotos(nine, users.resident1).catch((e: unknown) => e);
    expect((error as UploadRejected).key).toBe("errors.rateLimited");
    // Someone else is not affected.
    expect(await encodePhotos([png(16, 16)], users.resident2)).toHaveLength(1);
  }, 30_000);
});
