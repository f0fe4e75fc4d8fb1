import { api } from "~/api/contract";
import { deploymentDashboard } from "~/models/dashboard.server";
import { handle } from "~/utils/api.server";
import { requestLocale } from "~/utils/locale.server";

export const loader = handle(api.deploymentDashboard, async ({ actor, query, request }) => deploymentDashboard(actor, query.p, await requestLocale(request)));
export const action = loader;
