import { api } from "~/api/contract";
import { createCommunity } from "~/models/district.server";
import { byMethod, handle } from "~/utils/api.server";
import { Refusal } from "~/utils/errors";

export const loader = byMethod({});
export const action = byMethod({
  POST: handle(
    api.createCommunity,
    async ({ actor, body }) => createCommunity(actor!, body),
    // Refused before the body (a new account's password) is read by anyone but a super-user.
    async ({ actor }) => {
      if (!actor?.district) throw new Refusal(403, "errors.notDistrictUser");
    },
  ),
});
