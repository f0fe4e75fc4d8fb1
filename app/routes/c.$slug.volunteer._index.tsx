// 志愿服务: the community's activities (sign up, cancel), my points and their history, and for a
// team's leaders the form to post an activity (issue 18).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Outcome } from "~/components/outcome";
import { PointsLabel, VolunteerNav, when } from "~/components/volunteer-ui";
import { placeOptions } from "~/models/places.server";
import { cancelSignUp, createActivity, listActivities, listMerchants, listTeams, myPoints, signUp } from "~/models/volunteer.server";
import { communityPage, fieldsOf, formOf, problemsFrom, zodProblems, type Problems } from "~/utils/forms.server";
import { can } from "~/utils/permissions.server";
import { idSchema } from "~/utils/schemas";
import { activityCreateSchema } from "~/utils/volunteer-schemas";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "");
  const staff = can(actor, "volunteer:manage", { type: "community", communityId: community.id });
  const [activities, points, teams, merchants] = await Promise.all([
    listActivities(actor, community.id),
    myPoints(actor, community.id),
    listTeams(actor, community.id),
    listMerchants(actor, community.id),
  ]);
  const leadTeams = teams.filter((t) => t.mayLead || staff).map((t) => ({ id: t.id, name: t.name }));
  return {
    community,
    activities,
    points: { balance: points.balance, history: points.history.slice(0, 20) },
    leadTeams,
    places: leadTeams.length ? (await placeOptions(community.id)).filter((p) => p.kind !== "household") : [],
    merchants: merchants.map((m) => ({ id: m.id, name: m.name, offers: m.offers.filter((o) => o.active) })),
    isMerchant: merchants.some((m) => m.mine),
    staff,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "");
  const fields = fieldsOf(await formOf(request));
  const fail = (problems: Problems) => ({ problems, done: null as string | null });
  try {
    if (fields.intent === "post") {
      const input = activityCreateSchema.safeParse({
        teamId: fields.teamId,
        title: fields.title,
        description: fields.description ?? "",
        placeId: fields.placeId ?? "",
        startsAt: fields.startsAt,
        endsAt: fields.endsAt,
        capacity: fields.capacity,
        pointsMode: fields.pointsMode || undefined,
        points: fields.points === "" ? undefined : fields.points,
      });
      if (!input.success) return fail(zodProblems(input.error));
      await createActivity(actor, community.id, input.data);
      return { problems: {} as Problems, done: "volunteer.done.posted" };
    }
    const activityId = idSchema.safeParse(fields.activityId);
    if (!activityId.success) return fail(zodProblems(activityId.error));
    if (fields.intent === "signUp") {
      const r = await signUp(actor, activityId.data);
      return { problems: {} as Problems, done: r.status === "signedUp" ? "volunteer.done.signedUp" : "volunteer.done.waiting" };
    }
    if (fields.intent === "cancel") {
      await cancelSignUp(actor, activityId.data);
      return { problems: {} as Problems, done: "volunteer.done.cancelled" };
    }
    return fail({ _form: { key: "errors.invalidInput" } });
  } catch (error) {
    return fail(problemsFrom(error));
  }
}

const kindKey = (kind: string) => `volunteer.kinds.${kind}`;

export default function VolunteerPage() {
  const { community, activities, points, leadTeams, places, merchants, isMerchant, staff } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, i18n } = useTranslation();
  return (
    <div className="card stack">
      <h1>{t("volunteer.title")}</h1>
      <p className="muted">{t("volunteer.intro")}</p>
      <VolunteerNav slug={community.slug} merchant={isMerchant} staff={staff} />
      <Outcome done={data?.done} problems={data?.problems} />

      <section className="stack" aria-labelledby="my-points">
        <h2 id="my-points">{t("volunteer.myPoints")}</h2>
        <p className="big-number" data-testid="balance" style={{ fontSize: "2.2rem", fontWeight: 700, margin: 0 }}>
          {t("volunteer.balance", { points: points.balance })}
        </p>
        <a className="btn block big" href={`/c/${community.slug}/volunteer/redeem`}>
          {t("volunteer.showCode")}
        </a>
        {points.history.length ? (
          <details>
            <summary>{t("volunteer.history")}</summary>
            <ul className="list" data-testid="history">
              {points.history.map((h) => (
                <li key={h.seq}>
                  <strong>{h.amount > 0 ? `+${h.amount}` : h.amount}</strong> · {t(kindKey(h.kind))} · {h.memo} · {when(h.at, i18n.language)}
                </li>
              ))}
            </ul>
          </details>
        ) : (
          <p className="muted">{t("volunteer.noHistory")}</p>
        )}
      </section>

      <section className="stack" aria-labelledby="activities">
        <h2 id="activities">{t("volunteer.activities")}</h2>
        {activities.length === 0 ? <p className="muted">{t("volunteer.noActivities")}</p> : null}
        <ul className="list" data-testid="activities">
          {activities.map((a) => (
            <li key={a.id} className="stack" data-testid="activity" data-title={a.title}>
              <a href={`/c/${community.slug}/volunteer/activities/${a.id}`}>
                <strong>{a.title}</strong>
              </a>
              <span className="muted" style={{ display: "block" }}>
                {a.team} · {a.placeName || t("volunteer.noPlace")} · {when(a.startsAt, i18n.language)}–{when(a.endsAt, i18n.language)}
              </span>
              <span>
                <PointsLabel mode={a.pointsMode} points={a.points} /> {t("volunteer.places", { taken: a.signedUp, capacity: a.capacity })}
                {a.waiting ? ` · ${t("volunteer.waitingCount", { count: a.waiting })}` : ""}
              </span>
              {a.status !== "open" ? (
                <span>
                  <span className="pill">{t(`volunteer.status.${a.status}`)}</span>
                  {a.cancelReason ? <span data-testid="cancel-reason"> {t("volunteer.manage.cancelledBy", { reason: a.cancelReason })}</span> : null}
                </span>
              ) : (
                <Form method="post">
                  <input type="hidden" name="activityId" value={a.id} />
                  {a.mine ? (
                    <>
                      <p className="notice ok">{t(a.mine === "signedUp" ? "volunteer.youAreIn" : "volunteer.youWait")}</p>
                      <button className="btn secondary block" name="intent" value="cancel" disabled={busy}>
                        {t("volunteer.cancel")}
                      </button>
                    </>
                  ) : (
                    <button className="btn block big" name="intent" value="signUp" disabled={busy} data-testid="sign-up">
                      {a.signedUp >= a.capacity ? t("volunteer.joinWaiting") : t("volunteer.signUp")}
                    </button>
                  )}
                </Form>
              )}
            </li>
          ))}
        </ul>
      </section>

      {leadTeams.length ? (
        <details className="stack" data-testid="post-activity">
          <summary>{t("volunteer.post")}</summary>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="post" />
            <label htmlFor="v-team">{t("volunteer.team")}</label>
            <select id="v-team" name="teamId">
              {leadTeams.map((tm) => (
                <option key={tm.id} value={tm.id}>
                  {tm.name}
                </option>
              ))}
            </select>
            <label htmlFor="v-title">{t("volunteer.activityTitle")}</label>
            <input id="v-title" name="title" required minLength={2} maxLength={80} />
            <label htmlFor="v-desc">{t("volunteer.description")}</label>
            <textarea id="v-desc" name="description" maxLength={2000} rows={3} />
            <label htmlFor="v-place">{t("volunteer.place")}</label>
            <select id="v-place" name="placeId" defaultValue="">
              <option value="">{t("volunteer.noPlace")}</option>
              {places.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
            <label htmlFor="v-start">{t("volunteer.startsAt")}</label>
            <input id="v-start" name="startsAt" type="datetime-local" required />
            <label htmlFor="v-end">{t("volunteer.endsAt")}</label>
            <input id="v-end" name="endsAt" type="datetime-local" required />
            <label htmlFor="v-cap">{t("volunteer.capacity")}</label>
            <input id="v-cap" name="capacity" type="number" min={1} max={500} defaultValue={5} required />
            <label htmlFor="v-mode">{t("volunteer.pointsMode")}</label>
            <select id="v-mode" name="pointsMode" defaultValue="">
              <option value="">{t("volunteer.modeDefault")}</option>
              <option value="perHour">{t("volunteer.modes.perHour")}</option>
              <option value="perActivity">{t("volunteer.modes.perActivity")}</option>
            </select>
            <label htmlFor="v-points">{t("volunteer.points")}</label>
            <input id="v-points" name="points" type="number" min={0} max={1000} />
            <button className="btn block big" type="submit" disabled={busy}>
              {t("volunteer.post")}
            </button>
          </Form>
        </details>
      ) : null}

      <section className="stack" aria-labelledby="merchants">
        <h2 id="merchants">{t("volunteer.merchants")}</h2>
        {merchants.length === 0 ? <p className="muted">{t("volunteer.noMerchants")}</p> : null}
        <ul className="list">
          {merchants.map((m) => (
            <li key={m.id}>
              <strong>{m.name}</strong>
              <ul>
                {m.offers.map((o) => (
                  <li key={o.id}>{t("volunteer.offerLine", { title: o.title, points: o.points })}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
