// A vote's live tally and its stored result, as every screen in the session shows them.
import { useTranslation } from "react-i18next";
import type { LiveTally, MotionResult } from "~/models/live-state.server";

export function Tally({ tally, options, label }: { tally: LiveTally | null; options: string[]; label: (o: string) => string }) {
  const { t } = useTranslation();
  if (!tally) return null;
  return (
    <div className="tally" data-testid="tally" data-cast={tally.cast}>
      <p>{t("live.turnout", { cast: tally.cast, eligible: tally.eligible })}</p>
      {tally.counts ? (
        options.map((o) => (
          <div key={o} className="bar-row">
            <span>{label(o)}</span>
            <span className="bar">
              <span style={{ width: `${tally.cast ? (100 * (tally.counts![o] ?? 0)) / tally.cast : 0}%` }} />
            </span>
            <span data-testid={`count-${o}`}>{tally.counts![o] ?? 0}</span>
          </div>
        ))
      ) : (
        <p className="muted">{t("live.resultsHidden")}</p>
      )}
    </div>
  );
}

export function Result({ result, options, label }: { result: MotionResult; options: string[]; label: (o: string) => string }) {
  const { t } = useTranslation();
  return (
    <div className="tally" data-testid="result" data-passed={result.passed}>
      <p>
        <strong className={result.passed ? "ok-text" : "error"}>{result.passed ? t("live.passed") : t("live.failed")}</strong> ·{" "}
        {t("live.turnout", { cast: result.cast, eligible: result.eligible })}
      </p>
      {options.map((o) => (
        <div key={o} className="bar-row">
          <span>{label(o)}</span>
          <span className="bar">
            <span style={{ width: `${result.cast ? (100 * (result.counts[o] ?? 0)) / result.cast : 0}%` }} />
          </span>
          <span data-testid={`result-${o}`}>{result.counts[o] ?? 0}</span>
        </div>
      ))}
      {result.failedIn.length ? (
        <p className="muted">{t("live.failedIn", { groups: result.failedIn.map((c) => t(`constituencies.${c}`)).join("、") })}</p>
      ) : null}
      {result.roll?.length ? (
        <details>
          <summary>{t("live.roll")}</summary>
          <ul>
            {result.roll.map((r, i) => (
              <li key={i}>
                {r.name}：{label(r.choice)} {r.proxy ? t("live.proxyMark", { name: r.castBy }) : ""}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
