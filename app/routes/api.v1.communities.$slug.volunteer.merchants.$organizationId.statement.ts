import { api } from "~/api/contract";
import { communityIdBySlug } from "~/models/community.server";
import { handle, mayInCommunity } from "~/utils/api.server";
import { merchantStatement } from "~/models/volunteer.server";
import { statementCsv } from "~/models/volunteer-csv.server";
import { translator } from "~/i18n";
import { requestLocale } from "~/utils/locale.server";

export const loader = handle(
  api.merchantStatement,
  async ({ actor, params, query, request }) => {
    const st = await merchantStatement(actor!, await communityIdBySlug(params.slug), params.organizationId, query.month);
    if (query.format !== "csv") return st;
    return new Response(statementCsv(translator(await requestLocale(request)), st), {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="statement-${query.month}.csv"` },
    });
  },
  mayInCommunity("community:view"),
);
// Any other method gets 405 in the one vocabulary.
export const action = loader;
