import { timingSafeEqual } from "node:crypto";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";
import { getUserId } from "~/utils/auth.server";
import { loadActor } from "~/utils/permissions.server";
import { env } from "~/utils/env.server";
import { realtimeStats } from "~/utils/realtime.server";

/** A monitoring system's bearer token (METRICS_TOKEN), compared in constant time. */
function hasMetricsToken(request: Request): boolean {
  const expected = env().METRICS_TOKEN;
  const given = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!expected || !given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The load of this process tells an attacker when an attack works: only staff and monitoring see it. */
async function maySeeLoad(request: Request): Promise<boolean> {
  if (hasMetricsToken(request)) return true;
  const userId = await getUserId(request).catch(() => null);
  const actor = userId ? await loadActor(userId) : null;
  return !!actor?.memberships.some((m) => m.role === "communityStaff");
}

export const loader = handle(api.health, async ({ request }) => {
  if (!(await maySeeLoad(request))) return { ok: true as const };
  const { documentsLoaded, connections } = realtimeStats();
  return { ok: true as const, documentsLoaded, connections, uptimeSeconds: Math.round(process.uptime()) };
});
export const action = loader;
