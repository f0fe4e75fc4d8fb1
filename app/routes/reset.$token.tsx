// 重设密码: a member who forgot their password opens the one-time link staff gave them, sets a
// new password and is signed in; every other sign-in of theirs ends.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PasswordField } from "~/components/field";
import { findUsableReset, spendPasswordReset } from "~/models/password-reset.server";
import { setPasswordByLink } from "~/utils/password-link.server";
import { pageMeta } from "~/utils/page-meta";
import { resetPasswordSchema } from "~/utils/reset-schemas";

// Retry-After from a refused action reaches the browser; the link's page is never kept by a cache.
export function headers({ actionHeaders }: { actionHeaders: Headers }) {
  const out = new Headers({ "Cache-Control": "no-store" });
  const retry = actionHeaders.get("Retry-After");
  if (retry) out.set("Retry-After", retry);
  return out;
}

export const meta: MetaFunction = (args) => pageMeta(args, "uxrest.reset.title");

export async function loader({ params }: LoaderFunctionArgs) {
  const reset = await findUsableReset(params.token ?? "");
  return json(
    { reset: reset ? { name: reset.displayName, signInAs: reset.signInAs } : null },
    { status: reset ? 200 : 410, headers: { "Cache-Control": "no-store" } },
  );
}

export const action = (args: ActionFunctionArgs) =>
  setPasswordByLink(args, { limit: "password-reset", schema: resetPasswordSchema, spend: spendPasswordReset, invalidKey: "errors.resetInvalid" });

export default function ResetPage() {
  const { reset } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  if (!reset)
    return (
      <div className="card stack" role="alert">
        <h1>{t("uxrest.reset.title")}</h1>
        <p data-testid="reset-invalid">{t("errors.resetInvalid")}</p>
        <p className="muted">{t("uxrest.reset.askStaff")}</p>
      </div>
    );
  const errors = data?.errors ?? {};
  return (
    <div className="card stack">
      <h1>{t("uxrest.reset.title")}</h1>
      <p>{t("uxrest.reset.intro", { name: reset.name })}</p>
      {errors._form ? (
        <p className="error" role="alert">
          {t(errors._form, data?.values)}
        </p>
      ) : null}
      <Form method="post" className="stack" noValidate>
        {/* For password managers: the account this password belongs to. */}
        <input type="hidden" name="username" autoComplete="username" value={reset.signInAs} />
        <PasswordField
          name="password"
          label={t("uxrest.reset.password")}
          hint={t("invite.passwordHint")}
          autoComplete="new-password"
          error={errors.password}
          required
        />
        <p className="muted">{t("uxrest.reset.othersSignedOut")}</p>
        <button className="btn block" type="submit" disabled={busy} data-testid="reset-submit">
          {t("uxrest.reset.submit")}
        </button>
      </Form>
    </div>
  );
}
