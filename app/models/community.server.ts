import type { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import { prisma } from "~/utils/db.server";
import { InputRejected } from "~/utils/errors";
import { communityBySlug, requirePermission, type Actor } from "~/utils/permissions.server";
import type { communitySettingsSchema } from "~/utils/schemas";
import { audit } from "./audit.server";
import { CURRENT_SEAT } from "./seat-terms";

export async function communityIdBySlug(slug: string): Promise<string> {
  return (await communityBySlug(slug)).id;
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

/** The settings as the audit log records them. */
async function settingsRecord(tx: Prisma.TransactionClient, communityId: string) {
  const c = await tx.community.findUniqueOrThrow({
    where: { id: communityId },
    select: {
      coSignThreshold: true,
      councils: { orderBy: { createdAt: "asc" }, select: { id: true, quorumRatio: true, quorumInclusive: true } },
      categories: { orderBy: { position: "asc" }, select: { key: true, nameZh: true, nameEn: true, archived: true } },
    },
  });
  return { coSignThreshold: c.coSignThreshold, councils: c.councils, categories: c.categories };
}

/** Staff configure their community: the co-sign threshold, a council's quorum, the topic categories. */
export async function updateCommunitySettings(actor: Actor, communityId: string, input: z.infer<typeof communitySettingsSchema>) {
  requirePermission(actor, "community:configure", { type: "community", communityId });
  if (input.council && !(await prisma.council.findFirst({ where: { id: input.council.councilId, communityId }, select: { id: true } })))
    throw new InputRejected("council.councilId", "errors.councilInvalid");
  await prisma.$transaction(async (tx) => {
    const before = await settingsRecord(tx, communityId);
    if (input.coSignThreshold !== undefined) await tx.community.update({ where: { id: communityId }, data: { coSignThreshold: input.coSignThreshold } });
    if (input.council)
      await tx.council.update({
        where: { id: input.council.councilId },
        data: { quorumRatio: input.council.quorumRatio, quorumInclusive: input.council.quorumInclusive },
      });
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
    const after = await settingsRecord(tx, communityId);
    // Only what changed: a save that changes nothing leaves no entry.
    const changed = Object.keys(after).filter((k) => JSON.stringify(before[k as keyof typeof before]) !== JSON.stringify(after[k as keyof typeof after]));
    if (changed.length > 0)
      await audit(tx, {
        communityId,
        actor,
        action: "settings.update",
        before: Object.fromEntries(changed.map((k) => [k, before[k as keyof typeof before]])),
        after: Object.fromEntries(changed.map((k) => [k, after[k as keyof typeof after]])),
      });
  });
  return communitySettings(actor, communityId);
}
