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
      memberships: {
        where: ACTIVE_MEMBERSHIP,
        select: {
          role: true,
          actsForOrganization: true,
          community: { select: { id: true, slug: true, name: true } },
          organization: { select: { id: true, name: true } },
          gridId: true,
          buildingId: true,
          unitId: true,
          householdId: true,
          grid: { select: { name: true } },
          building: { select: { name: true } },
          unit: { select: { name: true } },
          household: { select: { name: true } },
        },
      },
      seats: { where: CURRENT_SEAT, select: { constituency: true, council: { select: { id: true, name: true } } } },
      district: { select: { id: true, name: true, city: true, communities: { orderBy: { name: "asc" }, select: { slug: true } } } },
    },
  });
  const communities = new Map<string, { id: string; slug: string; name: string; roles: Role[] }>();
  for (const m of user.memberships)
    (communities.get(m.community.id) ?? communities.set(m.community.id, { ...m.community, roles: [] }).get(m.community.id)!).roles.push(m.role as Role);
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    locale: user.locale,
    memberships: user.memberships.map((m) => ({
      communityId: m.community.id,
      communitySlug: m.community.slug,
      communityName: m.community.name,
      role: m.role as Role,
      organization: m.organization ? { ...m.organization, actsForOrganization: m.actsForOrganization } : null,
      place:
        m.gridId || m.buildingId || m.unitId || m.householdId
          ? {
              gridId: m.gridId,
              buildingId: m.buildingId,
              unitId: m.unitId,
              householdId: m.householdId,
              label: [m.grid?.name, m.building?.name, m.unit?.name, m.household?.name].filter(Boolean).join(" / "),
            }
          : null,
    })),
    communities: [...communities.values()],
    seats: user.seats.map((s) => ({ councilId: s.council.id, councilName: s.council.name, constituency: s.constituency as Constituency })),
    superUser: !!user.district,
    district: user.district
      ? { id: user.district.id, name: user.district.name, city: user.district.city, communities: user.district.communities.map((c) => c.slug) }
      : null,
  };
});
export const action = loader;
