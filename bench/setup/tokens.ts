// Fallback only: when the server has no POST /api/v1/auth/token, mint bearer
// tokens straight into the bench database with the app's own helper.
//   tsx bench/setup/tokens.ts <out.json> <username>...
import { writeFileSync } from "node:fs";
import { createApiToken } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";

const [out, ...usernames] = process.argv.slice(2);
if (!out || usernames.length === 0) throw new Error("usage: tokens.ts <out.json> <username>...");
const tokens: Record<string, string> = {};
for (const username of usernames) {
  const user = await prisma.user.findUniqueOrThrow({ where: { username }, select: { id: true } });
  tokens[username] = (await createApiToken(user.id, "bench", 1)).token;
}
writeFileSync(out, JSON.stringify(tokens));
await prisma.$disconnect();
