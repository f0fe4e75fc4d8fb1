// 激活账号: a person whose account the community made opens their one-time link, sets a
// password and is signed in; from then on they sign in with their phone number.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { activate, findUsableActivation } from "~/models/activation.server";
import { setPasswordByLink } from "~/utils/password-link.server";
import { activateSchema } from "~/utils/roster-schemas";

export const meta: MetaFunction = (args) => pageMeta(args, "roster.activate.title");

// Retry-After from a refused action reaches the browser.
export { passRetryAfter as headers } from "~/utils/rate-limit.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const link = await findUsableActivation(params.token ?? "");
  return { link: link ? { name: link.displayName, phone: link.phone ?? "", community: link.community } : null };
}

export const action = (args: ActionFunctionArgs) =>
  setPasswordByLink(args, { limit: "activate", schema: activateSchema, spend: activate, invalidKey: "errors.activationInvalid" });

export default function ActivatePage() {
  const { link } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  if (!link)
    return (
      <div className="card" role="alert">
        <h1>{t("roster.activate.title")}</h1>
        <p>{t("roster.activate.invalid")}</p>
      </div>
    );
  const errors = data?.errors ?? {};
  return (
    <div className="card">
      <h1>{t("roster.activate.title")}</h1>
      <p>{t("roster.activate.intro", link)}</p>
      {errors._form ? (
        <p className="error" role="alert">
          {t(errors._form, data?.values)}
        </p>
      ) : null}
      <Form method="post" className="stack" noValidate>
        {/* For password managers: the account this password belongs to. */}
        <input type="hidden" name="username" autoComplete="username" value={link.phone} />
        <Field
          name="password"
          type="password"
          label={t("roster.activate.password")}
          hint={t("invite.passwordHint")}
          autoComplete="new-password"
          error={errors.password}
          required
        />
        <button className="btn block" type="submit" disabled={busy}>
          {t("roster.activate.submit")}
        </button>
      </Form>
    </div>
  );
}
