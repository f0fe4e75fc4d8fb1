// A partner merchant's monthly statement (对账单): each redemption with a masked name, and the
// total; the same as CSV from the API. For the merchant's staff and the community's staff.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { when } from "~/components/volunteer-ui";
import { merchantStatement } from "~/models/volunteer.server";
import { communityPage } from "~/utils/forms.server";
import { orHttpError } from "~/utils/http.server";
import { idSchema } from "~/utils/schemas";
import { monthSchema } from "~/utils/volunteer-schemas";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "");
  const url = new URL(request.url);
  const org = idSchema.safeParse(url.searchParams.get("m") ?? "");
  const month = monthSchema.safeParse(url.searchParams.get("month") ?? new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7));
  if (!org.success || !month.success) throw new Response("Bad request", { status: 400 });
  const statement = await orHttpError(() => merchantStatement(actor, community.id, org.data, month.data));
  return { community, organizationId: org.data, statement };
}

export default function StatementPage() {
  const { community, organizationId, statement } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const base = `/c/${community.slug}/volunteer/statement?m=${organizationId}&month=`;
  const shift = (n: number) => {
    const [y, m] = statement.month.split("-").map(Number);
    const d = new Date(Date.UTC(y!, m! - 1 + n, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  };
  return (
    <div className="card stack">
      <p>
        <a href={`/c/${community.slug}/volunteer/merchant`}>← {t("volunteer.merchant.title")}</a>
      </p>
      <h1>{t("volunteer.merchant.statementTitle", { merchant: statement.merchant, month: statement.month })}</h1>
      <p style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap" }}>
        <a className="btn secondary" href={base + shift(-1)}>
          ← {shift(-1)}
        </a>
        <a className="btn secondary" href={base + shift(1)}>
          {shift(1)} →
        </a>
        <a
          className="btn secondary"
          href={`/api/v1/communities/${community.slug}/volunteer/merchants/${organizationId}/statement?month=${statement.month}&format=csv`}
          download
        >
          {t("volunteer.merchant.csv")}
        </a>
      </p>
      <p style={{ fontSize: "1.4rem", fontWeight: 700 }} data-testid="statement-total">
        {t("volunteer.merchant.total", { points: statement.total, count: statement.lines.length })}
      </p>
      {statement.lines.length === 0 ? <p className="muted">{t("volunteer.merchant.noLines")}</p> : null}
      <div style={{ overflowX: "auto" }}>
        <table>
          <thead>
            <tr>
              <th>{t("volunteer.merchant.when")}</th>
              <th>{t("volunteer.merchant.offer")}</th>
              <th>{t("volunteer.points")}</th>
              <th>{t("volunteer.merchant.resident")}</th>
            </tr>
          </thead>
          <tbody>
            {statement.lines.map((l) => (
              <tr key={l.code}>
                <td>{when(l.at, i18n.language)}</td>
                <td>{l.offer}</td>
                <td>{l.reversed ? <s>{l.points}</s> : l.points}</td>
                <td>{l.resident}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
