// What changes in a live session is said aloud and brought into view: the status, the item,
// the speaker, a vote opening and its result reach a screen reader through a live region;
// a vote opening scrolls a voter's buttons into view and names itself in the tab's title,
// so a phone left at the top of the page, or in another tab, does not miss it.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { LiveState } from "~/models/live-state.server";

type Seen = { status: string; itemId: string | null; speaker: string | null; motions: Map<string, string> };

function seenOf(state: LiveState): Seen {
  return {
    status: state.status,
    itemId: state.currentItem?.id ?? null,
    speaker: state.floor?.userId ?? null,
    motions: new Map(state.motions.map((m) => [m.id, m.status])),
  };
}

export function useLiveAnnouncements(state: LiveState, { canVote }: { canVote: boolean }): string {
  const { t } = useTranslation();
  const [message, setMessage] = useState("");
  const seen = useRef<Seen>(seenOf(state));

  useEffect(() => {
    const before = seen.current;
    const now = seenOf(state);
    seen.current = now;
    const said: string[] = [];
    if (before.status !== now.status) {
      if (now.status === "open" && before.status !== "adjourned") said.push(t("ux.announce.opened"));
      if (now.status === "adjourned") said.push(t("ux.announce.adjourned"));
      if (now.status === "open" && before.status === "adjourned") said.push(t("liveux.announce.resumed"));
    }
    if (now.itemId && before.itemId !== now.itemId && state.currentItem)
      said.push(t("ux.announce.item", { n: state.currentItem.position, title: state.currentItem.title }));
    if (before.speaker !== now.speaker) said.push(state.floor ? t("ux.announce.speaker", { name: state.floor.name }) : t("ux.announce.noSpeaker"));
    let opened: string | null = null;
    for (const m of state.motions) {
      const was = before.motions.get(m.id);
      if (m.status === "voting" && was !== "voting") {
        opened = m.id;
        said.push(t(canVote ? "ux.announce.voteOpened" : "ux.announce.voteOpenedWatch", { text: m.text }));
      }
      if (m.status === "closed" && was && was !== "closed" && m.result)
        said.push(t(m.result.passed ? "ux.announce.passed" : "ux.announce.failed", { text: m.text }));
    }
    if (said.length) setMessage(said.join(" "));
    if (opened && canVote) {
      const buttons = document.querySelector<HTMLElement>(`[data-testid="vote-buttons"][data-motion="${opened}"]`);
      const reduce = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
      buttons?.scrollIntoView({ block: "center", behavior: reduce ? "auto" : "smooth" });
    }
  }, [state, canVote, t]);

  // While a vote is open, the tab says so (a phone showing another app's tab list, a second window).
  const voting = state.motions.some((m) => m.status === "voting");
  useEffect(() => {
    const title = voting ? `${t("ux.votingTitle")} · ${state.title}` : `${state.title} · ${t("app.name")}`;
    document.title = title;
  }, [voting, state.title, t]);

  return message;
}

/** The page's live region: polite, so it never cuts off what a screen reader is saying. */
export function LiveAnnouncer({ message }: { message: string }) {
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="live-announcer">
      {message}
    </div>
  );
}
