// 核验: recompute every published version's hash from what is stored and check the chain; a hash
// given as ?hash= (from a PDF, a link) is looked up: current, stale, unknown (forged) or malformed.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { verifyMinutes } from "~/models/minutes.server";
import minutesStyles from "~/styles/minutes.css?url";
import { orHttpError } from "~/utils/http.server";
import { requireActor } from "~/utils/permissions.server";

export const meta: MetaFunction = (args) => pageMeta(args, "minutes.verify.title");

export const links: LinksFunction = () => [{ rel: "stylesheet", href: minutesStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return orHttpError(async () => {
    // Whatever is given is only looked up, never trusted: cut to a sane length and reported.
    const hash = new URL(request.url).searchParams.get("hash")?.slice(0, 200) ?? undefined;
    return verifyMinutes(actor, params.minutesId ?? "", hash);
  }, request);
}

export default function VerifyPage() {
  const r = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="card stack">
      <a href={`/minutes/${r.minutesId}`}>← {t("minutes.versions.read")}</a>
      <h1>{t("minutes.verify.title")}</h1>
      <p className="muted">{t("minutes.verify.intro")}</p>
      {r.versions.length === 0 ? (
        <p className="notice">{t("minutes.verify.none")}</p>
      ) : r.ok ? (
        <p className="minutes-ok" role="status" data-testid="verify-result" data-ok="true">
          ✓ {t("minutes.verify.ok", { n: r.versions.length })}
        </p>
      ) : (
        <p className="minutes-bad" role="alert" data-testid="verify-result" data-ok="false" data-first-bad={r.firstBad ?? ""}>
          ✗ {t("minutes.verify.failed", { version: r.firstBad ?? "" })}
        </p>
      )}
      <ul className="list">
        {r.versions.map((v) => (
          <li key={v.version} data-testid="verify-version" data-ok={v.ok}>
            <span className={v.ok ? "minutes-ok" : "minutes-bad"}>
              {v.ok
                ? t("minutes.verify.versionOk", { n: v.version })
                : t("minutes.verify.versionBad", { n: v.version, problem: t(`minutes.verify.problems.${v.problem}`) })}
            </span>
            <div className="minutes-hash">{v.hash}</div>
          </li>
        ))}
      </ul>
      {r.given ? (
        <p className={r.given.status === "current" ? "minutes-ok" : "minutes-bad"} data-testid="verify-given" data-status={r.given.status}>
          {t("minutes.verify.given")}
          <span className="minutes-hash"> {r.given.hash} </span>
          {r.given.status === "current"
            ? t("minutes.verify.givenCurrent", { version: r.given.version ?? "" })
            : r.given.status === "stale"
              ? t("minutes.verify.givenStale", { version: r.given.version ?? "", latest: r.given.latest ?? "" })
              : r.given.status === "unknown"
                ? t("minutes.verify.givenUnknown")
                : t("minutes.verify.givenMalformed")}
        </p>
      ) : null}
      <Form method="get" className="stack">
        <label htmlFor="verify-hash">{t("minutes.verify.check")}</label>
        <input id="verify-hash" name="hash" maxLength={200} autoComplete="off" spellCheck={false} />
        <button className="btn secondary" type="submit">
          {t("minutes.verify.check")}
        </button>
      </Form>
    </div>
  );
}
