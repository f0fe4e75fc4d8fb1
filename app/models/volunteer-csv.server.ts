// A merchant's monthly statement as CSV (UTF-8 with BOM so Excel opens the Chinese correctly).
import { stringify } from "csv-stringify/sync";

export function statementCsv(st: {
  merchant: string;
  month: string;
  total: number;
  lines: { at: string; offer: string; points: number; resident: string; code: string; reversed: boolean }[];
}) {
  const rows = [
    ["time", "offer", "points", "resident", "code", "reversed"],
    ...st.lines.map((l) => [l.at, l.offer, l.points, l.resident, l.code, l.reversed ? "yes" : ""]),
    ["total", "", st.total, "", "", ""],
  ];
  return "\uFEFF" + stringify(rows);
}
