// The page an activity's QR opens: one big button (a GET must not check anyone in). The first
// press checks the resident in, a later one (a fresh scan at the end) checks them out.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Outcome } from "~/components/outcome";
import { activityDetail, scanCheckIn } from "~/models/volunteer.server";
import { communityPage, fieldsOf, formOf, problemsFrom, type Problems } from "~/utils/forms.server";
import { orHttpError } from "~/utils/http.server";
import { checkInTokenSchema } from "~/utils/volunteer-schemas";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "");
  const a = await orHttpError(() => activityDetail(actor, params.activityId ?? ""));
  if (a.communityId !== community.id) throw new Response("Not found", { status: 404 });
  return {
    community,
    activity: { id: a.id, title: a.title },
    mine: a.mine ? { checkedIn: !!a.mine.checkedInAt, checkedOut: !!a.mine.checkedOutAt } : null,
    token: new URL(request.url).searchParams.get("t") ?? "",
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await communityPage(request, params.slug ?? "");
  const fields = fieldsOf(await formOf(request));
  try {
    const input = checkInTokenSchema.safeParse({ token: fields.token ?? "" });
    if (!input.success) return { problems: { token: { key: "errors.checkInInvalid" } } as Problems, done: null, minutes: null };
    const r = await scanCheckIn(actor, params.activityId ?? "", input.data.token);
    return { problems: {} as Problems, done: r.checkedOutAt ? "volunteer.done.checkedOutSelf" : "volunteer.done.checkedInSelf", minutes: r.minutesServed };
  } catch (error) {
    return { problems: problemsFrom(error), done: null, minutes: null };
  }
}

export default function ActivityCheckIn() {
  const { community, activity, mine, token } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const goingOut = mine?.checkedIn && !mine.checkedOut;
  return (
    <div className="card stack">
      <h1>{t("volunteer.checkInTitle")}</h1>
      <p>{activity.title}</p>
      <Outcome done={data?.done ? t(data.done, { minutes: data.minutes ?? 0 }) : null} problems={data?.problems} />
      {!mine ? <p className="error">{t("errors.volunteerNotSignedUp")}</p> : null}
      {data?.done ? null : (
        <Form method="post">
          <input type="hidden" name="token" value={token} />
          <button className="btn block big" type="submit" disabled={busy || !mine} data-testid="check-in">
            {goingOut ? t("volunteer.checkOut") : t("volunteer.checkIn")}
          </button>
        </Form>
      )}
      <a href={`/c/${community.slug}/volunteer/activities/${activity.id}`}>{t("volunteer.backToActivity")}</a>
    </div>
  );
}
