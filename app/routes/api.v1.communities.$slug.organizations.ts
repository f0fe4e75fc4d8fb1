import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { createOrganization, listOrganizations } from "~/models/organization.server";
import { byMethod, handle, mayInCommunity } from "~/utils/api.server";

export const loader = handle(
  api.organizations,
  async ({ actor, params, query }) => listOrganizations(actor!, await communityIdBySlug(params.slug), { archived: query.archived === "1" }),
  mayInCommunity("community:view"),
);
export const action = byMethod({
  POST: handle(
    api.createOrganization,
    async ({ actor, params, body }) => createOrganization(actor!, await communityIdBySlug(params.slug), body),
    mayInCommunity("organization:manage"),
  ),
});
