// A seated member (or the chair) puts a motion on the current item.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { PASS_RULES } from "~/models/vote-rules";
import { CONSTITUENCIES } from "~/utils/domain";

export function MotionForm({ onSubmit }: { onSubmit: (payload: Record<string, unknown>) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <button className="btn secondary" onClick={() => setOpen(true)} data-testid="propose-open">
        {t("live.propose")}
      </button>
    );
  return (
    <form
      className="stack motion-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const custom = String(f.get("options") ?? "")
          .split("\n")
          .map((s) => s.trim())
          .filter(Boolean);
        const ok = await onSubmit({
          text: String(f.get("text") ?? ""),
          ballot: f.get("ballot"),
          passRule: f.get("passRule"),
          hideResults: f.get("hideResults") === "on",
          constituencies: f.getAll("constituencies").map(String),
          ...(custom.length ? { options: custom } : {}),
        });
        if (ok) setOpen(false);
      }}
    >
      <div>
        <label htmlFor="motion-text">{t("live.motionText")}</label>
        <textarea id="motion-text" name="text" rows={3} required />
      </div>
      <div>
        <label htmlFor="motion-ballot">{t("live.ballot")}</label>
        <select id="motion-ballot" name="ballot" defaultValue="open">
          <option value="open">{t("live.ballotOpen")}</option>
          <option value="secret">{t("live.ballotSecret")}</option>
        </select>
      </div>
      <div>
        <label htmlFor="motion-rule">{t("live.passRule")}</label>
        <select id="motion-rule" name="passRule" defaultValue="majorityCast">
          {PASS_RULES.map((r) => (
            <option key={r} value={r}>
              {t(`live.rules.${r}`)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="motion-options">{t("live.customOptions")}</label>
        <textarea id="motion-options" name="options" rows={2} />
      </div>
      <fieldset>
        <legend>{t("live.requireIn")}</legend>
        {CONSTITUENCIES.map((c) => (
          <label key={c} className="check">
            <input type="checkbox" name="constituencies" value={c} /> {t(`constituencies.${c}`)}
          </label>
        ))}
      </fieldset>
      <label className="check">
        <input type="checkbox" name="hideResults" /> {t("live.hideResults")}
      </label>
      <button className="btn" type="submit" data-testid="propose-submit">
        {t("live.propose")}
      </button>
    </form>
  );
}
