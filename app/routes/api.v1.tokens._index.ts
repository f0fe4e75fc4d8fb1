import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";
import { listApiTokens } from "~/utils/auth.server";

export const loader = handle(api.listTokens, async ({ actor }) => ({
  tokens: (await listApiTokens(actor!.userId)).map((t) => ({ ...t, createdAt: t.createdAt.toISOString(), expiresAt: t.expiresAt.toISOString() })),
}));
export const action = loader;
