// POST …/organizations/{organizationId}/{rename|archive|members}: one route file, one declared endpoint per operation.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { archiveOrganization, renameOrganization, setOrganizationMember } from "~/models/organization.server";
import { handle, mayInCommunity, unknownEndpoint } from "~/utils/api.server";

const guard = mayInCommunity("organization:manage");
const ops = {
  rename: handle(
    api.renameOrganization,
    async ({ actor, params, body }) => renameOrganization(actor!, await communityIdBySlug(params.slug), params.organizationId, body.name),
    guard,
  ),
  archive: handle(
    api.archiveOrganization,
    async ({ actor, params }) => archiveOrganization(actor!, await communityIdBySlug(params.slug), params.organizationId),
    guard,
  ),
  members: handle(
    api.organizationMember,
    async ({ actor, params, body }) => setOrganizationMember(actor!, await communityIdBySlug(params.slug), params.organizationId, body),
    guard,
  ),
};

function run(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const op = args.params.op ?? "";
  return Object.hasOwn(ops, op) ? ops[op as keyof typeof ops](args) : unknownEndpoint(args.request);
}
export const loader = run;
export const action = run;
