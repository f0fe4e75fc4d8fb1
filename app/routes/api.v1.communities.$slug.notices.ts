import { listNotices } from "~/models/minutes.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.notices, ({ actor, params }) => listNotices(actor!, params.slug));
export const action = loader;
