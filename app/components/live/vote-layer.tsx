// The phone's voting screen (issue 15): when a vote opens, a member's narrow screen shows the
// motion and the big buttons at once, as a full-screen layer over the live page, for themselves
// and for each member whose proxy they hold. The buttons are the page's own (VoteButtons, the
// same exactly-once sending): the layer only changes where they are shown, so nothing is voted
// twice and a press in the layer is the press on the page. Escape or "返回" puts them back in
// the page without voting; the layer goes by itself when the vote closes, and the page's result
// is brought into view. No editor, no charts: old phones load nothing more for it.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { BallotView } from "./use-live-session";
import { VoteButtons } from "./vote-buttons";

/** Phones and narrow windows: where the page's buttons may be far below what the person is looking at. */
const NARROW = "(max-width: 640px)";

export function useNarrowScreen(): boolean {
  const [narrow, setNarrow] = useState(false);
  useEffect(() => {
    const query = window.matchMedia?.(NARROW);
    if (!query) return;
    const update = () => setNarrow(query.matches);
    update();
    query.addEventListener("change", update);
    return () => query.removeEventListener("change", update);
  }, []);
  return narrow;
}

type Motion = { id: string; text: string; options: string[]; status: string };
type Proxy = { grantorId: string; grantor: string | null };

/**
 * Which vote, if any, the layer shows now: the one voting, for someone who may vote in it, on a
 * narrow screen, unless they sent it back to the page. When it closes the result is brought into view.
 */
export function useVoteLayer(motions: Motion[], mayVote: boolean, narrow: boolean) {
  const [dismissed, setDismissed] = useState<string[]>([]);
  const voting = motions.find((m) => m.status === "voting");
  const shown = voting && mayVote && narrow && !dismissed.includes(voting.id) ? voting.id : null;
  const wasShown = useRef<string | null>(null);
  useEffect(() => {
    const before = wasShown.current;
    wasShown.current = shown;
    if (!before || shown === before) return;
    // The layer went because its vote closed (not because the person sent it back): show what came of it.
    if (motions.find((m) => m.id === before)?.status === "closed")
      document.querySelector<HTMLElement>(`[data-testid="motion"][data-motion="${before}"] [data-testid="result"]`)?.scrollIntoView({ block: "center" });
  }, [shown, motions]);
  return {
    layerFor: shown,
    dismiss: (motionId: string) => setDismissed((d) => [...d, motionId]),
    reopen: (motionId: string) => setDismissed((d) => d.filter((id) => id !== motionId)),
  };
}

export function VotingArea({
  motion,
  layer,
  narrow,
  selfMayVote,
  proxies,
  ballots,
  label,
  onVote,
  onDismiss,
  onReopen,
}: {
  motion: Motion;
  layer: boolean;
  narrow: boolean;
  selfMayVote: boolean;
  proxies: Proxy[];
  ballots: Record<string, BallotView>;
  label: (o: string) => string;
  onVote: (choice: string, onBehalfOf?: string) => void;
  onDismiss: () => void;
  onReopen: () => void;
}) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const titleId = `vote-layer-title-${motion.id}`;

  useEffect(() => {
    if (!layer) return;
    const before = document.activeElement as HTMLElement | null;
    box.current?.querySelector<HTMLElement>("h2")?.focus();
    // The page behind stays where it was and does not scroll under the finger.
    const overflow = document.body.style.overflow;
    document.body.style.overflow = "hidden";
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        onDismiss();
        return;
      }
      if (e.key !== "Tab" || !box.current) return;
      // Focus stays in the layer (aria-modal): Tab from the last control goes to the first and back.
      const focusable = [...box.current.querySelectorAll<HTMLElement>("button, [href], [tabindex]:not([tabindex='-1'])")];
      const first = focusable[0];
      const last = focusable.at(-1);
      if (!first || !last) return;
      if (e.shiftKey && (document.activeElement === first || !box.current.contains(document.activeElement))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (document.activeElement === last || !box.current.contains(document.activeElement))) {
        e.preventDefault();
        first.focus();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.body.style.overflow = overflow;
      if (before && document.contains(before)) before.focus();
    };
    // onDismiss changes identity every render; the layer's life is what matters here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layer]);

  const groups = [
    ...(selfMayVote ? [{ key: motion.id, heading: proxies.length ? t("liveux.vote.forSelf") : null, onBehalfOf: undefined as string | undefined }] : []),
    ...proxies.map((p) => ({ key: `${motion.id}:${p.grantorId}`, heading: t("live.voteFor", { name: p.grantor }), onBehalfOf: p.grantorId })),
  ];
  const buttons = groups.map((g) => (
    <div key={g.key} className="vote-group">
      {g.heading ? <p className={layer ? "vote-for" : "muted"}>{g.heading}</p> : null}
      <VoteButtons motionId={motion.id} options={motion.options} label={label} ballot={ballots[g.key]} onVote={(c) => onVote(c, g.onBehalfOf)} />
    </div>
  ));

  if (!layer)
    return (
      <div data-testid="voting-area">
        {buttons}
        {narrow ? (
          <button className="btn secondary" type="button" onClick={onReopen} data-testid="vote-layer-reopen">
            {t("liveux.vote.reopen")}
          </button>
        ) : null}
      </div>
    );
  return (
    <div className="vote-layer" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={box} data-testid="vote-layer">
      <div className="vote-layer-top">
        <h2 id={titleId} tabIndex={-1}>
          {t("liveux.vote.layerTitle")}
        </h2>
        <button className="btn secondary" type="button" onClick={onDismiss} data-testid="vote-layer-back">
          {t("liveux.vote.back")}
        </button>
      </div>
      <p className="vote-layer-motion" data-testid="vote-layer-motion">
        {motion.text}
      </p>
      {buttons}
      <p className="muted">{t("liveux.vote.changeable")}</p>
    </div>
  );
}
