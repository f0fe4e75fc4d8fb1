import { coSign, withdrawCoSign } from "~/models/topic.server";
import { byMethod, handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = byMethod({
  POST: handle(api.coSign, ({ actor, params }) => coSign(actor!, params.topicId)),
  DELETE: handle(api.withdrawCoSign, ({ actor, params }) => withdrawCoSign(actor!, params.topicId)),
});
export const loader = action;
