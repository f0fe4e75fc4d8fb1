// 街道: the street office's super-user lists the district's communities and creates one with its first staff.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { AccountFields, Field } from "~/components/field";
import { createCommunity, districtOverview } from "~/models/district.server";
import { fieldsOf, formOf, problemsFrom, zodProblems, type Problems } from "~/utils/forms.server";
import { orHttpError } from "~/utils/http.server";
import { requireActor } from "~/utils/permissions.server";
import { communityCreateSchema } from "~/utils/places-schemas";

export const meta: MetaFunction = (args) =>
  pageMeta(args, (t, d) => {
    const district = (d as { district?: { city?: string | null; name?: string } | null } | undefined)?.district;
    return district ? t("district.title", { name: [district.city, district.name].filter(Boolean).join(" ") }) : null;
  });

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return orHttpError(() => districtOverview(actor), request);
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const fields = fieldsOf(await formOf(request));
  // Sent back to refill the form; never the password.
  const { password: _password, ...values } = fields;
  return orHttpError(async () => {
    await districtOverview(actor); // 403 before anything else for anyone but a super-user
    const parsed = communityCreateSchema.safeParse(fields);
    if (!parsed.success) return { problems: zodProblems(parsed.error), values, created: null };
    try {
      const created = await createCommunity(actor, parsed.data);
      return {
        problems: {} as Problems,
        values: {} as Record<string, string>,
        created: { name: created.name, slug: created.slug, staff: created.staff.displayName },
      };
    } catch (error) {
      return { problems: problemsFrom(error), values, created: null };
    }
  }, request);
}

export default function DistrictPage() {
  const { district, communities } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const values: Record<string, string | undefined> = data?.values ?? {};
  const [mode, setMode] = useState<"new" | "existing">(values.staffMode === "existing" ? "existing" : "new");
  const problems: Problems = data?.problems ?? {};
  const errors = Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, p.key]));
  const formProblem = problems._form ?? problems.staffMode;
  return (
    <div className="stack">
      <div className="card stack">
        <h1>{t("district.title", { name: [district.city, district.name].filter(Boolean).join(" ") })}</h1>
        <p className="muted">{t("district.intro")}</p>
        {data?.created ? (
          <p className="notice ok" role="status">
            {t("district.created", { name: data.created.name, staff: data.created.staff })}
          </p>
        ) : null}
        <h2>{t("district.communities")}</h2>
        {communities.length === 0 ? <p className="muted">{t("district.none")}</p> : null}
        <ul className="list" data-testid="district-communities">
          {communities.map((c) => (
            <li key={c.id} className="stack" data-testid="district-community" data-slug={c.slug}>
              <strong>{c.name}</strong>
              <span className="muted">
                {t("district.staff", { names: c.staff.map((s) => s.displayName).join("、") || "—" })} · {t("district.memberCount", { count: c.memberships })}
              </span>
              <span style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem" }}>
                <a className="btn secondary" href={`/c/${c.slug}/places`}>
                  {t("places.link")}
                </a>
                <a className="btn secondary" href={`/c/${c.slug}/members`}>
                  {t("members.link")}
                </a>
                <a className="btn secondary" href={`/c/${c.slug}/audit`}>
                  {t("audit.link")}
                </a>
              </span>
            </li>
          ))}
        </ul>
      </div>
      <div className="card">
        <h2>{t("district.create")}</h2>
        {formProblem ? (
          <p className="error" role="alert">
            {t(formProblem.key, formProblem.values)}
          </p>
        ) : null}
        <Form method="post" className="stack" key={data?.created?.slug ?? "form"}>
          <Field name="communityName" label={t("district.communityName")} defaultValue={values.communityName} error={errors.communityName} required />
          <Field name="slug" label={t("district.slug")} autoCapitalize="none" defaultValue={values.slug} error={errors.slug} required />
          <fieldset>
            <legend>{t("district.firstStaff")}</legend>
            <label style={{ display: "flex", gap: "0.5rem", alignItems: "center", minHeight: "44px" }}>
              <input type="radio" name="staffMode" value="new" checked={mode === "new"} onChange={() => setMode("new")} /> {t("district.staffNew")}
            </label>
            <label style={{ display: "flex", gap: "0.5rem", alignItems: "center", minHeight: "44px" }}>
              <input type="radio" name="staffMode" value="existing" checked={mode === "existing"} onChange={() => setMode("existing")} />{" "}
              {t("district.staffExisting")}
            </label>
          </fieldset>
          {mode === "new" ? (
            <AccountFields errors={errors} values={values} />
          ) : (
            <Field
              name="staffIdentifier"
              label={t("district.staffIdentifier")}
              autoCapitalize="none"
              defaultValue={values.staffIdentifier}
              error={errors.staffIdentifier}
              required
            />
          )}
          <button className="btn block" type="submit" disabled={busy}>
            {t("district.submit")}
          </button>
        </Form>
      </div>
    </div>
  );
}
