import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, PasswordField } from "~/components/field";
import { checkCredentials, createAuthSession, getUserId } from "~/utils/auth.server";
import { needsSetup } from "~/models/setup.server";
import { env } from "~/utils/env.server";
import { prisma } from "~/utils/db.server";
import { localeSchema } from "~/utils/domain";
import { localeCookie } from "~/utils/locale.server";
import { LIMITS, RateLimited, clientAddress, limitAddress } from "~/utils/rate-limit.server";
import { fieldErrors, loginSchema, safeRedirect } from "~/utils/schemas";
import { fieldsOf, formOf } from "~/utils/forms.server";

export const meta: MetaFunction = (args) => pageMeta(args, "login.title");

// Retry-After from a refused action reaches the browser.
export { passRetryAfter as headers } from "~/utils/rate-limit.server";

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUserId(request)) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  // A fresh install has nobody to sign in yet.
  if (await needsSetup()) throw redirect("/setup");
  // The hint about demo accounts only where the demo is (a real install has no published password).
  // (prisma/seed.ts creates this community; it is not imported here to keep the seed out of the build.)
  // Only a server started with YISHI_DEMO=1 says the password: a production install that once held the demo data must not.
  if (env().YISHI_DEMO !== "1") return { demo: false };
  return { demo: Boolean(await prisma.community.findFirst({ where: { slug: "xingfuli", name: "幸福里社区" }, select: { id: true } })) };
}

type ActionData = { errors: Record<string, string>; values?: Record<string, number>; identifier: string };

/** 429 with Retry-After, and the message the form shows. */
function refused(key: string, retryAfterSec: number, identifier: string) {
  return json<ActionData>(
    { errors: { _form: key }, values: { minutes: Math.ceil(retryAfterSec / 60) }, identifier },
    { status: 429, headers: { "Retry-After": String(retryAfterSec) } },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  // Counted before the body is read: a flood from one address is refused cheaply.
  try {
    await limitAddress("sign-in", context, LIMITS.signInRequests);
  } catch (error) {
    if (error instanceof RateLimited) return refused(error.key, error.retryAfterSec, "");
    throw error;
  }
  const form = fieldsOf(await formOf(request));
  const parsed = loginSchema.safeParse(form);
  if (!parsed.success) return json<ActionData>({ errors: fieldErrors(parsed.error), identifier: String(form.identifier ?? "") });
  const check = await checkCredentials(parsed.data.identifier, parsed.data.password, clientAddress(context));
  if (!check.ok && check.reason === "locked") return refused("errors.tooManyAttempts", check.retryAfterSec, parsed.data.identifier);
  if (!check.ok && check.reason === "deactivated")
    return json<ActionData>({ errors: { _form: "errors.accountDeactivated" }, identifier: parsed.data.identifier }, { status: 403 });
  if (!check.ok) return json<ActionData>({ errors: { _form: "login.failed" }, identifier: parsed.data.identifier });
  const user = check.user;
  const headers = new Headers();
  headers.append("Set-Cookie", await createAuthSession(user.id, request));
  const locale = localeSchema.safeParse(user.locale);
  if (locale.success) headers.append("Set-Cookie", await localeCookie.serialize(locale.data));
  throw redirect(safeRedirect(parsed.data.redirectTo), { headers });
}

export default function Login() {
  const data = useActionData<typeof action>();
  const { demo } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const { t } = useTranslation();
  return (
    <div className="card">
      <h1>{t("login.title")}</h1>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <Field
          name="identifier"
          label={t("login.identifier")}
          autoComplete="username"
          inputMode="text"
          defaultValue={data?.identifier}
          error={data?.errors.identifier}
          required
        />
        <PasswordField name="password" label={t("login.password")} autoComplete="current-password" error={data?.errors.password} required />
        {data?.errors._form ? (
          <p className="error" role="alert">
            {t(data.errors._form, data.values)}
          </p>
        ) : null}
        <button className="btn block" type="submit" disabled={navigation.state !== "idle"}>
          {t("login.submit")}
        </button>
        {demo ? <p className="muted">{t("login.demo")}</p> : null}
      </Form>
    </div>
  );
}
