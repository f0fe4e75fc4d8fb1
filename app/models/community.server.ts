import type { z } from "zod";
import { prisma } from "~/utils/db.server";
import { InputRejected } from "~/utils/errors";
import { NotFound, requirePermission, type Actor } from "~/utils/permissions.server";
import type { communitySettingsSchema } from "~/utils/schemas";
import { CURRENT_SEAT } from "./seat-terms";

export async function communityIdBySlug(slug: string): Promise<string> {
  const community = await prisma.community.findUnique({ where: { slug }, select: { id: true } });
  if (!community) throw new NotFound("community");
  return community.id;
}

export async function communitySettings(actor: Actor, communityId: string) {
  requirePermission(actor, "community:view", { type: "community", communityId });
  const c = await prisma.community.findUniqueOrThrow({
    where: { id: communityId },
    select: {
      coSignThreshold: true,
      councils: { select: { id: true, name: true, quorumRatio: true, quorumInclusive: true, _count: { select: { seats: { where: CURRENT_SEAT } } } } },
      categories: { orderBy: { position: "asc" }, select: { key: true, nameZh: true, nameEn: true, archived: true } },
    },
  });
  return {
    coSignThreshold: c.coSignThreshold,
    councils: c.councils.map(({ _count, ...council }) => ({ ...council, seats: _count.seats })),
    categories: c.categories,
  };
}

/** Staff configure their community: the co-sign threshold, a council's quorum, the topic categories. */
export async function updateCommunitySettings(actor: Actor, communityId: string, input: z.infer<typeof communitySettingsSchema>) {
  requirePermission(actor, "community:configure", { type: "community", communityId });
  if (input.council && !(await prisma.council.findFirst({ where: { id: input.council.councilId, communityId }, select: { id: true } })))
    throw new InputRejected("council.councilId", "errors.councilInvalid");
  await prisma.$transaction(async (tx) => {
    if (input.coSignThreshold !== undefined) await tx.community.update({ where: { id: communityId }, data: { coSignThreshold: input.coSignThreshold } });
    if (input.council)
      await tx.council.update({ where: { id: input.council.councilId }, data: { quorumRatio: input.council.quorumRatio, quorumInclusive: input.council.quorumInclusive } });
    if (input.categories) {
      const keys = input.categories.map((c) => c.key);
      await tx.topicCategory.updateMany({ where: { communityId, key: { notIn: keys } }, data: { archived: true } });
      for (const [position, c] of input.categories.entries())
        await tx.topicCategory.upsert({
          where: { communityId_key: { communityId, key: c.key } },
          create: { communityId, ...c, position },
          update: { nameZh: c.nameZh, nameEn: c.nameEn, archived: c.archived, position },
        });
    }
  });
  return communitySettings(actor, communityId);
}
