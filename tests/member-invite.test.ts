// A member staff deactivated cannot come back through an invite link (issue 11):
// the model against real SQLite, for a signed-in person accepting a link (the page's path).
import { beforeAll, describe, expect, it } from "vitest";
import { createInvite, acceptInvite } from "~/models/invite.server";
import { setMemberActive } from "~/models/member.server";
import { prisma } from "~/utils/db.server";
import { actorOf, demo } from "./fixtures/demo";

let d: Awaited<ReturnType<typeof demo>>;
beforeAll(async () => {
  d = await demo();
});

describe("an invite link and a deactivated member", () => {
  it("is refused, spends no use and grants nothing; once reactivated, the same link grants the role and the log says so", async () => {
    const staff = await actorOf("staff");
    const communityId = d.council.communityId;
    const resident3 = d.users.resident3!;
    const created = await createInvite(communityId, staff.userId, { role: "unitHead", note: "", expiresInDays: 7, maxUses: 1 });
    if (!created.token || !created.invite) throw new Error("no invite");
    const { token, invite } = created;
    await setMemberActive(staff, communityId, resident3, false);

    expect(await acceptInvite(token, { userId: resident3 })).toEqual({ ok: false, errors: { _form: "errors.memberDeactivated" } });
    expect(await prisma.membership.findMany({ where: { userId: resident3, communityId }, select: { role: true, deactivatedAt: true } })).toEqual([
      { role: "resident", deactivatedAt: expect.any(Date) },
    ]);
    expect((await prisma.invite.findUniqueOrThrow({ where: { id: invite.id } })).uses).toBe(0);

    await setMemberActive(staff, communityId, resident3, true);
    expect(await acceptInvite(token, { userId: resident3 })).toEqual({ ok: true, userId: resident3 });
    const last = await prisma.auditEntry.findFirstOrThrow({ where: { communityId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    expect(last).toEqual(expect.objectContaining({ action: "role.grant", actorId: resident3, subjectId: resident3 }));
    expect(JSON.parse(last.after)).toEqual({ roles: ["resident", "unitHead"], invite: invite.id });
  });
});
