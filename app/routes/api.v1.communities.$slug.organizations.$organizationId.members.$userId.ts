import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { removeOrganizationMember } from "~/models/organization.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";

export const loader = byMethod({});
export const action = byMethod({
  DELETE: handle(
    api.removeOrganizationMember,
    async ({ actor, params }) => removeOrganizationMember(actor!, await communityIdBySlug(params.slug), params.organizationId, params.userId),
    mayInCommunity("organization:manage"),
  ),
});
