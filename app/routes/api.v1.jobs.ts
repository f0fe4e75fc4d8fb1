import { api } from "~/api/contract";
import { jobLog } from "~/models/dashboard.server";
import { handle } from "~/utils/api.server";

export const loader = handle(api.jobRuns, async ({ actor, query }) => jobLog(actor, query.limit));
export const action = loader;
