import { answerObjection } from "~/models/minutes.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.objectionAnswer, async ({ actor, params, body }) => ({
  ...(await answerObjection(actor!, params.objectionId, body)),
  answered: true as const,
}));
export const loader = action;
