import { scheduleSession } from "~/models/session.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.createSession, async ({ actor, body }) => {
  const s = await scheduleSession(actor!, body);
  return { id: s.id, title: s.title, scheduledAt: s.scheduledAt.toISOString() };
});
export const loader = action;
