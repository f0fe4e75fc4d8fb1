// A dashboard table as CSV or .xlsx: the same table the page shows beside its chart.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { PERIOD_KEY, SCOPE_KEY, communityTable, narrowOf, TABLE_IDS } from "~/models/dashboard.server";
import { DOWNLOAD_FORMATS, downloadResponse } from "~/models/downloads.server";
import { communityPage } from "~/utils/forms.server";
import { orHttpError } from "~/utils/http.server";
import { getLocale } from "~/utils/locale.server";

const query = z.object({
  table: z.enum(TABLE_IDS),
  format: z.enum(DOWNLOAD_FORMATS),
  p: z.string().regex(PERIOD_KEY, "errors.dateInvalid").optional(),
  s: z.string().regex(SCOPE_KEY, "errors.invalidInput").optional(),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "");
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"), { status: 400 });
  const { table: id, format, p, s } = parsed.data;
  const locale = await getLocale(request);
  const table = await orHttpError(() => communityTable(actor, community, id, p, locale, new Date(), narrowOf(s)), request);
  return downloadResponse(table, format, `${community.slug}-${id}${id === "scorecard" ? "" : `-${p ?? "year"}${s ? `-${s.replace(":", "-")}` : ""}`}`);
}
