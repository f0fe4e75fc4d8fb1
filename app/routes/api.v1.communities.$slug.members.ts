import { communityIdBySlug } from "~/models/community.server";
import { listMembers } from "~/models/member.server";
import { handle, mayInCommunity } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(
  api.members,
  async ({ actor, params }) => listMembers(actor!, await communityIdBySlug(params.slug)),
  mayInCommunity("community:view"),
);
export const action = loader;
