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
      {ballot ? (
        <p className="muted" data-testid="ballot-state" data-state={ballot.state}>
          {t("live.yourVote", { choice: label(ballot.choice) })} ·{" "}
          {ballot.state === "sending" ? t("live.sending") : ballot.state === "recorded" ? t("live.recorded") : ""}
        </p>
      ) : null}
    </div>
  );
}
