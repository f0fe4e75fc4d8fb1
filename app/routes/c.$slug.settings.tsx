import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Outcome } from "~/components/outcome";
import { communitySettings, updateCommunitySettings } from "~/models/community.server";
import { communityPage, problemsFrom, zodProblems, type Problems, formOf } from "~/utils/forms.server";
import { communitySettingsSchema } from "~/utils/schemas";

export const meta: MetaFunction = (args) => pageMeta(args, "settings.title");

const QUORUM_RULES = {
  moreThanHalf: { quorumRatio: 0.5, quorumInclusive: false },
  atLeastHalf: { quorumRatio: 0.5, quorumInclusive: true },
  twoThirds: { quorumRatio: 2 / 3, quorumInclusive: true },
} as const;
type QuorumRule = keyof typeof QUORUM_RULES;
const ruleOf = (ratio: number, inclusive: boolean): QuorumRule => (ratio > 0.6 ? "twoThirds" : inclusive ? "atLeastHalf" : "moreThanHalf");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "community:configure");
  const settings = await communitySettings(actor, community.id);
  return { community, settings };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "community:configure");
  const form = await formOf(request);
  const rows = form.getAll("category.key").map((key, i) => ({
    key: String(key),
    nameZh: String(form.getAll("category.nameZh")[i] ?? ""),
    nameEn: String(form.getAll("category.nameEn")[i] ?? ""),
    archived: form.getAll("category.archived").includes(String(key)),
  }));
  const councilId = form.get("councilId");
  const rule = QUORUM_RULES[(form.get("quorumRule") as QuorumRule) ?? "moreThanHalf"] ?? QUORUM_RULES.moreThanHalf;
  const parsed = communitySettingsSchema.safeParse({
    coSignThreshold: form.get("coSignThreshold"),
    ...(councilId ? { council: { councilId, ...rule } } : {}),
    // An empty "new category" row is not a category.
    categories: rows.filter((r) => r.key || r.nameZh || r.nameEn),
  });
  if (!parsed.success) return { problems: zodProblems(parsed.error), saved: false };
  try {
    await updateCommunitySettings(actor, community.id, parsed.data);
  } catch (error) {
    return { problems: problemsFrom(error), saved: false };
  }
  return { problems: {} as Problems, saved: true };
}

export default function SettingsPage() {
  const { community, settings } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  return (
    <div className="card">
      <h1>{t("settings.title")}</h1>
      <p className="muted">{community.name}</p>
      <Outcome done={data?.saved ? "settings.saved" : null} problems={data?.problems} />
      <Form method="post" className="stack">
        <div>
          <label htmlFor="coSignThreshold">{t("settings.threshold")}</label>
          <input id="coSignThreshold" name="coSignThreshold" type="number" inputMode="numeric" min={1} max={1000} defaultValue={settings.coSignThreshold} />
        </div>
        {settings.councils.slice(0, 1).map((c) => (
          <div key={c.id}>
            <input type="hidden" name="councilId" value={c.id} />
            <label htmlFor="quorumRule">{t("settings.quorum", { council: c.name, seats: c.seats })}</label>
            <select id="quorumRule" name="quorumRule" defaultValue={ruleOf(c.quorumRatio, c.quorumInclusive)}>
              <option value="moreThanHalf">{t("settings.quorumMoreThanHalf")}</option>
              <option value="atLeastHalf">{t("settings.quorumAtLeastHalf")}</option>
              <option value="twoThirds">{t("settings.quorumTwoThirds")}</option>
            </select>
          </div>
        ))}
        <fieldset className="stack">
          <legend>{t("settings.categories")}</legend>
          {[...settings.categories, { key: "", nameZh: "", nameEn: "", archived: false }].map((c, i) => (
            <div key={c.key || `new-${i}`} className="card stack">
              {c.key ? <input type="hidden" name="category.key" value={c.key} /> : null}
              {/* A category is named in the page's language; its code is for links and the API, never the heading. */}
              <p className="title">{c.key ? (i18n.language.startsWith("en") ? c.nameEn || c.nameZh : c.nameZh || c.nameEn) : t("settings.newCategory")}</p>
              {!c.key ? (
                <div>
                  <label htmlFor={`cat-key-${i}`}>{t("settings.key")}</label>
                  <input id={`cat-key-${i}`} name="category.key" placeholder="noise" autoCapitalize="none" />
                </div>
              ) : null}
              <div>
                <label htmlFor={`cat-zh-${i}`}>{t("settings.nameZh")}</label>
                <input id={`cat-zh-${i}`} name="category.nameZh" defaultValue={c.nameZh} />
              </div>
              <div>
                <label htmlFor={`cat-en-${i}`}>{t("settings.nameEn")}</label>
                <input id={`cat-en-${i}`} name="category.nameEn" defaultValue={c.nameEn} />
              </div>
              {c.key ? (
                <label className="check" style={{ display: "flex", gap: "0.5rem", alignItems: "center", fontWeight: 400 }}>
                  <input type="checkbox" name="category.archived" value={c.key} defaultChecked={c.archived} /> {t("settings.archived")}
                </label>
              ) : null}
            </div>
          ))}
        </fieldset>
        <button className="btn block" type="submit" disabled={navigation.state !== "idle"}>
          {t("settings.save")}
        </button>
      </Form>
    </div>
  );
}
