// The voter's buttons for an open vote, with what they chose and whether it was recorded.
import { useTranslation } from "react-i18next";

export function VoteButtons({
  motionId,
  options,
  label,
  ballot,
  onVote,
}: {
  motionId: string;
  options: string[];
  label: (o: string) => string;
  ballot?: { choice: string; state: string };
  onVote: (choice: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="vote-buttons" data-testid="vote-buttons" data-motion={motionId}>
      {options.map((o) => (
        <button
          key={o}
          className={`btn ${ballot?.choice === o ? "" : "secondary"} vote`}
          aria-pressed={ballot?.choice === o}
          onClick={() => onVote(o)}
          data-choice={o}
        >
          {label(o)}
        </button>
      ))}
      {/* The choice is read back as soon as it is pressed, and again once the server has it. */}
      <p className="muted" role="status" aria-live="polite" data-testid="ballot-state" data-state={ballot?.state ?? "none"}>
        {ballot ? (
          <>
            {t("live.yourVote", { choice: label(ballot.choice) })} ·{" "}
            {ballot.state === "sending" ? t("live.sending") : ballot.state === "recorded" ? t("live.recorded") : ""}
          </>
        ) : null}
      </p>
    </div>
  );
}
