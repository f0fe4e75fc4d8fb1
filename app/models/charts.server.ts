// Charts rendered on the server as SVG by Apache ECharts (no DOM, no chart JavaScript sent to the
// phone). A chart is drawn from the same table the page shows beside it and the CSV/xlsx download
// carries, so the three can never disagree.
import * as echarts from "echarts";

export type Cell = string | number | null;
/** One table of the dashboard: the source of a chart, its accessible data table and its downloads. */
export type DataTable = {
  id: string;
  title: string;
  columns: { key: string; label: string; kind: "label" | "count" | "rate" | "number" }[];
  rows: Cell[][];
  /** Which columns the chart draws, and how. */
  chart: { type: "bar" | "line"; series: string[] };
};

const PALETTE = ["#b91c1c", "#1d4ed8", "#15803d", "#a16207", "#7c3aed"];

/** The chart of a table as an SVG string (width × height in CSS pixels; the SVG scales with its box). */
export function renderChart(table: DataTable, width = 640, height = 320): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    const labelIndex = table.columns.findIndex((c) => c.kind === "label");
    const categories = table.rows.map((r) => String(r[labelIndex] ?? ""));
    const rate = table.chart.series.every((key) => table.columns.find((c) => c.key === key)?.kind === "rate");
    chart.setOption({
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: "system-ui, 'PingFang SC', 'Noto Sans CJK SC', sans-serif", fontSize: 14 },
      legend: { top: 0, textStyle: { fontSize: 14 } },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: categories, axisLabel: { fontSize: 12, interval: 0, rotate: categories.length > 6 ? 45 : 0 } },
      yAxis: rate ? { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } } : { type: "value", minInterval: 1 },
      series: table.chart.series.map((key) => {
        const i = table.columns.findIndex((c) => c.key === key);
        const column = table.columns[i]!;
        return {
          type: table.chart.type,
          name: column.label,
          data: table.rows.map((r) => {
            const v = r[i];
            if (v === null || v === undefined) return null;
            return column.kind === "rate" ? Math.round(Number(v) * 1000) / 10 : Number(v);
          }),
          connectNulls: false,
        };
      }),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
