import { prisma } from "~/utils/db.server";
import { NotFound } from "~/utils/permissions.server";

export async function communityIdBySlug(slug: string): Promise<string> {
  const community = await prisma.community.findUnique({ where: { slug }, select: { id: true } });
  if (!community) throw new NotFound("community");
  return community.id;
}
