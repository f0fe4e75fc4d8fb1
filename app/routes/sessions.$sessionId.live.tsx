import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { LiveAnnouncer, useLiveAnnouncements } from "~/components/live/announcer";
import { clock, useNow } from "~/components/live/clock";
import { MotionForm } from "~/components/live/motion-form";
import { ProxyForm } from "~/components/live/proxy-form";
import { TaskFromResolutionForm } from "~/components/live/task-form";
import { beijingInputValue } from "~/components/topic-ui";
import { useLiveSession, type Refusal } from "~/components/live/use-live-session";
import { VotingArea, useNarrowScreen, useVoteLayer } from "~/components/live/vote-layer";
import { Result, Tally } from "~/components/live/vote-results";
import { checkInQr } from "~/models/check-in-link.server";
import { viewLiveState, type LiveState } from "~/models/live-state.server";
import { prisma } from "~/utils/db.server";
import { CONSTITUENCIES } from "~/utils/domain";
import { orHttpError } from "~/utils/http.server";
import { useLiveEvents } from "~/utils/live-events";
import { ACTIVE_MEMBERSHIP, can, loadSessionResource, NotFound, requireActor } from "~/utils/permissions.server";

import { RESUME_WINDOW_MIN } from "~/utils/liveux";
import liveStyles from "~/styles/live.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: liveStyles }];

// The session's name in the server-rendered title, as the announcer keeps it once the page runs.
export const meta: MetaFunction = (args) => pageMeta(args, (_t, d) => (d as { state?: { title?: string } } | undefined)?.state?.title);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return orHttpError(async () => {
    const resource = await loadSessionResource(params.sessionId ?? "");
    if (!resource) throw new NotFound("session");
    const state = await viewLiveState(actor, resource.sessionId);
    const isChair = can(actor, "session:chair", resource);
    let qr: Awaited<ReturnType<typeof checkInQr>> | null = null;
    let people: { id: string; name: string; roles: string[] }[] = [];
    if (isChair) {
      qr = await checkInQr(actor, resource.sessionId, new URL(request.url).origin);
      const members = await prisma.membership.findMany({
        where: { communityId: resource.communityId, ...ACTIVE_MEMBERSHIP },
        select: { role: true, user: { select: { id: true, displayName: true } } },
      });
      const byId = new Map<string, { id: string; name: string; roles: string[] }>();
      for (const m of members)
        (byId.get(m.user.id) ?? byId.set(m.user.id, { id: m.user.id, name: m.user.displayName, roles: [] }).get(m.user.id)!).roles.push(m.role);
      people = [...byId.values()];
    }
    // 联办任务 made from this session's resolutions, and (for whoever may make them) the organisations and their members.
    const mayCreateTask = can(actor, "task:createFromResolution", resource);
    const [tasks, organizations] = await Promise.all([
      prisma.task.findMany({
        where: { motion: { sessionId: resource.sessionId } },
        orderBy: { createdAt: "asc" },
        select: { id: true, title: true, motionId: true },
      }),
      mayCreateTask
        ? prisma.organization.findMany({
            where: { communityId: resource.communityId },
            orderBy: { name: "asc" },
            select: {
              id: true,
              name: true,
              kind: true,
              memberships: { where: ACTIVE_MEMBERSHIP, select: { user: { select: { id: true, displayName: true } } } },
            },
          })
        : [],
    ]);
    organizations.sort((a, b) => Number(b.kind === "propertyCompany") - Number(a.kind === "propertyCompany"));
    const taskOrgs = organizations.map((o) => ({
      id: o.id,
      name: o.name,
      members: [...new Map(o.memberships.map((m) => [m.user.id, { id: m.user.id, name: m.user.displayName }])).values()],
    }));
    const arrivedCheckedIn = new URL(request.url).searchParams.get("checkedIn") === "1";
    return {
      state,
      isChair,
      userId: actor.userId,
      qr,
      people,
      arrivedCheckedIn,
      tasks,
      taskOrgs,
      mayCreateTask,
      taskDeadline: beijingInputValue(Date.now() + 14 * 86_400_000),
    };
  });
}

export default function LiveSessionPage() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const { state, tally, connected, ballots, act, vote } = useLiveSession(data.state.sessionId, data.state as LiveState);
  const revalidator = useRevalidator();
  // A task made from a resolution on another screen (the chair's) shows here without a reload.
  useLiveEvents({ "task:created": () => revalidator.revalidate() });
  const [error, setError] = useState<string | null>(null);
  const [showQr, setShowQr] = useState(false);
  const [confirmAdjourn, setConfirmAdjourn] = useState(false);
  // Arriving from the QR code's check-in page (?checkedIn=1), or just now by the button: say it worked, plainly.
  const [justCheckedIn, setJustCheckedIn] = useState(data.arrivedCheckedIn);
  // The check-in code rotates every minute: while it is shown, fetch the next one as it is issued.
  const qrFetcher = useFetcher<NonNullable<typeof data.qr>>();
  const qr = qrFetcher.data ?? data.qr;
  const loadQr = qrFetcher.load;
  useEffect(() => {
    if (!showQr || !data.qr) return;
    const timer = setTimeout(() => loadQr(`/sessions/${data.state.sessionId}/check-in-qr`), qrFetcher.data ? qrFetcher.data.refreshInMs + 300 : 0);
    return () => clearTimeout(timer);
  }, [showQr, qrFetcher.data, data.qr, data.state.sessionId, loadQr]);
  const now = useNow(data.state.serverTime);
  const me = {
    checkedIn: state.attendance.find((a) => a.userId === data.userId)?.kind ?? null,
    handRaised: state.hands.some((h) => h.userId === data.userId),
    proxyFor: state.proxies.filter((p) => p.proxyId === data.userId),
  };
  /** Sends an action and shows the server's refusal, if any, in the page's language. */
  const send = async (event: string, payload: Record<string, unknown>) => {
    const refusal: Refusal | null = await act(event, payload);
    setError(refusal ? t(refusal.key ?? "errors.generic", { ...refusal.values, defaultValue: refusal.error }) : null);
    return refusal === null;
  };
  const run = (event: string, payload: Record<string, unknown>) => send(event, { sessionId: state.sessionId, ...payload });
  const runMotion = (event: string, motionId: string) => send(event, { motionId });
  const q = state.quorum;
  const current = state.currentItem;
  const optionLabel = (o: string) => (["yes", "no", "abstain"].includes(o) ? t(`live.options.${o}`) : o);
  // Checked in as a member means seated now: a seat change during the session updates the attendance and pushes
  // the state (app/models/council.server.ts), so the buttons follow without a reload. The server decides anyway.
  const canVote = state.status === "open" && me.checkedIn === "member";
  const narrow = useNarrowScreen();
  const voteLayer = useVoteLayer(state.motions, canVote || (me.checkedIn !== null && me.proxyFor.length > 0), narrow);
  const announcement = useLiveAnnouncements(state as LiveState, { canVote: canVote || me.proxyFor.length > 0 });
  // Once the session is over nothing counts any more: the timers stop and the check-in code goes.
  const running = state.status === "open";
  const qrShown = showQr && state.status !== "adjourned" && state.status !== "cancelled";
  // The chair may take an adjournment back for a while (app/models/live-session.server.ts); the server decides.
  const resumableUntil =
    data.isChair && state.status === "adjourned" && state.adjournedAt ? new Date(state.adjournedAt).getTime() + RESUME_WINDOW_MIN * 60_000 : null;

  return (
    <div className="live">
      <a href={`/sessions/${state.sessionId}`}>← {t("session.back")}</a>
      <h1>{state.title}</h1>
      <LiveAnnouncer message={announcement} />
      {!connected ? (
        <p className="notice" role="status">
          {t("live.offline")}
        </p>
      ) : null}
      <section className="card live-status" aria-label={t("live.statusLine")}>
        <p>
          <span className="pill" data-testid="live-status">
            {t(`statuses.${state.status}`)}
          </span>{" "}
          <span className={`pill ${q.met ? "ok" : "warn"}`} data-testid="quorum" data-met={q.met}>
            {q.met ? t("live.quorumMet") : t("live.quorumNotMet")}
          </span>
        </p>
        <p data-testid="quorum-line">{t("live.quorum", { present: q.present, seated: q.seated, required: q.required })}</p>
        {me.checkedIn ? (
          <>
            {justCheckedIn ? (
              <p className="notice ok big-text" role="status" data-testid="check-in-done">
                {t("ux.checkIn.done")}
              </p>
            ) : null}
            <p className="muted" data-testid="my-check-in">
              {t("live.checkedInAs", { kind: t(me.checkedIn === "member" ? "live.kindMember" : "live.kindObserver") })}
            </p>
          </>
        ) : state.status !== "adjourned" && state.status !== "cancelled" ? (
          state.selfCheckIn ? (
            <div className="stack">
              <p className="muted">{t("ux.checkIn.fromAfarHint")}</p>
              <button
                className="btn big block"
                onClick={() => void run("session:checkInSelf", {}).then((ok) => ok && setJustCheckedIn(true))}
                data-testid="check-in-self"
              >
                {t("ux.checkIn.fromAfar")}
              </button>
            </div>
          ) : (
            <p className="notice">{t("live.scanToCheckIn")}</p>
          )
        ) : null}
        {state.status === "scheduled" ? <p className="muted">{t("live.notOpen")}</p> : null}
        {state.status === "adjourned" ? <p className="muted">{t("live.adjourned")}</p> : null}
      </section>
      {/* A refusal shows where the person is looking: pinned to the bottom of the screen, not at the top of a long page. */}
      {error ? (
        <div className="live-toast" role="alert">
          <p className="error" data-testid="live-error">
            {error}
          </p>
          <button className="btn secondary small" type="button" onClick={() => setError(null)}>
            {t("ux.dismiss")}
          </button>
        </div>
      ) : null}

      {data.isChair ? (
        <section className="card stack" aria-label={t("ux.chairControls")}>
          <div className="button-row">
            {state.status === "scheduled" ? (
              <button className="btn" onClick={() => run("session:open", {})} data-testid="open-session">
                {t("live.open")}
              </button>
            ) : null}
            {data.qr && state.status !== "adjourned" && state.status !== "cancelled" ? (
              <button className="btn secondary" onClick={() => setShowQr((v) => !v)} data-testid="toggle-qr">
                {showQr ? t("live.hideQr") : t("live.showQr")}
              </button>
            ) : null}
            {/* Last in the row and behind a confirmation: adjourning ends the session for good. */}
            {running && !confirmAdjourn ? (
              <button className="btn secondary" onClick={() => setConfirmAdjourn(true)} data-testid="adjourn">
                {t("live.adjourn")}
              </button>
            ) : null}
          </div>
          {running && confirmAdjourn ? (
            <div className="confirm" role="group" aria-labelledby="adjourn-question" data-testid="adjourn-confirm">
              <p id="adjourn-question" className="title">
                {t("ux.adjournConfirm.question")}
              </p>
              <p className="muted">{t("ux.adjournConfirm.hint")}</p>
              <div className="button-row">
                <button
                  className="btn danger"
                  onClick={() => void run("session:adjourn", {}).then(() => setConfirmAdjourn(false))}
                  data-testid="adjourn-confirmed"
                >
                  {t("ux.adjournConfirm.confirm")}
                </button>
                <button className="btn secondary" onClick={() => setConfirmAdjourn(false)} autoFocus>
                  {t("ux.adjournConfirm.cancel")}
                </button>
              </div>
            </div>
          ) : null}
          {resumableUntil !== null && resumableUntil > now ? (
            <div className="confirm" data-testid="resume">
              <p className="muted">{t("liveux.resume.hint", { minutes: RESUME_WINDOW_MIN })}</p>
              <button className="btn" onClick={() => void run("session:resume", {})} data-testid="resume-session">
                {t("liveux.resume.button")}
              </button>
              <p className="muted">
                {t("liveux.resume.until", {
                  time: new Date(resumableUntil).toLocaleTimeString(i18n.language, { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit" }),
                })}
              </p>
            </div>
          ) : null}
          <p>
            <a href={`/sessions/${state.sessionId}/screen`} target="_blank" rel="noopener" data-testid="screen-link">
              {t("liveux.screen.link")}
            </a>{" "}
            <span className="muted">{t("liveux.screen.linkHint")}</span>
          </p>
          {state.mode !== "inPerson" && state.status !== "adjourned" && state.status !== "cancelled" ? (
            <label className="check">
              <input
                type="checkbox"
                checked={state.selfCheckIn}
                onChange={(e) => void run("session:selfCheckIn", { allowed: e.currentTarget.checked })}
                data-testid="allow-self-check-in"
              />
              {t("ux.checkIn.allow")}
            </label>
          ) : null}
          {qrShown && qr ? (
            <figure className="qr">
              <div dangerouslySetInnerHTML={{ __html: qr.svg }} />
              <figcaption className="muted">
                {t("live.qrHint", {
                  time: new Date(qr.expiresAt).toLocaleTimeString(i18n.language, { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit" }),
                })}
              </figcaption>
            </figure>
          ) : null}
          {state.status !== "adjourned" ? (
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                const userId = new FormData(e.currentTarget).get("userId");
                if (userId) void run("session:checkIn", { userId });
              }}
            >
              <label htmlFor="check-in-person">{t("live.chairCheckIn")}</label>
              <select id="check-in-person" name="userId" defaultValue="">
                <option value="">{t("live.choosePerson")}</option>
                {data.people
                  .filter((p) => !state.attendance.some((a) => a.userId === p.id))
                  .map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
              </select>
              <button className="btn secondary" type="submit" data-testid="chair-check-in">
                {t("live.checkIn")}
              </button>
            </form>
          ) : null}
        </section>
      ) : null}

      <section className="card" aria-label={t("live.currentItem")}>
        <h2 style={{ marginTop: 0 }}>{t("live.currentItem")}</h2>
        {current ? (
          <div data-testid="current-item">
            <p className="title">
              {t("session.item", { n: current.position })} · {current.title}
            </p>
            {current.endsAt && running ? (
              <p className={new Date(current.endsAt).getTime() < now ? "error" : "muted"}>
                {new Date(current.endsAt).getTime() >= now
                  ? t("live.remaining", { time: clock(new Date(current.endsAt).getTime() - now) })
                  : t("live.overtime", { time: clock(now - new Date(current.endsAt).getTime()) })}
              </p>
            ) : null}
            <a href={`/sessions/${state.sessionId}/items/${current.id}`}>{t("live.editText")}</a>
          </div>
        ) : (
          <p className="muted">{t("live.noCurrentItem")}</p>
        )}
        <h3>{t("live.floor")}</h3>
        {state.floor ? (
          <div data-testid="floor">
            <p>
              <strong>{t("live.speaking", { name: state.floor.name })}</strong>
            </p>
            {state.floor.since && running ? (
              <p className={now - new Date(state.floor.since).getTime() > state.floor.limitSec * 1000 ? "error" : "muted"}>
                {t("live.speakerTime", { elapsed: clock(now - new Date(state.floor.since).getTime()), limit: clock(state.floor.limitSec * 1000) })}
              </p>
            ) : null}
            {data.isChair ? (
              <button className="btn secondary" onClick={() => run("floor:take", {})}>
                {t("live.takeFloor")}
              </button>
            ) : null}
          </div>
        ) : (
          <p className="muted">{t("live.nobodySpeaking")}</p>
        )}
        <h3>{t("live.hands")}</h3>
        {state.hands.length === 0 ? <p className="muted">{t("live.noHands")}</p> : null}
        <ol className="list" data-testid="hands">
          {state.hands.map((h) => (
            <li key={h.userId} className="row">
              <span>{h.name}</span>
              {data.isChair ? (
                <button className="btn secondary small" onClick={() => run("floor:give", { userId: h.userId })}>
                  {t("live.giveFloor")}
                </button>
              ) : null}
            </li>
          ))}
        </ol>
        {me.checkedIn && state.status === "open" ? (
          <button className="btn secondary" onClick={() => run(me.handRaised ? "hand:lower" : "hand:raise", {})} data-testid="hand">
            {me.handRaised ? t("live.lowerHand") : t("live.raiseHand")}
          </button>
        ) : null}
      </section>

      <section className="card" aria-label={t("live.motions")}>
        <h2 style={{ marginTop: 0 }}>{t("live.motions")}</h2>
        {state.motions.length === 0 ? <p className="muted">{t("live.noMotions")}</p> : null}
        {state.motions.map((m) => (
          <article key={m.id} className="motion" data-testid="motion" data-status={m.status} data-motion={m.id}>
            <p className="title">{m.text}</p>
            <p className="muted">
              {t("live.proposedBy", { name: m.proposer })}
              {m.seconder ? ` · ${t("live.secondedBy", { name: m.seconder })}` : ""} · {t(m.ballot === "secret" ? "live.ballotSecret" : "live.ballotOpen")} ·{" "}
              {t(`live.rules.${m.passRule}`)}
              {m.constituencies.length ? ` · ${t("live.requireIn")} ${m.constituencies.map((c) => t(`constituencies.${c}`)).join("、")}` : ""}
            </p>
            <p>
              <span className="pill" data-testid="motion-status">
                {t(`live.motionStatus.${m.status}`)}
              </span>
            </p>
            {m.status === "voting" ? <Tally tally={tally?.motionId === m.id ? tally : null} options={m.options} label={optionLabel} /> : null}
            {m.status === "closed" && m.result ? <Result result={m.result} options={m.options} label={optionLabel} /> : null}
            <div className="button-row">
              {m.status === "proposed" && canVote && m.proposerId !== data.userId ? (
                <button className="btn secondary" onClick={() => runMotion("motion:second", m.id)} data-testid="second">
                  {t("live.second")}
                </button>
              ) : null}
              {(m.status === "proposed" || m.status === "seconded") && (data.isChair || m.proposerId === data.userId) ? (
                <button className="btn secondary" onClick={() => runMotion("motion:withdraw", m.id)}>
                  {t("live.withdraw")}
                </button>
              ) : null}
              {m.status === "seconded" && data.isChair ? (
                <button className="btn" onClick={() => runMotion("vote:open", m.id)} data-testid="open-vote">
                  {t("live.openVote")}
                </button>
              ) : null}
              {m.status === "voting" && data.isChair ? (
                <button className="btn" onClick={() => runMotion("vote:close", m.id)} data-testid="close-vote">
                  {t("live.closeVote")}
                </button>
              ) : null}
            </div>
            {m.status === "closed" && m.result?.passed ? (
              <div data-testid="resolution-tasks">
                {data.tasks
                  .filter((task) => task.motionId === m.id)
                  .map((task) => (
                    <p key={task.id} className="notice ok">
                      {t("tasks.live.created")}{" "}
                      <a href={`/tasks/${task.id}`} data-testid="resolution-task-link">
                        {task.title}
                      </a>
                    </p>
                  ))}
                {data.mayCreateTask ? (
                  <TaskFromResolutionForm
                    motionId={m.id}
                    organizations={data.taskOrgs}
                    defaultDeadline={data.taskDeadline}
                    onSubmit={async (payload) => {
                      const ok = await send("task:fromResolution", payload);
                      if (ok) revalidator.revalidate();
                      return ok;
                    }}
                  />
                ) : null}
              </div>
            ) : null}
            {m.status === "voting" && (canVote || (me.checkedIn && me.proxyFor.length > 0)) ? (
              <VotingArea
                motion={m}
                layer={voteLayer.layerFor === m.id}
                narrow={narrow}
                selfMayVote={canVote}
                proxies={me.checkedIn ? me.proxyFor : []}
                ballots={ballots}
                label={optionLabel}
                onVote={(c, onBehalfOf) => vote(m.id, c, onBehalfOf)}
                onDismiss={() => voteLayer.dismiss(m.id)}
                onReopen={() => voteLayer.reopen(m.id)}
              />
            ) : null}
            {ballots[m.id]?.state === "refused" ? (
              <p className="error" role="alert">
                {ballots[m.id]?.message === "errors.voteClosed" ? t("live.refusedClosed") : t(ballots[m.id]?.message ?? "errors.generic")}
              </p>
            ) : null}
          </article>
        ))}
        {current && state.status === "open" && (data.isChair || me.checkedIn === "member") ? (
          <MotionForm onSubmit={(payload) => run("motion:propose", { agendaItemId: current.id, ...payload })} />
        ) : null}
      </section>

      <section className="card" aria-label={t("live.agenda")}>
        <h2 style={{ marginTop: 0 }}>{t("live.agenda")}</h2>
        <ol className="list">
          {state.items.map((item) => (
            <li key={item.id} className={`row${item.id === current?.id ? " current" : ""}`}>
              <span>
                {item.position}. {item.title}
                {item.resolutionText ? <span className="muted"> · {t("live.resolution", { text: item.resolutionText })}</span> : null}
              </span>
              {data.isChair && state.status === "open" && item.id !== current?.id ? (
                <button className="btn secondary small" onClick={() => run("session:openItem", { itemId: item.id })} data-testid="open-item">
                  {t("live.openItem")}
                </button>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      <section className="card" aria-label={t("live.attendance")}>
        <h2 style={{ marginTop: 0 }}>{t("live.attendance")}</h2>
        <dl className="meta" data-testid="attendance">
          {CONSTITUENCIES.filter((c) => q.byConstituency[c]).map((c) => (
            <div key={c} style={{ display: "contents" }}>
              <dt>
                {t(`constituencies.${c}`)} {q.byConstituency[c]!.present}/{q.byConstituency[c]!.seated}
              </dt>
              <dd>
                {state.attendance
                  .filter((a) => a.kind === "member" && a.constituency === c)
                  .map((a) => a.name)
                  .join("、") || t("live.nobody")}
              </dd>
            </div>
          ))}
          <dt>{t("live.observers")}</dt>
          <dd>
            {state.attendance
              .filter((a) => a.kind === "observer")
              .map((a) => a.name)
              .join("、") || t("live.nobody")}
          </dd>
        </dl>
        {state.proxies.length ? (
          <>
            <h3>{t("live.proxies")}</h3>
            <ul>
              {state.proxies.map((p) => (
                <li key={p.grantorId}>
                  {p.grantor} → {p.proxy}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {data.isChair && state.status !== "adjourned" ? <ProxyForm people={data.people} onSubmit={(payload) => run("session:proxy", payload)} /> : null}
      </section>
    </div>
  );
}
