import { api } from "~/api/contract";
import { districtDashboard } from "~/models/dashboard.server";
import { handle } from "~/utils/api.server";
import { requestLocale } from "~/utils/locale.server";

export const loader = handle(api.districtDashboard, async ({ actor, params, query, request }) =>
  districtDashboard(actor, params.districtId, query.p, await requestLocale(request)),
);
export const action = loader;
