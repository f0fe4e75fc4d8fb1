// The street office (街道) and its super-users (docs/decisions/0009-district-super-user.md):
// they create the district's communities with their first staff and oversee every community
// linked to the district. A community's own staff never see beyond their community.
import { DEFAULT_CATEGORIES } from "~/models/topic-states";
import { hashPassword } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import { InputRejected, Refusal } from "~/utils/errors";
import { ACTIVE_MEMBERSHIP, requirePermission, type Actor } from "~/utils/permissions.server";
import type { CommunityCreateInput } from "~/utils/places-schemas";
import { rightsChanged } from "~/utils/rights.server";
import { audit } from "./audit.server";

/** Only a street office's super-user has a district page; anyone else gets 403. */
function districtOf(actor: Actor) {
  if (!actor.district) throw new Refusal(403, "errors.notDistrictUser");
  return actor.district;
}

/** The super-user's district and its communities, with their staff. */
export async function districtOverview(actor: Actor) {
  const { id } = districtOf(actor);
  const district = await prisma.district.findUniqueOrThrow({
    where: { id },
    select: {
      id: true,
      name: true,
      city: true,
      communities: {
        orderBy: { name: "asc" },
        select: {
          id: true,
          slug: true,
          name: true,
          district: true,
          city: true,
          createdAt: true,
          memberships: { where: { role: "communityStaff", ...ACTIVE_MEMBERSHIP }, select: { user: { select: { id: true, displayName: true } } } },
          _count: { select: { memberships: { where: ACTIVE_MEMBERSHIP } } },
        },
      },
    },
  });
  return {
    district: { id: district.id, name: district.name, city: district.city },
    communities: district.communities.map((c) => ({
      id: c.id,
      slug: c.slug,
      name: c.name,
      district: c.district,
      city: c.city,
      createdAt: c.createdAt.toISOString(),
      staff: c.memberships.map((m) => ({ userId: m.user.id, displayName: m.user.displayName })),
      memberships: c._count.memberships,
    })),
  };
}

/**
 * Creates a community of the super-user's district (with the default topic categories and a
 * council) and its first staff member (also the council's chair): a new account, or an existing
 * person found by username or phone. One transaction; audited in the new community.
 */
export async function createCommunity(actor: Actor, input: CommunityCreateInput) {
  const { id: districtId } = districtOf(actor);
  requirePermission(actor, "district:manage", { type: "district", districtId });
  const passwordHash = input.staffMode === "new" ? await hashPassword(input.password) : null;
  const result = await prisma.$transaction(async (tx) => {
    const district = await tx.district.findUniqueOrThrow({ where: { id: districtId }, select: { name: true, city: true } });
    if (await tx.community.findUnique({ where: { slug: input.slug }, select: { id: true } })) throw new InputRejected("slug", "errors.slugTaken");
    let staff: { id: string; displayName: string };
    if (input.staffMode === "new") {
      if (await tx.user.findUnique({ where: { username: input.username }, select: { id: true } })) throw new InputRejected("username", "errors.usernameTaken");
      if (input.phone && (await tx.user.findUnique({ where: { phone: input.phone }, select: { id: true } })))
        throw new InputRejected("phone", "errors.phoneTaken");
      staff = await tx.user.create({
        data: { username: input.username, phone: input.phone, displayName: input.displayName, passwordHash: passwordHash! },
        select: { id: true, displayName: true },
      });
    } else {
      const who = input.staffIdentifier.toLowerCase();
      const found = await tx.user.findFirst({ where: { OR: [{ username: who }, { phone: who }] }, select: { id: true, displayName: true } });
      if (!found) throw new InputRejected("staffIdentifier", "errors.userUnknown");
      staff = found;
    }
    const community = await tx.community.create({
      data: { slug: input.slug, name: input.communityName, district: district.name, city: district.city, districtId },
      select: { id: true, slug: true, name: true },
    });
    await tx.topicCategory.createMany({ data: DEFAULT_CATEGORIES.map((cat, i) => ({ communityId: community.id, ...cat, position: i })) });
    const council = await tx.council.create({ data: { communityId: community.id, name: `${input.communityName}议事会` }, select: { id: true, name: true } });
    await tx.membership.createMany({
      data: [
        { communityId: community.id, userId: staff.id, role: "communityStaff" },
        { communityId: community.id, userId: staff.id, role: "chair" },
      ],
    });
    await audit(tx, {
      communityId: community.id,
      actor,
      action: "community.create",
      subject: { id: community.id, name: community.name },
      before: null,
      after: { slug: community.slug, name: community.name, district: district.name, city: district.city, council: council.name },
    });
    await audit(tx, {
      communityId: community.id,
      actor,
      action: "role.grant",
      subject: { id: staff.id, name: staff.displayName },
      before: { roles: [] },
      after: { roles: ["communityStaff", "chair"], newAccount: input.staffMode === "new" },
    });
    return { community, council, staff };
  });
  await rightsChanged({ userId: result.staff.id });
  return {
    id: result.community.id,
    slug: result.community.slug,
    name: result.community.name,
    council: result.council,
    staff: { userId: result.staff.id, displayName: result.staff.displayName },
  };
}

/**
 * For `npm run setup -- --district-admin`: the district (found or made by city and name), its
 * existing communities of the same district and city linked to it, and the super-user (a new
 * account, or an existing username made super-user).
 */
export async function createDistrictSuperUser(input: {
  district: string;
  city: string;
  username: string;
  displayName: string;
  phone?: string;
  password: string | null;
}): Promise<{ userId: string; districtId: string; created: boolean; linked: number }> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return prisma.$transaction(async (tx) => {
    const district = await tx.district.upsert({
      where: { city_name: { city: input.city, name: input.district } },
      create: { name: input.district, city: input.city },
      update: {},
      select: { id: true },
    });
    const linked = await tx.community.updateMany({
      where: { districtId: null, district: input.district, city: input.city },
      data: { districtId: district.id },
    });
    const existing = await tx.user.findUnique({ where: { username: input.username }, select: { id: true } });
    if (existing) {
      await tx.user.update({ where: { id: existing.id }, data: { districtId: district.id } });
      return { userId: existing.id, districtId: district.id, created: false, linked: linked.count };
    }
    if (!passwordHash) throw new Error("a password is needed for a new account");
    const user = await tx.user.create({
      data: { username: input.username, displayName: input.displayName, phone: input.phone, passwordHash, districtId: district.id },
      select: { id: true },
    });
    return { userId: user.id, districtId: district.id, created: true, linked: linked.count };
  });
}

/**
 * For `npm run setup -- --deployment-overseer`: the person who reads the whole deployment's
 * dashboard (every street office). An existing --username is made (or, with revoke, unmade)
 * overseer with their password unchanged; otherwise a new account. It gives nothing but that view.
 */
export async function setDeploymentOverseer(input: {
  username: string;
  displayName: string;
  phone?: string;
  password: string | null;
  revoke?: boolean;
}): Promise<{ userId: string; created: boolean }> {
  const existing = await prisma.user.findUnique({ where: { username: input.username }, select: { id: true } });
  if (existing) {
    await prisma.user.update({ where: { id: existing.id }, data: { overseesDeployment: !input.revoke } });
    return { userId: existing.id, created: false };
  }
  if (input.revoke) throw new Error(`no account ${input.username}`);
  if (!input.password) throw new Error("a password is needed for a new account");
  const user = await prisma.user.create({
    data: {
      username: input.username,
      displayName: input.displayName,
      phone: input.phone || null,
      passwordHash: await hashPassword(input.password),
      overseesDeployment: true,
    },
    select: { id: true },
  });
  return { userId: user.id, created: true };
}
