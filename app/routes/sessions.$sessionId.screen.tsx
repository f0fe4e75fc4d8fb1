// The meeting room's big screen (issue 15; OpenSlides' projector is the model): the agenda with
// the item under deliberation, the speaker and their time, who waits to speak, the live tally
// while voting and the result after, and the check-in QR code while check-in is open. Read from
// the back of the room: very large type, light on dark, no controls, nothing to scroll at
// 1920×1080 or 1280×720. It follows the session over Socket.IO like any member's page (it only
// joins; it never acts), and shows exactly what the live page shows everyone: no count a
// motion's rules hide, and no roll call (who chose what has no place on a wall). The chair's
// laptop usually drives it, but any member of the community may open it (session:screen).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { clock, useNow } from "~/components/live/clock";
import { useLiveSession } from "~/components/live/use-live-session";
import { checkInQr } from "~/models/check-in-link.server";
import { liveState, type LiveState } from "~/models/live-state.server";
import { orHttpError } from "~/utils/http.server";
import { NotFound, can, loadSessionResource, requireActor, requirePermission } from "~/utils/permissions.server";

import screenStyles from "~/styles/screen.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: screenStyles }];

/** Check-in is open until the session is over (app/models/live-session.server.ts checkIn). */
const checkInOpen = (status: string) => status === "scheduled" || status === "open";

// The session's name in the server-rendered title (on the live page the announcer keeps it once the page runs).
export const meta: MetaFunction = (args) => pageMeta(args, (_t, d) => (d as { state?: { title?: string } } | undefined)?.state?.title);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return orHttpError(async () => {
    const resource = await loadSessionResource(params.sessionId ?? "");
    if (!resource) throw new NotFound("session");
    requirePermission(actor, "session:screen", resource);
    const state = await liveState(resource.sessionId, actor);
    // The QR code signs people in to this session: only a screen opened by whoever may chair shows it.
    const mayShowQr = can(actor, "session:chair", resource);
    const qr = mayShowQr && checkInOpen(state.status) ? await checkInQr(actor, resource.sessionId, new URL(request.url).origin) : null;
    return { state, mayShowQr, qr };
  });
}

export default function ProjectorScreen() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const { state, tally, connected } = useLiveSession(data.state.sessionId, data.state as LiveState);
  const now = useNow(data.state.serverTime);
  const qrFetcher = useFetcher<NonNullable<typeof data.qr>>();
  const qr = qrFetcher.data ?? data.qr;
  const showQr = data.mayShowQr && checkInOpen(state.status);
  const loadQr = qrFetcher.load;
  // The code rotates every minute; the screen fetches each one as it is issued.
  useEffect(() => {
    if (!showQr) return;
    const timer = setTimeout(() => loadQr(`/sessions/${data.state.sessionId}/check-in-qr`), qr ? Math.max(0, qr.refreshInMs) + 300 : 0);
    return () => clearTimeout(timer);
  }, [showQr, qr, data.state.sessionId, loadQr]);

  const running = state.status === "open";
  const current = state.currentItem;
  const label = (o: string) => (["yes", "no", "abstain"].includes(o) ? t(`live.options.${o}`) : o);
  const voting = state.motions.find((m) => m.status === "voting") ?? null;
  const lastClosed = [...state.motions].reverse().find((m) => m.status === "closed" && m.result) ?? null;
  const liveTally = voting && tally?.motionId === voting.id ? tally : null;
  const q = state.quorum;
  const itemLeft = current?.endsAt && running ? new Date(current.endsAt).getTime() - now : null;
  const spoken = state.floor?.since && running ? now - new Date(state.floor.since).getTime() : null;

  return (
    <div className="projector" data-testid="screen">
      <header className="projector-head">
        <h1>{state.title}</h1>
        <p>
          <span className="projector-pill" data-testid="screen-status">
            {t(`statuses.${state.status}`)}
          </span>{" "}
          <span data-testid="screen-quorum">{t("liveux.screen.quorum", { present: q.present, seated: q.seated, required: q.required })}</span>
        </p>
      </header>
      {!connected ? (
        <p className="projector-offline" role="status">
          {t("liveux.screen.offline")}
        </p>
      ) : null}
      <div className="projector-body">
        <section className="projector-agenda" aria-labelledby="screen-agenda-title">
          <h2 id="screen-agenda-title">{t("liveux.screen.agenda")}</h2>
          <ol data-testid="screen-agenda">
            {state.items.map((item) => (
              <li key={item.id} className={item.id === current?.id ? "current" : undefined} aria-current={item.id === current?.id ? "step" : undefined}>
                <span className="n">{item.position}.</span> {item.title}
              </li>
            ))}
          </ol>
          {showQr && qr ? (
            <figure className="projector-qr" data-testid="screen-qr">
              <div role="img" aria-label={t("liveux.screen.checkInHint")} dangerouslySetInnerHTML={{ __html: qr.svg }} />
              <figcaption>{t("liveux.screen.checkIn")}</figcaption>
            </figure>
          ) : null}
        </section>

        <section className="projector-main" aria-label={t("liveux.screen.currentItem")}>
          {state.status === "scheduled" ? <p className="projector-big">{t("liveux.screen.notOpen")}</p> : null}
          {state.status === "adjourned" ? <p className="projector-big">{t("liveux.screen.adjourned")}</p> : null}
          {current ? (
            <div className="projector-item" data-testid="screen-current">
              <p className="projector-label">{t("liveux.screen.currentItem")}</p>
              <p className="projector-item-title">
                {current.position}. {current.title}
              </p>
              {itemLeft !== null ? (
                <p className={itemLeft < 0 ? "projector-time over" : "projector-time"} data-testid="screen-item-time">
                  {itemLeft >= 0 ? t("liveux.screen.remaining", { time: clock(itemLeft) }) : t("liveux.screen.overtime", { time: clock(-itemLeft) })}
                </p>
              ) : null}
            </div>
          ) : state.status === "open" ? (
            <p className="projector-big">{t("liveux.screen.noCurrentItem")}</p>
          ) : null}

          {voting ? (
            <div className="projector-vote" data-testid="screen-vote">
              <p className="projector-label">{t("liveux.screen.voting")}</p>
              <p className="projector-motion">{voting.text}</p>
              <div className="projector-tally" data-testid="screen-tally" data-cast={liveTally?.cast ?? 0}>
                <p>{t("liveux.screen.turnout", { cast: liveTally?.cast ?? 0, eligible: liveTally?.eligible ?? q.seated })}</p>
                {liveTally?.counts ? (
                  <Bars options={voting.options} counts={liveTally.counts} total={liveTally.cast} label={label} testId="screen-count" />
                ) : (
                  <p className="projector-hidden" data-testid="screen-hidden">
                    {t("liveux.screen.hidden")}
                  </p>
                )}
              </div>
            </div>
          ) : lastClosed?.result ? (
            <div className="projector-vote" data-testid="screen-result" data-passed={lastClosed.result.passed}>
              <p className="projector-label">{t("liveux.screen.result")}</p>
              <p className="projector-motion">{lastClosed.text}</p>
              <p className={lastClosed.result.passed ? "projector-verdict passed" : "projector-verdict failed"}>
                {lastClosed.result.passed ? t("liveux.screen.passed") : t("liveux.screen.failed")}
              </p>
              <Bars options={lastClosed.options} counts={lastClosed.result.counts} total={lastClosed.result.cast} label={label} testId="screen-result" />
            </div>
          ) : null}

          {running && !voting ? (
            <div className="projector-floor">
              <div data-testid="screen-speaker">
                <p className="projector-label">{t("liveux.screen.speaker")}</p>
                {state.floor ? (
                  <p className="projector-speaker">
                    {state.floor.name}
                    {spoken !== null ? (
                      <span className={spoken > state.floor.limitSec * 1000 ? "projector-time over" : "projector-time"}>
                        {" "}
                        {t("liveux.screen.speakerTime", { elapsed: clock(spoken), limit: clock(state.floor.limitSec * 1000) })}
                      </span>
                    ) : null}
                  </p>
                ) : (
                  <p className="projector-quiet">{t("liveux.screen.nobodySpeaking")}</p>
                )}
              </div>
              <div data-testid="screen-queue">
                <p className="projector-label">{t("liveux.screen.queue")}</p>
                {state.hands.length ? (
                  <ol className="projector-queue">
                    {state.hands.slice(0, 5).map((h) => (
                      <li key={h.userId}>{h.name}</li>
                    ))}
                    {state.hands.length > 5 ? <li className="more">+{state.hands.length - 5}</li> : null}
                  </ol>
                ) : (
                  <p className="projector-quiet">{t("liveux.screen.queueEmpty")}</p>
                )}
              </div>
            </div>
          ) : null}
        </section>
      </div>
    </div>
  );
}

function Bars({
  options,
  counts,
  total,
  label,
  testId,
}: {
  options: string[];
  counts: Record<string, number>;
  total: number;
  label: (o: string) => string;
  testId: string;
}) {
  return (
    <div className="projector-bars">
      {options.map((o) => (
        <div key={o} className="projector-bar-row">
          <span>{label(o)}</span>
          <span className="projector-bar" aria-hidden="true">
            <span style={{ width: `${total ? (100 * (counts[o] ?? 0)) / total : 0}%` }} />
          </span>
          <span className="projector-count" data-testid={`${testId}-${o}`}>
            {counts[o] ?? 0}
          </span>
        </div>
      ))}
    </div>
  );
}
