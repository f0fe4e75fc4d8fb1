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
      memberships: { where: ACTIVE_MEMBERSHIP, select: { role: true, community: { select: { id: true, slug: true, name: true } } } },
      seats: { where: CURRENT_SEAT, select: { constituency: true, council: { select: { id: true, name: true } } } },
    },
  });
  const communities = new Map<string, { id: string; slug: string; name: string; roles: Role[] }>();
  for (const m of user.memberships)
    (communities.get(m.community.id) ?? communities.set(m.community.id, { ...m.community, roles: [] }).get(m.community.id)!).roles.push(m.role as Role);
  return {
    ...user,
    memberships: user.memberships.map((m) => ({
      communityId: m.community.id,
      communitySlug: m.community.slug,
      communityName: m.community.name,
      role: m.role as Role,
    })),
    communities: [...communities.values()],
    seats: user.seats.map((s) => ({ councilId: s.council.id, councilName: s.council.name, constituency: s.constituency as Constituency })),
  };
});
export const action = loader;
