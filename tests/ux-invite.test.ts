// Issue 15: joining by invitation with a name and a phone number alone (no Latin username),
// against real SQLite; the person then signs in with the phone number.
import { beforeAll, describe, expect, it } from "vitest";
import { acceptInvite, createInvite } from "~/models/invite.server";
import { checkCredentials } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import { inviteAcceptSchema } from "~/utils/schemas";
import { actorOf, demo } from "./fixtures/demo";

let d: Awaited<ReturnType<typeof demo>>;
beforeAll(async () => {
  d = await demo();
});

describe("an invitation without a username", () => {
  it("accepts a name, a phone number and a password; a username is made up; the phone signs in", async () => {
    const form = { displayName: "李奶奶", username: "", phone: "13912345678", password: "绿地还给孩子们玩" };
    const parsed = inviteAcceptSchema.safeParse(form);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    const staff = await actorOf("staff");
    const { token } = await createInvite(d.council.communityId, staff.userId, { role: "resident", note: "", expiresInDays: 7, maxUses: 1 });
    const result = await acceptInvite(token!, { account: parsed.data! });
    expect(result).toMatchObject({ ok: true });
    const user = await prisma.user.findFirstOrThrow({ where: { phone: "13912345678" } });
    expect(user.displayName).toBe("李奶奶");
    expect(user.username).toMatch(/^[a-z0-9_.-]{3,32}$/);
    expect(await checkCredentials("13912345678", "绿地还给孩子们玩", "127.0.0.1")).toMatchObject({ ok: true });
  });

  it("still needs a way to sign in: a phone number or a username", () => {
    const none = inviteAcceptSchema.safeParse({ displayName: "王大爷", username: "", phone: "", password: "绿地还给孩子们玩" });
    expect(none.success).toBe(false);
    expect(none.error?.issues).toEqual([expect.objectContaining({ path: ["phone"], message: "errors.phoneOrUsernameRequired" })]);
    expect(inviteAcceptSchema.safeParse({ displayName: "王大爷", username: "wangdaye", password: "绿地还给孩子们玩" }).success).toBe(true);
    expect(inviteAcceptSchema.safeParse({ displayName: "王大爷", username: "王大爷", phone: "13912345679", password: "绿地还给孩子们玩" }).success).toBe(false);
  });
});
