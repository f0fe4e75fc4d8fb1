// The dashboard's volunteer section (issue 18): hours served and points issued and redeemed in
// the period, per grid and month. Kept here so c.$slug.dashboard.tsx only mounts it.
import { useTranslation } from "react-i18next";

type Data = {
  hours: number;
  issued: number;
  redeemed: number;
  rows: { gridId: string | null; grid: string; month: string; hours: number; pointsIssued: number; pointsRedeemed: number }[];
};

export function VolunteerSection({ data, slug }: { data: Data; slug: string }) {
  const { t } = useTranslation();
  return (
    <section className="card stack" aria-labelledby="volunteer-figures" data-testid="dashboard-volunteer">
      <h2 id="volunteer-figures">{t("volunteer.dashboard.title")}</h2>
      <p>
        {t("volunteer.dashboard.hours")} <strong>{data.hours}</strong> · {t("volunteer.dashboard.issued")} <strong>{data.issued}</strong> ·{" "}
        {t("volunteer.dashboard.redeemed")} <strong>{data.redeemed}</strong>
      </p>
      {data.rows.length ? (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t("uxrest.tableScroll", { title: t("volunteer.dashboard.title") })}>
          <table>
            <thead>
              <tr>
                <th>{t("volunteer.staff.month")}</th>
                <th>{t("volunteer.staff.grid")}</th>
                <th>{t("volunteer.dashboard.hours")}</th>
                <th>{t("volunteer.dashboard.issued")}</th>
                <th>{t("volunteer.dashboard.redeemed")}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={`${r.month}-${r.gridId}`}>
                  <td>{r.month}</td>
                  <td>{r.grid || t("volunteer.staff.noGrid")}</td>
                  <td>{r.hours}</td>
                  <td>{r.pointsIssued}</td>
                  <td>{r.pointsRedeemed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <a href={`/c/${slug}/volunteer`}>{t("volunteer.dashboard.link")}</a>
    </section>
  );
}
