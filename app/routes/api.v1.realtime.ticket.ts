import { ApiError, handle } from "~/utils/api.server";
import { api } from "~/api/contract";
import { createRealtimeTicket, credentialsOf, identify } from "~/utils/auth.server";
import { LIMITS, RateLimited, limitUser, tooManyRequests } from "~/utils/rate-limit.server";

export const action = handle(api.realtimeTicket, async ({ actor, request }) => {
  try {
    await limitUser("realtime-ticket", actor!.userId, LIMITS.realtimeTickets);
  } catch (error) {
    if (error instanceof RateLimited) return tooManyRequests(request, error);
    throw error;
  }
  // The sign-in (cookie or token) the ticket derives from; a ticket cannot buy another ticket
  // (handle() has already spent it authenticating this request, so it identifies nobody now).
  const identity = await identify(credentialsOf(request));
  if (!identity || identity.userId !== actor!.userId) throw new ApiError(401, "errors.unauthorized");
  const { ticket, expiresAt } = await createRealtimeTicket(identity);
  return { ticket, expiresAt: expiresAt.toISOString() };
});
export const loader = action;
