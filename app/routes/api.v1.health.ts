import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";
import { realtimeStats } from "~/utils/realtime.server";

export const loader = handle(api.health, async () => {
  const { documentsLoaded, connections } = realtimeStats();
  return { status: "ok" as const, documentsLoaded, connections, uptimeSeconds: Math.round(process.uptime()) };
});
export const action = loader;
