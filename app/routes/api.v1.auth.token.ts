import { ApiError, handle } from "~/utils/api.server";
import { api } from "~/api/contract";
import { checkCredentials, createApiToken } from "~/utils/auth.server";

export const action = handle(api.token, async ({ body }) => {
  const check = await checkCredentials(body.identifier, body.password);
  if (!check.ok && check.reason === "locked") throw new ApiError(429, "errors.tooManyAttempts");
  if (!check.ok) throw new ApiError(401, "login.failed");
  const { user } = check;
  const { token, expiresAt } = await createApiToken(user.id, body.name, body.expiresInDays);
  return { token, tokenType: "Bearer" as const, expiresAt: expiresAt.toISOString(), user: { id: user.id, displayName: user.displayName } };
});
export const loader = action;
