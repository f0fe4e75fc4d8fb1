// 激活单: staff make one-time activation links (with QR codes) for members whose accounts
// the community made (a roster import), to print or send; each person sets their password.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Outcome } from "~/components/outcome";
import { ACTIVATION_BATCH, ACTIVATION_TTL_MS, issueActivationLink, issueActivationLinks, pendingActivations } from "~/models/activation.server";
import { communityPage, formOf, problemsFrom, type Problems } from "~/utils/forms.server";
import { idSchema } from "~/utils/schemas";
import { formatDateTime } from "~/utils/format";

export const meta: MetaFunction = (args) => pageMeta(args, "roster.activation.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "member:manage");
  return { community, batch: ACTIVATION_BATCH, days: Math.round(ACTIVATION_TTL_MS / 86_400_000), ...(await pendingActivations(actor, community.id)) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "member:manage");
  const form = await formOf(request);
  const origin = new URL(request.url).origin;
  try {
    if (form.get("intent") === "one") {
      const userId = idSchema.safeParse(form.get("userId"));
      if (!userId.success) return { problems: { _form: { key: "errors.idInvalid" } } as Problems, sheets: [] };
      return { problems: {} as Problems, sheets: [await issueActivationLink(actor, community.id, userId.data, origin)] };
    }
    return { problems: {} as Problems, sheets: await issueActivationLinks(actor, community.id, origin) };
  } catch (error) {
    return { problems: problemsFrom(error), sheets: [] };
  }
}

export default function ActivationSheetsPage() {
  const { community, count, people, batch, days } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, i18n } = useTranslation();
  const sheets = data?.sheets ?? [];
  return (
    <div className="card stack">
      <h1>{t("roster.activation.title")}</h1>
      <p className="muted no-print">
        {community.name} · <a href={`/c/${community.slug}/members`}>{t("members.title")}</a> ·{" "}
        <a href={`/c/${community.slug}/members/import`}>{t("roster.link")}</a>
      </p>
      <p className="no-print">{t("roster.activation.intro")}</p>
      <Outcome problems={data?.problems} />
      {sheets.length > 0 ? (
        <>
          <p className="notice ok no-print" role="status">
            {t("roster.activation.issued", { count: sheets.length, days })}
          </p>
          <button className="btn block no-print" type="button" onClick={() => window.print()}>
            {t("roster.activation.print")}
          </button>
          <ul className="list activation-sheets" data-testid="activation-sheets">
            {sheets.map((s) => (
              <li key={s.userId} className="stack activation-sheet" data-testid="activation-sheet" data-user={s.userId}>
                <strong>{t("roster.activation.card", { name: s.displayName })}</strong>
                {/* The SVG is the qrcode package's own output for our URL: no user text in it. */}
                <div className="qr" role="img" aria-label={s.url} dangerouslySetInnerHTML={{ __html: s.qr }} style={{ maxWidth: 200 }} />
                {s.phone ? <span>{t("roster.activation.phone", { phone: s.phone })}</span> : null}
                <input readOnly value={s.url} data-testid="activation-url" aria-label={s.displayName} onFocus={(e) => e.currentTarget.select()} />
                <span className="muted">{t("roster.activation.expires", { date: formatDateTime(s.expiresAt, i18n.language) })}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2 className="no-print">{count > 0 ? t("roster.activation.pending", { count }) : t("roster.activation.none")}</h2>
      {count > 0 ? (
        <div className="no-print stack">
          <Form method="post">
            <button className="btn block" type="submit" name="intent" value="all" disabled={busy}>
              {t("roster.activation.issueAll", { count: Math.min(count, batch) })}
            </button>
          </Form>
          <ul className="list" data-testid="activation-pending">
            {people.map((p) => (
              <li key={p.id}>
                <Form method="post" style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem", alignItems: "center" }}>
                  <input type="hidden" name="userId" value={p.id} />
                  <span style={{ flex: 1 }}>
                    {p.displayName} {p.phone ? <span className="muted">{p.phone}</span> : null}
                  </span>
                  <button className="btn secondary" type="submit" name="intent" value="one" disabled={busy}>
                    {t("roster.activation.issueOne", { name: p.displayName })}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
