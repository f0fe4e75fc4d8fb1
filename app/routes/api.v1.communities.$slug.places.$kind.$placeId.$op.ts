// POST …/places/{kind}/{placeId}/{rename|move|merge|archive}: one route file, one declared endpoint per operation.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { archivePlace, mergePlaces, moveBuilding, renamePlace } from "~/models/places.server";
import { handle, mayInCommunity, unknownEndpoint } from "~/utils/api.server";
import { InputRejected } from "~/utils/errors";

const guard = mayInCommunity("place:manage");
const ops = {
  rename: handle(
    api.renamePlace,
    async ({ actor, params, body }) => renamePlace(actor!, await communityIdBySlug(params.slug), params.kind, params.placeId, body.name),
    guard,
  ),
  move: handle(
    api.movePlace,
    async ({ actor, params, body }) => {
      if (params.kind !== "building") throw new InputRejected("kind", "errors.placeMoveBuildingOnly");
      return moveBuilding(actor!, await communityIdBySlug(params.slug), params.placeId, body.parentId);
    },
    guard,
  ),
  merge: handle(
    api.mergePlace,
    async ({ actor, params, body }) => mergePlaces(actor!, await communityIdBySlug(params.slug), params.kind, params.placeId, body.intoId),
    guard,
  ),
  archive: handle(
    api.archivePlace,
    async ({ actor, params }) => archivePlace(actor!, await communityIdBySlug(params.slug), params.kind, params.placeId),
    guard,
  ),
};

function run(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const op = args.params.op ?? "";
  return Object.hasOwn(ops, op) ? ops[op as keyof typeof ops](args) : unknownEndpoint(args.request);
}
export const loader = run;
export const action = run;
