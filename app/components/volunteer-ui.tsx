// Small pieces shared by the volunteer pages (issue 18).
import { useTranslation } from "react-i18next";

/** A moment in Beijing time, in the page's language. */
export function when(iso: string, lang: string): string {
  return new Date(iso).toLocaleString(lang === "en" ? "en-GB" : "zh-CN", {
    timeZone: "Asia/Shanghai",
    month: "numeric",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** The points an activity earns: "20 积分/小时" or "20 积分". */
export function PointsLabel({ mode, points }: { mode: string; points: number }) {
  const { t } = useTranslation();
  return <span className="pill">{mode === "perHour" ? t("volunteer.pointsPerHour", { points }) : t("volunteer.pointsPerActivity", { points })}</span>;
}

/** Links between the volunteer pages a person may use. */
export function VolunteerNav({ slug, merchant, staff }: { slug: string; merchant: boolean; staff: boolean }) {
  const { t } = useTranslation();
  return (
    <nav className="row-wrap" aria-label={t("volunteer.navLabel")} style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem" }}>
      <a className="btn secondary" href={`/c/${slug}/volunteer`}>
        {t("volunteer.title")}
      </a>
      <a className="btn secondary" href={`/c/${slug}/volunteer/redeem`} data-testid="redeem-link">
        {t("volunteer.showCode")}
      </a>
      {merchant ? (
        <a className="btn secondary" href={`/c/${slug}/volunteer/merchant`} data-testid="merchant-link">
          {t("volunteer.merchant.title")}
        </a>
      ) : null}
      {staff ? (
        <a className="btn secondary" href={`/c/${slug}/volunteer/staff`} data-testid="staff-link">
          {t("volunteer.staff.title")}
        </a>
      ) : null}
    </nav>
  );
}
