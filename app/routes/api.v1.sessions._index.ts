import { listSessions, scheduleSession } from "~/models/session.server";
import { byMethod, handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = byMethod({
  POST: handle(api.createSession, async ({ actor, body }) => {
    const s = await scheduleSession(actor!, body);
    return { id: s.id, title: s.title, scheduledAt: s.scheduledAt.toISOString() };
  }),
});
export const loader = handle(api.listSessions, async ({ actor, query }) => listSessions(actor!, query));
