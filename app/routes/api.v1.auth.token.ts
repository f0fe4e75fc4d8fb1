import { ApiError, handle } from "~/utils/api.server";
import { api } from "~/api/contract";
import { checkCredentials, createApiToken } from "~/utils/auth.server";
import { LIMITS, RateLimited, addressLimited, clientAddress, tooManyRequests } from "~/utils/rate-limit.server";
import type { ActionFunctionArgs } from "@remix-run/node";

export const action = addressLimited("sign-in", LIMITS.signInRequests, (args: ActionFunctionArgs) =>
  handle(api.token, async ({ body, request }) => {
    const check = await checkCredentials(body.identifier, body.password, clientAddress(args.context));
    if (!check.ok && check.reason === "locked") return tooManyRequests(request, new RateLimited(check.retryAfterSec, "errors.tooManyAttempts"));
    if (!check.ok && check.reason === "deactivated") throw new ApiError(403, "errors.accountDeactivated");
    if (!check.ok) throw new ApiError(401, "login.failed");
    const { user } = check;
    const { token, expiresAt } = await createApiToken(user.id, body.name, body.expiresInDays);
    return { token, tokenType: "Bearer" as const, expiresAt: expiresAt.toISOString(), user: { id: user.id, displayName: user.displayName } };
  })(args),
);
export const loader = action;
