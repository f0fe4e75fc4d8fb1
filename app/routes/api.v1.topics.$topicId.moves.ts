import { moveTopic } from "~/models/topic.server";
import { handle } from "~/utils/api.server";
import { api } from "~/api/contract";

export const action = handle(api.moveTopic, ({ actor, params, body }) => moveTopic(actor!, params.topicId, body));
export const loader = action;
