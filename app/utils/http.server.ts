import { isRefusal } from "./errors";
import { refusalResponse } from "./refusal.server";

/** Refusals a page cannot show beside a field: the error page (with this status) is the answer. */
const PAGE_STATUSES = [401, 403, 404];

/**
 * Page loaders and actions: "not allowed" and "no such thing" become a thrown
 * Response with the status and the vocabulary as JSON; every other refusal
 * (a field, a rule of the session) is rethrown for the page to show in place.
 */
export async function orHttpError<T>(work: () => Promise<T>, request?: Request): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isRefusal(error) && PAGE_STATUSES.includes(error.status)) return refusalResponse(error, request ?? new Request("http://localhost/"));
    throw error;
  }
}
