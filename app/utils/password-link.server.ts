// The action behind every one-time link that sets a password and signs the person in (激活账号,
// 重设密码): bounded per address before the body is read, the form checked with the link's own
// zod schema, the link spent once, then a sign-in cookie. The links differ only in their model.
import { json, redirect, type ActionFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { createAuthSession } from "~/utils/auth.server";
import { fieldsOf, formOf } from "~/utils/forms.server";
import { LIMITS, RateLimited, limitAddress } from "~/utils/rate-limit.server";
import { fieldErrors } from "~/utils/schemas";

export type PasswordLinkActionData = { errors: Record<string, string>; values?: Record<string, number> };

export async function setPasswordByLink(
  { request, params, context }: ActionFunctionArgs,
  link: {
    /** The rate-limit bucket: the same bound as invitation links, per link kind. */
    limit: string;
    schema: z.ZodType<{ password: string }>;
    spend: (token: string, password: string) => Promise<{ ok: true; userId: string } | { ok: false }>;
    /** The refusal when the link is unknown, used or expired. */
    invalidKey: string;
  },
) {
  try {
    await limitAddress(link.limit, context, LIMITS.inviteAccept);
  } catch (error) {
    if (error instanceof RateLimited)
      return json<PasswordLinkActionData>(
        { errors: { _form: error.key }, values: { minutes: Math.ceil(error.retryAfterSec / 60) } },
        { status: 429, headers: { "Retry-After": String(error.retryAfterSec) } },
      );
    throw error;
  }
  const parsed = link.schema.safeParse(fieldsOf(await formOf(request)));
  if (!parsed.success) return json<PasswordLinkActionData>({ errors: fieldErrors(parsed.error) }, { status: 400 });
  const result = await link.spend(params.token ?? "", parsed.data.password);
  if (!result.ok) return json<PasswordLinkActionData>({ errors: { _form: link.invalidKey } }, { status: 410 });
  throw redirect("/", { headers: { "Set-Cookie": await createAuthSession(result.userId, request) } });
}
