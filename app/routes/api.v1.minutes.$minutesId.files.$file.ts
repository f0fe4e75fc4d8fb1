import { publishedFile } from "~/models/minutes/exports.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const loader = handle(api.minutesFile, ({ actor, params, query, request }) =>
  publishedFile(actor!, params.minutesId, params.file, query.v, new URL(request.url).origin),
);
export const action = loader;
