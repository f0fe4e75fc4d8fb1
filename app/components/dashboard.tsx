// The dashboard's parts: a figure card (its value, a link to its definition and to what it
// counts), and a chart figure (the server's SVG with an accessible name, its data table beside
// it and the table's downloads). No chart JavaScript: the SVG arrives in the HTML.
import { useTranslation } from "react-i18next";

export type Cell = string | number | null;
export type FigureCard = { key: string; value: number | null; kind: "rate" | "number" | "count"; definition: string; list: string | null };
export type ChartTable = {
  id: string;
  title: string;
  columns: { key: string; label: string; kind: "label" | "count" | "rate" | "number" }[];
  rows: Cell[][];
  svg: string;
};

export function formatFigure(value: Cell, kind: string, locale: string, none: string): string {
  if (value === null || value === undefined) return none;
  if (typeof value === "string") return value;
  if (kind === "rate") return `${(value * 100).toLocaleString(locale, { maximumFractionDigits: 1 })}%`;
  if (kind === "number") return value.toLocaleString(locale, { maximumFractionDigits: 1 });
  return value.toLocaleString(locale);
}

export function FigureCards({ figures }: { figures: FigureCard[] }) {
  const { t, i18n } = useTranslation();
  return (
    <ul className="figure-cards" data-testid="figures">
      {figures.map((f) => (
        <li key={f.key} className="figure-card" data-figure={f.key}>
          <span className="figure-label">{t(`dashboard.figures.${f.key}`)}</span>
          <strong className="figure-value">
            {f.key === "averageDaysToClose" && f.value !== null
              ? t("dashboard.days", { value: formatFigure(f.value, f.kind, i18n.language, "") })
              : formatFigure(f.value, f.kind, i18n.language, t("dashboard.noFigure"))}
          </strong>
          <span className="figure-links">
            <a href={f.definition} aria-label={`${t(`dashboard.figures.${f.key}`)}: ${t("dashboard.definition")}`}>
              {t("dashboard.definition")}
            </a>
            {f.list ? (
              <a href={f.list} aria-label={`${t(`dashboard.figures.${f.key}`)}: ${t("dashboard.list")}`} data-testid={`list-${f.key}`}>
                {t("dashboard.list")}
              </a>
            ) : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function ChartFigure({ table, download }: { table: ChartTable; download: ((format: "csv" | "xlsx") => string) | null }) {
  const { t, i18n } = useTranslation();
  const none = "—";
  return (
    <section className="card chart-card" aria-labelledby={`chart-${table.id}-title`} data-chart={table.id}>
      <h2 id={`chart-${table.id}-title`}>{table.title}</h2>
      <figure role="img" aria-label={t("dashboard.charts.label", { title: table.title })} className="chart" dangerouslySetInnerHTML={{ __html: table.svg }} />
      {/* Scrolls sideways on a phone: focusable so a keyboard can scroll it too, named for the screen reader. */}
      <div className="table-scroll" tabIndex={0} role="region" aria-label={t("uxrest.tableScroll", { title: table.title })}>
        <table className="data-table">
          <caption className="visually-hidden">{table.title}</caption>
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c.key} scope="col">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, i) => (
              <tr key={i}>
                {row.map((v, j) =>
                  j === 0 ? (
                    <th key={j} scope="row">
                      {formatFigure(v, table.columns[j]!.kind, i18n.language, none)}
                    </th>
                  ) : (
                    <td key={j}>{formatFigure(v, table.columns[j]!.kind, i18n.language, none)}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {download ? (
        <p className="actions">
          <a className="btn secondary" href={download("csv")} download data-testid={`download-${table.id}-csv`}>
            {t("dashboard.download.csv")}
          </a>
          <a className="btn secondary" href={download("xlsx")} download data-testid={`download-${table.id}-xlsx`}>
            {t("dashboard.download.xlsx")}
          </a>
        </p>
      ) : null}
    </section>
  );
}
