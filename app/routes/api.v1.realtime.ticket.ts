import { handle } from "~/utils/api.server";
import { api } from "~/utils/api-contract";
import { createRealtimeTicket } from "~/utils/auth.server";
import { LIMITS, RateLimited, limitUser, rateLimitMessage, tooManyRequests } from "~/utils/rate-limit.server";

export const action = handle(api.realtimeTicket, async ({ actor, request }) => {
  try {
    await limitUser("realtime-ticket", actor!.userId, LIMITS.realtimeTickets);
  } catch (error) {
    if (error instanceof RateLimited) return tooManyRequests(error.retryAfterSec, rateLimitMessage(request, error));
    throw error;
  }
  const { ticket, expiresAt } = await createRealtimeTicket(actor!.userId);
  return { ticket, expiresAt: expiresAt.toISOString() };
});
export const loader = action;
