// One volunteer activity: its details and my place on it; for its leaders the rotating check-in
// QR (a new signed link each minute, like a session's) and the roster to check people in and out
// and confirm their service, which issues their points (issue 18). Its leaders and community staff
// may cancel it (with a reason everyone sees, in two steps) or edit it before it starts.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Outcome } from "~/components/outcome";
import { PointsLabel, when } from "~/components/volunteer-ui";
import { placeOptions } from "~/models/places.server";
import { activityDetail, cancelActivity, cancelSignUp, confirmService, editActivity, leaderCheck, signUp } from "~/models/volunteer.server";
import { communityPage, fieldsOf, formOf, problemsFrom, zodProblems, type Problems } from "~/utils/forms.server";
import { orHttpError } from "~/utils/http.server";
import { idSchema } from "~/utils/schemas";
import { activityCancelSchema, activityEditSchema } from "~/utils/volunteer-schemas";

async function load(request: Request, slug: string, activityId: string) {
  const { actor, community } = await communityPage(request, slug);
  const activity = await orHttpError(() => activityDetail(actor, activityId));
  if (activity.communityId !== community.id) throw new Response("Not found", { status: 404 });
  return { actor, community, activity };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { community, activity } = await load(request, params.slug ?? "", params.activityId ?? "");
  const places = activity.mayChange && activity.status === "open" ? (await placeOptions(community.id)).filter((p) => p.kind !== "household") : [];
  return { community, activity, places };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, activity } = await load(request, params.slug ?? "", params.activityId ?? "");
  const fields = fieldsOf(await formOf(request));
  const fail = (problems: Problems) => ({ problems, done: null as string | null });
  try {
    if (fields.intent === "signUp") {
      const r = await signUp(actor, activity.id);
      return { problems: {}, done: r.status === "signedUp" ? "volunteer.done.signedUp" : "volunteer.done.waiting" };
    }
    if (fields.intent === "cancel") {
      await cancelSignUp(actor, activity.id);
      return { problems: {}, done: "volunteer.done.cancelled" };
    }
    if (fields.intent === "cancelActivity") {
      const input = activityCancelSchema.safeParse({ reason: fields.reason ?? "" });
      if (!input.success) return fail(zodProblems(input.error));
      const r = await cancelActivity(actor, activity.id, input.data.reason);
      return { problems: {}, done: "volunteer.manage.done.cancelled", values: { count: r.notified } };
    }
    if (fields.intent === "editActivity") {
      const input = activityEditSchema.safeParse({
        title: fields.title,
        description: fields.description ?? "",
        placeId: fields.placeId ?? "",
        startsAt: fields.startsAt,
        endsAt: fields.endsAt,
        capacity: fields.capacity,
        points: fields.points,
      });
      if (!input.success) return fail(zodProblems(input.error));
      await editActivity(actor, activity.id, input.data);
      return { problems: {}, done: "volunteer.manage.done.edited" };
    }
    const signupId = idSchema.safeParse(fields.signupId);
    if (!signupId.success) return fail(zodProblems(signupId.error));
    if (fields.intent === "in" || fields.intent === "out") {
      await leaderCheck(actor, signupId.data, fields.intent);
      return { problems: {}, done: fields.intent === "in" ? "volunteer.done.checkedIn" : "volunteer.done.checkedOut" };
    }
    if (fields.intent === "confirm") {
      const r = await confirmService(actor, signupId.data);
      return { problems: {}, done: r.capped ? "volunteer.done.confirmedCapped" : "volunteer.done.confirmed", values: { points: r.points } };
    }
    return fail({ _form: { key: "errors.invalidInput" } });
  } catch (error) {
    return fail(problemsFrom(error));
  }
}

/** The leader's screen: fetches the next QR each minute (the old link stays valid two more minutes). */
function CheckInQr({ activityId }: { activityId: string }) {
  const { t } = useTranslation();
  const [qr, setQr] = useState<{ svg: string; url: string } | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    const next = async () => {
      try {
        const res = await fetch(`/api/v1/volunteer/activities/${activityId}/check-in-qr`, { credentials: "same-origin" });
        if (res.ok) {
          const body = (await res.json()) as { svg: string; url: string; refreshInMs: number };
          if (!stopped) setQr(body);
          timer = setTimeout(next, Math.max(5_000, body.refreshInMs + 500));
          return;
        }
      } catch {
        // Offline for a moment: try again shortly.
      }
      timer = setTimeout(next, 10_000);
    };
    void next();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [activityId]);
  return (
    <figure className="stack" style={{ margin: 0 }}>
      {qr ? (
        <div role="img" aria-label={t("volunteer.qrLabel")} style={{ maxWidth: 320 }} dangerouslySetInnerHTML={{ __html: qr.svg }} />
      ) : (
        <p className="muted">{t("volunteer.loading")}</p>
      )}
      {qr ? (
        <figcaption className="muted" style={{ wordBreak: "break-all" }}>
          <a href={qr.url} data-testid="check-in-url">
            {t("volunteer.qrCaption")}
          </a>
        </figcaption>
      ) : null}
    </figure>
  );
}

/** A datetime-local value in Beijing time, the zone the forms read (schemas.ts beijingDateTime). */
const beijingLocal = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16);

export default function ActivityPage() {
  const { community, activity, places } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, i18n } = useTranslation();
  const a = activity;
  return (
    <div className="card stack">
      <p>
        <a href={`/c/${community.slug}/volunteer`}>← {t("volunteer.title")}</a>
      </p>
      {a.status === "cancelled" ? (
        <div className="notice stack" role="note" data-testid="activity-cancelled">
          <strong>{t("volunteer.manage.cancelled")}</strong>
          <span>{t("volunteer.manage.cancelledBy", { reason: a.cancelReason ?? "" })}</span>
          <span>{a.confirmedCount ? t("volunteer.manage.pointsStay", { count: a.confirmedCount }) : t("volunteer.manage.pointsStayNone")}</span>
        </div>
      ) : null}
      <h1>{a.title}</h1>
      <p className="muted">
        {a.team} · {a.placeName || t("volunteer.noPlace")} · {when(a.startsAt, i18n.language)}–{when(a.endsAt, i18n.language)}
      </p>
      {a.description ? <p>{a.description}</p> : null}
      <p>
        <PointsLabel mode={a.pointsMode} points={a.points} /> {t("volunteer.places", { taken: a.signedUp, capacity: a.capacity })}
        {a.waiting ? ` · ${t("volunteer.waitingCount", { count: a.waiting })}` : ""}
      </p>
      <Outcome done={data?.done ? t(data.done, (data as { values?: Record<string, number> }).values) : null} problems={data?.problems} />
      {a.mine ? (
        <div className="stack" data-testid="my-signup">
          <p className="notice ok">{t(a.mine.status === "signedUp" ? "volunteer.youAreIn" : "volunteer.youWait")}</p>
          {a.mine.checkedInAt ? <p>{t("volunteer.checkedInAt", { at: when(a.mine.checkedInAt, i18n.language) })}</p> : null}
          {a.mine.checkedOutAt ? (
            <p>{t("volunteer.checkedOutAt", { at: when(a.mine.checkedOutAt, i18n.language), minutes: a.mine.minutesServed ?? 0 })}</p>
          ) : null}
          {a.mine.confirmedAt ? <p className="notice ok">{t("volunteer.confirmedMine")}</p> : null}
          {!a.mine.checkedInAt && a.status !== "cancelled" ? (
            <Form method="post">
              <button className="btn secondary block" name="intent" value="cancel" disabled={busy}>
                {t("volunteer.cancel")}
              </button>
            </Form>
          ) : null}
        </div>
      ) : a.status === "open" ? (
        <Form method="post">
          <button className="btn block big" name="intent" value="signUp" disabled={busy} data-testid="sign-up">
            {a.signedUp >= a.capacity ? t("volunteer.joinWaiting") : t("volunteer.signUp")}
          </button>
        </Form>
      ) : null}

      {a.mayChange && a.status === "open" ? (
        <section className="stack" aria-labelledby="manage">
          <h2 id="manage">{t("volunteer.manage.heading")}</h2>
          {new Date(a.startsAt) > new Date() ? (
            <details className="stack" data-testid="edit-activity">
              <summary className="btn secondary block">{t("volunteer.manage.edit")}</summary>
              <p className="muted">{t("volunteer.manage.editHelp")}</p>
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="editActivity" />
                <label htmlFor="e-title">{t("volunteer.activityTitle")}</label>
                <input id="e-title" name="title" required minLength={2} maxLength={80} defaultValue={a.title} />
                <label htmlFor="e-desc">{t("volunteer.description")}</label>
                <textarea id="e-desc" name="description" maxLength={2000} rows={3} defaultValue={a.description} />
                <label htmlFor="e-place">{t("volunteer.place")}</label>
                <select id="e-place" name="placeId" defaultValue={a.placeId ?? ""}>
                  <option value="">{t("volunteer.noPlace")}</option>
                  {places.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.label}
                    </option>
                  ))}
                </select>
                <label htmlFor="e-start">{t("volunteer.startsAt")}</label>
                <input id="e-start" name="startsAt" type="datetime-local" required defaultValue={beijingLocal(a.startsAt)} />
                <label htmlFor="e-end">{t("volunteer.endsAt")}</label>
                <input id="e-end" name="endsAt" type="datetime-local" required defaultValue={beijingLocal(a.endsAt)} />
                <label htmlFor="e-cap">{t("volunteer.capacity")}</label>
                <input id="e-cap" name="capacity" type="number" min={1} max={500} required defaultValue={a.capacity} />
                <label htmlFor="e-points">{t("volunteer.points")}</label>
                <input id="e-points" name="points" type="number" min={0} max={1000} required defaultValue={a.points} />
                <button className="btn block big" type="submit" disabled={busy}>
                  {t("volunteer.manage.save")}
                </button>
              </Form>
            </details>
          ) : null}
          {/* Two steps: opening the panel, then the red confirmation button, so one stray tap cancels nothing. */}
          <details className="stack" data-testid="cancel-activity">
            <summary className="btn danger block big">{t("volunteer.manage.cancel")}</summary>
            <p className="muted">{t("volunteer.manage.cancelHelp")}</p>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="cancelActivity" />
              <label htmlFor="c-reason">{t("volunteer.manage.reason")}</label>
              <textarea id="c-reason" name="reason" required minLength={1} maxLength={200} rows={2} aria-describedby="c-reason-hint" />
              <span id="c-reason-hint" className="muted">
                {t("volunteer.manage.reasonHint")}
              </span>
              <button className="btn danger block big" type="submit" disabled={busy} data-testid="confirm-cancel">
                {t("volunteer.manage.confirmCancel")}
              </button>
            </Form>
          </details>
        </section>
      ) : null}

      {a.mayLead ? (
        <section className="stack" aria-labelledby="lead">
          <h2 id="lead">{t("volunteer.leaderTools")}</h2>
          {a.status === "open" ? (
            <>
              <p className="muted">{t("volunteer.qrHelp")}</p>
              <CheckInQr activityId={a.id} />
            </>
          ) : null}
          <h3>{t("volunteer.roster")}</h3>
          {a.roster.length === 0 ? <p className="muted">{t("volunteer.rosterEmpty")}</p> : null}
          <ul className="list" data-testid="roster">
            {a.roster.map((s) => (
              <li key={s.id} className="stack" data-testid="roster-row" data-name={s.displayName}>
                <strong>{s.displayName}</strong>
                <span className="muted">
                  {t(`volunteer.signupStatus.${s.status}`)}
                  {s.checkedInAt ? ` · ${t("volunteer.in")} ${when(s.checkedInAt, i18n.language)}` : ""}
                  {s.checkedOutAt ? ` · ${t("volunteer.out")} ${when(s.checkedOutAt, i18n.language)}` : ""}
                  {s.minutesServed !== null ? ` · ${t("volunteer.minutes", { minutes: s.minutesServed })}` : ""}
                </span>
                {s.confirmedAt ? (
                  <span className="pill ok">{t("volunteer.confirmed")}</span>
                ) : s.status === "signedUp" ? (
                  <Form method="post" style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem" }}>
                    <input type="hidden" name="signupId" value={s.id} />
                    {!s.checkedInAt ? (
                      <button className="btn secondary" name="intent" value="in" disabled={busy}>
                        {t("volunteer.checkIn")}
                      </button>
                    ) : null}
                    {s.checkedInAt && !s.checkedOutAt ? (
                      <button className="btn secondary" name="intent" value="out" disabled={busy}>
                        {t("volunteer.checkOut")}
                      </button>
                    ) : null}
                    {s.checkedInAt ? (
                      <button className="btn" name="intent" value="confirm" disabled={busy} data-testid="confirm">
                        {t("volunteer.confirm")}
                      </button>
                    ) : null}
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
