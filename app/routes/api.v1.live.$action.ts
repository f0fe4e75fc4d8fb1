import type { ActionFunctionArgs } from "@remix-run/node";
import { LIVE_ACTIONS, type LiveActionName } from "~/models/live-actions.server";
import { handle, unknownEndpoint } from "~/utils/api.server";
import { liveEndpoints } from "~/api/contract";

const handlers = Object.fromEntries(
  Object.entries(liveEndpoints).map(([name, e]) => [
    name,
    handle(e, async ({ actor, body }) => {
      const result = await (LIVE_ACTIONS[name as LiveActionName].run as (a: typeof actor, i: unknown) => Promise<unknown>)(actor!, body);
      return { ok: true, ...(result && typeof result === "object" ? result : {}) };
    }),
  ]),
);

export async function action(args: ActionFunctionArgs) {
  const run = handlers[args.params.action ?? ""];
  return run ? run(args) : unknownEndpoint(args.request);
}
export const loader = action;
