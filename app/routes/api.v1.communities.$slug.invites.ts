import { createInvite } from "~/models/invite.server";
import { ApiError, handle, mayInCommunity } from "~/utils/api.server";
import { api } from "~/api/contract";
import { communityBySlug, requirePermission } from "~/utils/permissions.server";

export const action = handle(
  api.createInvite,
  async ({ actor, params, body }) => {
    const community = await communityBySlug(params.slug);
    requirePermission(actor, "community:invite", { type: "community", communityId: community.id });
    const result = await createInvite(community.id, actor!.userId, body);
    if (result.error) {
      const [path, key] = Object.entries(result.error)[0]!;
      throw new ApiError(400, key, [{ path, message: key }]);
    }
    return { token: result.token, path: result.path, role: body.role, expiresAt: result.invite.expiresAt.toISOString(), maxUses: result.invite.maxUses };
  },
  mayInCommunity("community:invite"),
);
export const loader = action;
