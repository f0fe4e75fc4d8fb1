import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AccountFields } from "~/components/field";
import { acceptInvite, findUsableInvite } from "~/models/invite.server";
import { createAuthSession, getUserId } from "~/utils/auth.server";
import { LIMITS, RateLimited, limitAddress } from "~/utils/rate-limit.server";
import { fieldErrors, inviteAcceptSchema } from "~/utils/schemas";
import { fieldsOf, formOf } from "~/utils/forms.server";

export const meta: MetaFunction = (args) => pageMeta(args, "invite.title");

// Retry-After from a refused action reaches the browser.
export { passRetryAfter as headers } from "~/utils/rate-limit.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const invite = await findUsableInvite(params.token ?? "");
  const signedIn = Boolean(await getUserId(request));
  return { invite: invite ? { role: invite.role, community: invite.community.name } : null, signedIn };
}

/** 429 with Retry-After and the message the form shows. */
function tooMany(error: RateLimited) {
  return json(
    { errors: { _form: error.key } as Record<string, string>, values: { minutes: Math.ceil(error.retryAfterSec / 60) } },
    { status: 429, headers: { "Retry-After": String(error.retryAfterSec) } },
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  try {
    // Per address, before the body is read; acceptInvite bounds refusals per invite as well.
    await limitAddress("invite-accept", context, LIMITS.inviteAccept);
    const form = fieldsOf(await formOf(request));
    const userId = await getUserId(request);
    if (form.intent === "join" && userId) {
      const result = await acceptInvite(token, { userId });
      if (!result.ok) return { errors: result.errors };
      throw redirect("/");
    }
    const parsed = inviteAcceptSchema.safeParse(form);
    if (!parsed.success) return { errors: fieldErrors(parsed.error) };
    const result = await acceptInvite(token, { account: parsed.data });
    if (!result.ok) return { errors: result.errors };
    throw redirect("/", { headers: { "Set-Cookie": await createAuthSession(result.userId, request) } });
  } catch (error) {
    if (error instanceof RateLimited) return tooMany(error);
    throw error;
  }
}

export default function InvitePage() {
  const { invite, signedIn } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  if (!invite) {
    return (
      <div className="card" role="alert">
        <h1>{t("invite.title")}</h1>
        <p>{t("invite.invalid")}</p>
      </div>
    );
  }
  const errors: Record<string, string | undefined> = data?.errors ?? {};
  return (
    <div className="card">
      <h1>{t("invite.title")}</h1>
      <p>{t("invite.intro", { community: invite.community, role: t(`roles.${invite.role}`) })}</p>
      {errors._form ? (
        <p className="error" role="alert">
          {t(errors._form, data && "values" in data ? data.values : undefined)}
        </p>
      ) : null}
      {signedIn ? (
        <Form method="post">
          <input type="hidden" name="intent" value="join" />
          <button className="btn block" type="submit" disabled={navigation.state !== "idle"}>
            {t("invite.submit")}
          </button>
        </Form>
      ) : (
        <Form method="post" className="stack" noValidate>
          <AccountFields errors={errors} usernameOptional />
          <button className="btn block" type="submit" disabled={navigation.state !== "idle"}>
            {t("invite.submit")}
          </button>
        </Form>
      )}
    </div>
  );
}
