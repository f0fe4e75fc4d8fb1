// First-run setup (app/models/setup.server.ts): only while no account exists.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AccountFields, Field } from "~/components/field";
import { SetupRefused, createFirstAccount, needsSetup } from "~/models/setup.server";
import { createAuthSession } from "~/utils/auth.server";
import { LIMITS, RateLimited, limitAddress } from "~/utils/rate-limit.server";
import { fieldErrors, setupSchema } from "~/utils/schemas";

export const meta: MetaFunction = (args) => pageMeta(args, "setup.title");

// Retry-After from a refused action reaches the browser.
export { passRetryAfter as headers } from "~/utils/rate-limit.server";

export async function loader(_: LoaderFunctionArgs) {
  if (!(await needsSetup())) throw redirect("/login");
  return null;
}

type ActionData = { errors: Record<string, string>; values?: Record<string, number>; form?: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs) {
  if (!(await needsSetup())) throw redirect("/login");
  // Guessing the setup code from one address is throttled like guessing a password.
  try {
    await limitAddress("setup", context, LIMITS.setup);
  } catch (error) {
    if (!(error instanceof RateLimited)) throw error;
    return json<ActionData>(
      { errors: { _form: error.key }, values: { minutes: Math.ceil(error.retryAfterSec / 60) } },
      { status: 429, headers: { "Retry-After": String(error.retryAfterSec) } },
    );
  }
  const raw = Object.fromEntries(await request.formData());
  const form = Object.fromEntries(Object.entries(raw).filter(([k, v]) => typeof v === "string" && k !== "password" && k !== "code")) as Record<string, string>;
  const parsed = setupSchema.safeParse(raw);
  if (!parsed.success) return json<ActionData>({ errors: fieldErrors(parsed.error), form });
  const { code, ...input } = parsed.data;
  try {
    const { userId } = await createFirstAccount(input, code);
    throw redirect("/", { headers: { "Set-Cookie": await createAuthSession(userId, request) } });
  } catch (error) {
    if (error instanceof SetupRefused) return json<ActionData>({ errors: { [error.field]: error.key }, form });
    throw error;
  }
}

export default function SetupPage() {
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const errors: Record<string, string | undefined> = data?.errors ?? {};
  const form: Record<string, string | undefined> = data?.form ?? {};
  return (
    <div className="card">
      <h1>{t("setup.title")}</h1>
      <p>{t("setup.intro")}</p>
      {errors._form ? (
        <p className="error" role="alert">
          {t(errors._form, data?.values)}
        </p>
      ) : null}
      <Form method="post" className="stack" noValidate>
        <Field name="code" label={t("setup.code")} autoComplete="one-time-code" autoCapitalize="characters" error={errors.code} required />
        <h2>{t("setup.community")}</h2>
        <Field name="communityName" label={t("setup.communityName")} defaultValue={form.communityName} error={errors.communityName} required />
        <Field name="slug" label={t("setup.slug")} hint={t("setup.slugHint")} autoCapitalize="none" defaultValue={form.slug} error={errors.slug} required />
        <Field name="city" label={t("setup.city")} defaultValue={form.city} error={errors.city} />
        <Field name="district" label={t("setup.district")} defaultValue={form.district} error={errors.district} />
        <h2>{t("setup.account")}</h2>
        <AccountFields errors={errors} values={form} />
        <button className="btn block" type="submit" disabled={navigation.state !== "idle"}>
          {t("setup.submit")}
        </button>
      </Form>
    </div>
  );
}
