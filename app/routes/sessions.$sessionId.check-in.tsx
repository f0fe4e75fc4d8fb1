import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import liveStyles from "~/styles/live.css?url";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { assertRotatingCheckInToken } from "~/models/check-in-link.server";
import { checkIn } from "~/models/live-session.server";
import { LIMITS, RateLimited, limitAddress } from "~/utils/rate-limit.server";
import { prisma } from "~/utils/db.server";
import { isRefusal } from "~/utils/errors";
import { orHttpError } from "~/utils/http.server";
import { NotFound, loadSessionResource, requireActor, requirePermission } from "~/utils/permissions.server";
import { formOf } from "~/utils/forms.server";

export const meta: MetaFunction = (args) => pageMeta(args, "live.checkInTitle");

// Retry-After from a refused action reaches the browser.
export { passRetryAfter as headers } from "~/utils/rate-limit.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: liveStyles }];

// The page the meeting-room QR code opens: one big button, because a GET must not check anyone in.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return orHttpError(async () => {
    const s = await loadSessionResource(params.sessionId ?? "");
    if (!s) throw new NotFound("session");
    requirePermission(actor, "session:attend", s);
    const session = await prisma.councilSession.findUniqueOrThrow({ where: { id: s.sessionId }, select: { id: true, title: true } });
    return { session, token: new URL(request.url).searchParams.get("t") ?? "" };
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  try {
    await limitAddress("check-in", context, LIMITS.checkIn);
  } catch (error) {
    if (!(error instanceof RateLimited)) throw error;
    return json(
      { error: error.key, values: { minutes: Math.ceil(error.retryAfterSec / 60) } },
      { status: 429, headers: { "Retry-After": String(error.retryAfterSec) } },
    );
  }
  const token = String((await formOf(request)).get("token") ?? "");
  try {
    assertRotatingCheckInToken(token);
    await orHttpError(() => checkIn(actor, params.sessionId ?? "", { token }));
  } catch (error) {
    if (isRefusal(error) && error.status === 409) return json({ error: error.key, values: error.values });
    throw error;
  }
  throw redirect(`/sessions/${params.sessionId}/live?checkedIn=1`); // the live page says "签到成功" once
}

export default function CheckInPage() {
  const { session, token } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  return (
    <div className="card stack">
      <h1>{t("live.checkInTitle")}</h1>
      <p>{session.title}</p>
      {data?.error ? (
        <p className="error" role="alert">
          {t(data.error, data.values as Record<string, string | number>)}
        </p>
      ) : null}
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <button className="btn block big" type="submit" disabled={navigation.state !== "idle"} data-testid="check-in">
          {t("live.checkIn")}
        </button>
      </Form>
    </div>
  );
}
