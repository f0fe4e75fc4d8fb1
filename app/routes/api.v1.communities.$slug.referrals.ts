import { communityIdBySlug } from "~/models/community.server";
import { referralQueue } from "~/models/topic.server";
import { handle, mayInCommunity } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(
  api.referrals,
  async ({ actor, params }) => {
    const queue = await referralQueue(actor!, await communityIdBySlug(params.slug));
    return {
      items: queue.map((t) => ({
        id: t.id,
        title: t.title,
        referralDue: t.referralDue?.toISOString() ?? null,
        overdue: t.overdue,
        organization: t.referredOrg?.name ?? "",
      })),
    };
    // An organisation's queue is empty for everyone else; still, only members learn the community's queue exists.
  },
  mayInCommunity("community:view"),
);
export const action = loader;
