import { acceptInvite } from "~/models/invite.server";
import { ApiError, handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.acceptInvite, async ({ params, body }) => {
  const result = await acceptInvite(params.token, { account: body });
  if (result.ok) return { userId: result.userId };
  const [path, message] = Object.entries(result.errors)[0]!;
  if (path === "_form") throw new ApiError(410, message);
  throw new ApiError(409, message, [{ path, message }]);
});
export const loader = action;
