// 议事会席位: community staff seat and unseat members, and see each seat's terms.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Outcome } from "~/components/outcome";
import { councilsOf, seatMember, unseatMember } from "~/models/council.server";
import { CONSTITUENCIES } from "~/utils/domain";
import { formatDateTime } from "~/utils/format";
import { communityPage, formOf, problemsFrom, zodProblems, type Problems } from "~/utils/forms.server";
import { placeOptions } from "~/models/places.server";
import { seatWithPlaceSchema } from "~/utils/places-schemas";
import { idSchema } from "~/utils/schemas";

export const meta: MetaFunction = (args) => pageMeta(args, "council.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "council:seat");
  const places = (await placeOptions(community.id)).filter((p) => p.kind === "grid" || p.kind === "building");
  return { community, places, ...(await councilsOf(actor, community.id)) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await communityPage(request, params.slug ?? "", "council:seat");
  const form = await formOf(request);
  const councilId = idSchema.safeParse(form.get("councilId"));
  if (!councilId.success) return { problems: zodProblems(councilId.error), done: null };
  try {
    if (form.get("intent") === "unseat") {
      const userId = idSchema.safeParse(form.get("userId"));
      if (!userId.success) return { problems: zodProblems(userId.error), done: null };
      await unseatMember(actor, councilId.data, userId.data);
      return { problems: {} as Problems, done: "unseated" as const };
    }
    // One picker for the constituency's place: "grid:<id>" or "building:<id>".
    const [placeKind, placeId] = String(form.get("place") ?? "").split(":");
    const parsed = seatWithPlaceSchema.safeParse({
      userId: form.get("userId"),
      constituency: form.get("constituency"),
      gridId: placeKind === "grid" ? placeId : undefined,
      buildingId: placeKind === "building" ? placeId : undefined,
    });
    if (!parsed.success) return { problems: zodProblems(parsed.error), done: null };
    await seatMember(actor, councilId.data, parsed.data);
    return { problems: {} as Problems, done: "seated" as const };
  } catch (error) {
    return { problems: problemsFrom(error), done: null };
  }
}

export default function CouncilPage() {
  const { community, councils, members, places } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const busy = navigation.state !== "idle";
  return (
    <div className="card stack">
      <h1>{t("council.title")}</h1>
      <p className="muted">{community.name}</p>
      <Outcome done={data?.done ? `council.done.${data.done}` : null} problems={data?.problems} />
      {councils.length === 0 ? <p className="muted">{t("council.none")}</p> : null}
      {councils.map(({ council, current, history }) => {
        const seated = new Set(current.map((s) => s.userId));
        const candidates = members.filter((m) => !seated.has(m.id));
        return (
          <section key={council.id} className="stack" aria-labelledby={`council-${council.id}`}>
            <h2 id={`council-${council.id}`}>{council.name}</h2>
            <h3>{t("council.current", { count: current.length })}</h3>
            {current.length === 0 ? <p className="muted">{t("council.noSeats")}</p> : null}
            <ul className="list" data-testid="current-seats">
              {current.map((s) => (
                <li key={s.id} style={{ display: "flex", alignItems: "center", justifyContent: "space-between", gap: "0.5rem", flexWrap: "wrap" }}>
                  <span>
                    <strong>{s.displayName}</strong> · {t(`constituencies.${s.constituency}`)}
                    {s.place ? <span data-testid="seat-place"> · {t("seatPlace.represents", { place: s.place.name })}</span> : null}
                    <br />
                    <span className="muted">{t("council.since", { from: formatDateTime(s.from, i18n.language) })}</span>
                  </span>
                  <Form method="post">
                    <input type="hidden" name="councilId" value={council.id} />
                    <input type="hidden" name="userId" value={s.userId} />
                    <button
                      className="btn secondary"
                      type="submit"
                      name="intent"
                      value="unseat"
                      disabled={busy}
                      aria-label={t("council.unseatLabel", { name: s.displayName })}
                    >
                      {t("council.unseat")}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
            {/* Keyed by the roll: after a seat is added the form starts empty again (no place left over from the last one). */}
            <Form method="post" className="stack" key={`seat-${current.length}`}>
              <h3>{t("council.seatHeading")}</h3>
              <input type="hidden" name="councilId" value={council.id} />
              <div>
                <label htmlFor={`member-${council.id}`}>{t("council.member")}</label>
                <select id={`member-${council.id}`} name="userId" required defaultValue="">
                  <option value="" disabled>
                    {t("council.chooseMember")}
                  </option>
                  {candidates.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.displayName}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor={`constituency-${council.id}`}>{t("council.constituency")}</label>
                <select id={`constituency-${council.id}`} name="constituency" defaultValue="resident">
                  {CONSTITUENCIES.map((c) => (
                    <option key={c} value={c}>
                      {t(`constituencies.${c}`)}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor={`place-${council.id}`}>{t("seatPlace.place")}</label>
                <select id={`place-${council.id}`} name="place" defaultValue="">
                  <option value="">{t("seatPlace.none")}</option>
                  {places.map((p) => (
                    <option key={p.id} value={`${p.kind}:${p.id}`}>
                      {t(`places.kinds.${p.kind}`)} · {p.label}
                    </option>
                  ))}
                </select>
              </div>
              <button className="btn block" type="submit" name="intent" value="seat" disabled={busy}>
                {t("council.seat")}
              </button>
            </Form>
            {history.length > 0 ? (
              <>
                <h3>{t("council.history")}</h3>
                <ul className="list" data-testid="seat-history">
                  {history.map((s) => (
                    <li key={s.id}>
                      {s.displayName} · {t(`constituencies.${s.constituency}`)}
                      {s.place ? ` · ${t("seatPlace.represents", { place: s.place.name })}` : null}
                      <br />
                      <span className="muted">
                        {t("council.term", { from: formatDateTime(s.from, i18n.language), to: formatDateTime(s.to!, i18n.language) })}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>
        );
      })}
    </div>
  );
}
