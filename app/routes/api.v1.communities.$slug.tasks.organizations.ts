import { communityIdBySlug } from "~/models/community.server";
import { taskOrganizations } from "~/models/task.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.taskOrganizations, async ({ actor, params }) => taskOrganizations(actor!, await communityIdBySlug(params.slug)));
export const action = loader;
