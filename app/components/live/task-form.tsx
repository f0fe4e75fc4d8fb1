// The chair turns a passed motion's resolution into a joint-handling task without leaving the
// live session (live action task:fromResolution). The deadline is Beijing time, as everywhere.
import { useState } from "react";
import { useTranslation } from "react-i18next";

type Org = { id: string; name: string; members: { id: string; name: string }[] };

export function TaskFromResolutionForm({
  motionId,
  organizations,
  defaultDeadline,
  onSubmit,
}: {
  motionId: string;
  organizations: Org[];
  defaultDeadline: string;
  onSubmit: (p: Record<string, unknown>) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState(organizations[0]?.id ?? "");
  const [busy, setBusy] = useState(false);
  const members = organizations.find((o) => o.id === orgId)?.members ?? [];
  const id = (f: string) => `task-${motionId}-${f}`;
  return (
    <form
      className="stack task-from-resolution"
      data-testid="task-from-resolution"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const payload: Record<string, unknown> = { motionId, organizationId: f.get("organizationId"), deadline: f.get("deadline") };
        const title = String(f.get("title") ?? "").trim();
        if (title) payload.title = title;
        const ownerId = String(f.get("ownerId") ?? "");
        if (ownerId) payload.ownerId = ownerId;
        setBusy(true);
        void onSubmit(payload).finally(() => setBusy(false));
      }}
    >
      <h3>{t("tasks.live.heading")}</h3>
      <label htmlFor={id("title")}>{t("tasks.live.title")}</label>
      <input id={id("title")} name="title" maxLength={80} />
      <label htmlFor={id("org")}>{t("tasks.live.organization")}</label>
      <select id={id("org")} name="organizationId" value={orgId} onChange={(e) => setOrgId(e.currentTarget.value)} required>
        {organizations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      <label htmlFor={id("owner")}>{t("tasks.live.owner")}</label>
      <select id={id("owner")} name="ownerId" defaultValue="">
        <option value="">{t("tasks.noOwner")}</option>
        {members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
      <label htmlFor={id("deadline")}>{t("tasks.live.deadline")}</label>
      <input id={id("deadline")} name="deadline" type="datetime-local" defaultValue={defaultDeadline} required />
      <button className="btn" type="submit" disabled={busy} data-testid="task-from-resolution-submit">
        {t("tasks.live.submit")}
      </button>
    </form>
  );
}
