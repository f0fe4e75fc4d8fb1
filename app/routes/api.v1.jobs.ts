import { api } from "~/api/contract";
import { jobLog } from "~/models/dashboard.server";
import { handle } from "~/utils/api.server";
import { requestLocale } from "~/utils/locale.server";

export const loader = handle(api.jobRuns, async ({ actor, query, request }) => jobLog(actor, query.limit, await requestLocale(request)));
export const action = loader;
