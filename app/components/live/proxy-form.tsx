// The chair records a proxy: a seated resident authorises a building or unit head to vote for them.
import { useTranslation } from "react-i18next";

export function ProxyForm({
  people,
  onSubmit,
}: {
  people: { id: string; name: string; roles: string[] }[];
  onSubmit: (p: Record<string, unknown>) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        void onSubmit({ grantorId: f.get("grantorId"), proxyId: f.get("proxyId") });
      }}
    >
      <h3>{t("live.recordProxy")}</h3>
      <PersonSelect id="proxy-grantor" name="grantorId" label={t("live.grantor")} people={people.filter((p) => p.roles.includes("resident"))} />
      <PersonSelect
        id="proxy-holder"
        name="proxyId"
        label={t("live.proxyHolder")}
        people={people.filter((p) => p.roles.includes("buildingHead") || p.roles.includes("unitHead"))}
      />
      <button className="btn secondary" type="submit">
        {t("live.recordProxy")}
      </button>
    </form>
  );
}

export function PersonSelect({ id, name, label, people }: { id: string; name: string; label: string; people: { id: string; name: string }[] }) {
  const { t } = useTranslation();
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} required defaultValue="">
        <option value="">{t("live.choosePerson")}</option>
        {people.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}
