import { handle } from "~/utils/api.server";
import { api } from "~/utils/api-contract";
import { lookup } from "~/utils/singleton.server";

type RoomsView = { size: number; connections: number };

export const loader = handle(api.health, async () => {
  const rooms = lookup<RoomsView>("rooms");
  return { status: "ok" as const, documentsLoaded: rooms?.size ?? 0, connections: rooms?.connections ?? 0, uptimeSeconds: Math.round(process.uptime()) };
});
export const action = loader;
