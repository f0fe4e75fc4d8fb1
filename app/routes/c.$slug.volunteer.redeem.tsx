// The resident's redemption QR (兑换码): made fresh on the phone, valid two minutes, used once.
// The page watches its code and shows the new balance as soon as a merchant has taken the points.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { myPoints } from "~/models/volunteer.server";
import { communityPage } from "~/utils/forms.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "");
  return { community, balance: (await myPoints(actor, community.id)).balance };
}

type Code = { code: string; expiresAt: string; svg: string };
type Status = { used: boolean; points: number | null; expired: boolean; balance: number };

export default function RedeemPage() {
  const { community, balance: initial } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const [code, setCode] = useState<Code | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [left, setLeft] = useState(0);

  const fresh = useCallback(async () => {
    setError(null);
    setStatus(null);
    try {
      const res = await fetch(`/api/v1/communities/${community.slug}/volunteer/redemption-codes`, { method: "POST", credentials: "same-origin" });
      const body = await res.json();
      if (!res.ok) return setError(body.message ?? t("errors.invalidRequest"));
      setCode(body as Code);
    } catch {
      setError(t("volunteer.offline"));
    }
  }, [community.slug, t]);

  useEffect(() => {
    void fresh();
  }, [fresh]);

  // Poll the code every two seconds until it is used or expired; count down meanwhile.
  useEffect(() => {
    if (!code || status?.used) return;
    const tick = setInterval(async () => {
      setLeft(Math.max(0, Math.round((new Date(code.expiresAt).getTime() - Date.now()) / 1000)));
      try {
        const res = await fetch(`/api/v1/volunteer/redemption-codes/${code.code}`, { credentials: "same-origin" });
        if (res.ok) setStatus((await res.json()) as Status);
      } catch {
        // The resident's phone lost the network: the code still works at the merchant.
      }
    }, 2000);
    return () => clearInterval(tick);
  }, [code, status?.used]);

  const balance = status?.balance ?? initial;
  return (
    <div className="card stack">
      <p>
        <a href={`/c/${community.slug}/volunteer`}>← {t("volunteer.title")}</a>
      </p>
      <h1>{t("volunteer.showCode")}</h1>
      <p style={{ fontSize: "1.6rem", fontWeight: 700 }} data-testid="balance">
        {t("volunteer.balance", { points: balance })}
      </p>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {status?.used ? (
        <p className="notice ok" role="status" data-testid="redeemed">
          {t("volunteer.redeemed", { points: status.points ?? 0, balance })}
        </p>
      ) : code && !status?.expired ? (
        <figure className="stack" style={{ margin: 0 }}>
          <div role="img" aria-label={t("volunteer.codeLabel")} style={{ maxWidth: 300 }} dangerouslySetInnerHTML={{ __html: code.svg }} />
          <figcaption>
            <span className="muted">{t("volunteer.codeHelp")}</span>
            <br />
            <strong style={{ fontSize: "2rem", letterSpacing: "0.2em" }} data-testid="code">
              {code.code}
            </strong>
            <br />
            <span className="muted">{left > 0 ? t("volunteer.codeLeft", { seconds: left }) : null}</span>
          </figcaption>
        </figure>
      ) : null}
      {status?.used || status?.expired ? (
        <button className="btn block big" type="button" onClick={() => void fresh()}>
          {t("volunteer.newCode")}
        </button>
      ) : null}
    </div>
  );
}
