// First-run setup: a real install starts with no account at all (the demo, with its
// published password, exists only when asked for: YISHI_DEMO=1). The first person
// creates the community and their community-staff account at /setup, proving with a
// one-time code printed in the server's log that they run the server; a stranger who
// reaches the page first cannot claim the site. `npm run setup` does the same from a shell.
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { DEFAULT_CATEGORIES } from "~/models/topic-states";
import { hashPassword, hashToken } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import { audit } from "./audit.server";
import type { setupSchema } from "~/utils/schemas";

export type SetupInput = Omit<z.infer<typeof setupSchema>, "code">;

/** True while no account exists. */
export async function needsSetup(): Promise<boolean> {
  return (await prisma.user.findFirst({ select: { id: true } })) === null;
}

/** A new one-time code (each process starting on an empty database adds its own); only its hash is stored. */
export async function issueSetupCode(): Promise<string> {
  const raw = randomBytes(10).toString("base64url").replace(/[-_]/g, "x").slice(0, 12).toUpperCase();
  const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}`;
  await prisma.setupCode.create({ data: { codeHash: hashToken(normalize(code)) } });
  return code;
}

function normalize(code: string): string {
  return code.trim().toUpperCase();
}

export class SetupRefused extends Error {
  constructor(
    readonly key: "errors.setupCodeInvalid" | "errors.setupDone" | "errors.slugTaken",
    readonly field = "_form",
  ) {
    super(key);
  }
}

/**
 * Creates the community (default topic categories and a council) and its first
 * community-staff account (also the chair). `code` is required from the web page; the CLI,
 * run by someone with the server's shell, passes null. The claim (deleting the code) and the
 * "no account yet" check are in one transaction, so two racing attempts cannot both succeed.
 */
export async function createFirstAccount(input: SetupInput, code: string | null): Promise<{ userId: string; communityId: string }> {
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    if (code !== null) {
      const claimed = await tx.setupCode.deleteMany({ where: { codeHash: hashToken(normalize(code)) } });
      if (claimed.count !== 1)
        throw new SetupRefused((await tx.user.findFirst({ select: { id: true } })) ? "errors.setupDone" : "errors.setupCodeInvalid", "code");
    }
    if (await tx.user.findFirst({ select: { id: true } })) throw new SetupRefused("errors.setupDone");
    await tx.setupCode.deleteMany({});
    if (await tx.community.findUnique({ where: { slug: input.slug }, select: { id: true } })) throw new SetupRefused("errors.slugTaken", "slug");
    const community = await tx.community.create({ data: { slug: input.slug, name: input.communityName, city: input.city, district: input.district } });
    await tx.topicCategory.createMany({ data: DEFAULT_CATEGORIES.map((cat, i) => ({ communityId: community.id, ...cat, position: i })) });
    await tx.council.create({ data: { communityId: community.id, name: `${input.communityName}议事会` } });
    const user = await tx.user.create({
      data: {
        username: input.username,
        phone: input.phone,
        displayName: input.displayName,
        passwordHash,
        memberships: {
          create: [
            { communityId: community.id, role: "communityStaff" },
            { communityId: community.id, role: "chair" },
          ],
        },
      },
      select: { id: true },
    });
    // The log starts with the first roles: given at setup, by the person who ran it.
    const self = { id: user.id, name: input.displayName };
    await audit(tx, {
      communityId: community.id,
      actor: { userId: self.id, displayName: self.name },
      action: "role.grant",
      subject: self,
      before: { roles: [] },
      after: { roles: ["communityStaff", "chair"], setup: true },
    });
    return { userId: user.id, communityId: community.id };
  });
}
