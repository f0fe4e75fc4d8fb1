import { auditLog } from "~/models/audit.server";
import { communityIdBySlug } from "~/models/community.server";
import { handle, mayInCommunity } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(
  api.audit,
  async ({ actor, params, query }) => auditLog(actor!, await communityIdBySlug(params.slug), query),
  mayInCommunity("audit:view"),
);
export const action = loader;
