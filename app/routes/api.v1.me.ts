import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";
import { prisma } from "~/utils/db.server";
import { ACTIVE_MEMBERSHIP } from "~/utils/permissions.server";
import { CURRENT_SEAT } from "~/models/seat-terms";
import type { Constituency, Role } from "~/utils/domain";

export const loader = handle(api.me, async ({ actor }) => {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: actor!.userId },
    select: {
      id: true,
      username: true,
      displayName: true,
      locale: true,
      memberships: { where: ACTIVE_MEMBERSHIP, select: { role: true, community: { select: { id: true, name: true } } } },
      seats: { where: CURRENT_SEAT, select: { constituency: true, council: { select: { id: true, name: true } } } },
    },
  });
  return {
    ...user,
    memberships: user.memberships.map((m) => ({ communityId: m.community.id, communityName: m.community.name, role: m.role as Role })),
    seats: user.seats.map((s) => ({ councilId: s.council.id, councilName: s.council.name, constituency: s.constituency as Constituency })),
  };
});
export const action = loader;
