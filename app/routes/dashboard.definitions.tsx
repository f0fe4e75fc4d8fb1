// 指标口径: what each figure of the dashboard counts, and the published star formula of the
// property-company scorecard with its weights (the deployment's default, or a street office's).
// Public: anyone may check how a figure shown to them was made.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FIGURE_KEYS } from "~/models/dashboard.server";
import { weightsFor } from "~/models/metrics.server";
import styles from "~/styles/dashboard.css?url";
import { idSchema } from "~/utils/schemas";

export const meta: MetaFunction = (args) => pageMeta(args, "dashboard.definitions.title");

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const district = idSchema.safeParse(new URL(request.url).searchParams.get("district"));
  return { keys: [...FIGURE_KEYS, "reopenRate" as const], weights: await weightsFor(district.success ? district.data : null) };
}

export default function DefinitionsPage() {
  const { keys, weights } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="card stack">
      <h1>{t("dashboard.definitions.title")}</h1>
      <p>{t("dashboard.definitions.intro")}</p>
      <dl className="definitions">
        {keys.map((key) => (
          <div key={key} id={key} style={{ marginBottom: "0.75rem" }}>
            <dt>
              <strong>{t(`dashboard.figures.${key}`)}</strong>
            </dt>
            <dd style={{ marginLeft: 0 }}>{t(`dashboard.definitions.items.${key}`)}</dd>
          </div>
        ))}
      </dl>
      <h2 id="stars">{t("dashboard.definitions.stars")}</h2>
      <p data-testid="star-formula">{t("dashboard.definitions.starsText", weights)}</p>
    </div>
  );
}
