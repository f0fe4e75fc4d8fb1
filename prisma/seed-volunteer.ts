// Demo data of volunteer service and points (issue 18): a team led by 孙秀兰 (resident2) with
// 刘建国 (resident1) as a member, an activity tomorrow at building 5, a partner merchant with two
// offers and its staff account `shop`, and 刘建国's points from an earlier service.
import { accountId, inLedger, post } from "~/models/ledger.server";
import { hashPassword } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";

export const MERCHANT_USER = { username: "shop", phone: "13800000012", displayName: "马丽（幸福便民超市）" };

export async function seedVolunteerDemo(communityId: string, users: Record<string, string>, password: string): Promise<void> {
  const building5 = await prisma.building.findFirst({ where: { communityId, name: "5号楼" }, select: { id: true, gridId: true } });
  await prisma.volunteerRules.create({ data: { communityId, pointsMode: "perHour", pointsPerUnit: 10, yearlyCap: 2000, expiryMonths: 24 } });
  const team = await prisma.volunteerTeam.create({
    data: {
      communityId,
      name: "幸福里志愿服务队",
      members: {
        create: [
          { userId: users.resident2!, role: "leader" },
          { userId: users.resident1!, role: "member" },
        ],
      },
    },
  });
  const start = new Date(Date.now() + 86400_000);
  start.setUTCHours(1, 0, 0, 0); // 09:00 Beijing time
  await prisma.volunteerActivity.create({
    data: {
      communityId,
      teamId: team.id,
      title: "5号楼院落卫生清扫",
      description: "清理5号楼前草坪和楼道杂物，工具由社区提供。",
      placeId: building5?.id ?? null,
      placeName: "5号楼",
      gridId: building5?.gridId ?? null,
      buildingId: building5?.id ?? null,
      startsAt: start,
      endsAt: new Date(start.getTime() + 2 * 3600_000),
      capacity: 8,
      pointsMode: "perHour",
      points: 10,
      createdById: users.resident2!,
    },
  });
  const shop = await prisma.organization.create({ data: { communityId, kind: "merchant", name: "幸福便民超市" } });
  await prisma.merchantOffer.createMany({
    data: [
      { communityId, organizationId: shop.id, title: "鸡蛋一盒", points: 30 },
      { communityId, organizationId: shop.id, title: "理发九折", points: 20 },
    ],
  });
  await prisma.user.create({
    data: {
      ...MERCHANT_USER,
      passwordHash: await hashPassword(password),
      memberships: { create: [{ communityId, role: "resident", organizationId: shop.id, actsForOrganization: true }] },
    },
  });
  // 刘建国 accompanied an elderly neighbour to hospital last month: 40 points, issued as a leader's confirmation would.
  await inLedger(async (tx) => {
    const issuance = await accountId(tx, communityId, "issuance");
    const resident = await accountId(tx, communityId, "resident", users.resident1!);
    await post(tx, {
      communityId,
      kind: "issue",
      memo: "陪同独居老人就医",
      createdById: users.resident2!,
      lines: [
        { accountId: issuance, amount: -40, gridId: building5?.gridId ?? null },
        { accountId: resident, amount: 40, gridId: building5?.gridId ?? null },
      ],
    });
  });
}

/** The volunteer rows, children first, for the seed's wipe (they carry community ids without a foreign key). */
export function wipeVolunteerRows() {
  return [
    prisma.redemption.deleteMany(),
    prisma.redemptionCode.deleteMany(),
    prisma.pointEntry.deleteMany(),
    prisma.pointTransaction.deleteMany(),
    prisma.pointAccount.deleteMany(),
    prisma.merchantOffer.deleteMany(),
    prisma.volunteerSignup.deleteMany(),
    prisma.volunteerActivity.deleteMany(),
    prisma.volunteerTeam.deleteMany(),
    prisma.volunteerRules.deleteMany(),
  ];
}
