import { moveTopic } from "~/models/topic.server";
import { handle, mayOnTopic } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.moveTopic, ({ actor, params, body }) => moveTopic(actor!, params.topicId, body), mayOnTopic());
export const loader = action;
