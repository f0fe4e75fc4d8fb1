import { api } from "~/api/contract";
import { districtOverview } from "~/models/district.server";
import { handle } from "~/utils/api.server";

export const loader = handle(api.district, async ({ actor }) => districtOverview(actor!));
export const action = loader;
