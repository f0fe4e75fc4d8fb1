import type { ActionFunctionArgs } from "@remix-run/node";
import { ACCOUNT_REFUSED, acceptInvite } from "~/models/invite.server";
import { ApiError, handle } from "~/utils/api.server";
import { api } from "~/api/contract";
import { LIMITS, RateLimited, addressLimited, tooManyRequests } from "~/utils/rate-limit.server";

export const action = addressLimited("invite-accept", LIMITS.inviteAccept, (args: ActionFunctionArgs) =>
  handle(api.acceptInvite, async ({ params, body, request }) => {
    let result: Awaited<ReturnType<typeof acceptInvite>>;
    try {
      result = await acceptInvite(params.token, { account: body });
    } catch (error) {
      if (error instanceof RateLimited) return tooManyRequests(request, error);
      throw error;
    }
    if (result.ok) return { userId: result.userId };
    const [path, message] = Object.entries(result.errors)[0]!;
    if (message === ACCOUNT_REFUSED) throw new ApiError(409, message);
    if (path === "_form") throw new ApiError(410, message);
    throw new ApiError(409, message, [{ path, message }]);
  })(args),
);
export const loader = action;
