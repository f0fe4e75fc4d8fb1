// A merchant's monthly statement as CSV in the reader's language (UTF-8 with BOM so Excel opens the Chinese correctly).
import { stringify } from "csv-stringify/sync";
import type { TFunction } from "i18next";

export function statementCsv(
  t: TFunction,
  st: {
    merchant: string;
    month: string;
    total: number;
    lines: { at: string; offer: string; points: number; resident: string; code: string; reversed: boolean }[];
  },
) {
  const c = (key: string) => t(`volunteer.statementCsv.${key}`);
  const rows = [
    [c("time"), c("offer"), c("points"), c("resident"), c("code"), c("reversed")],
    ...st.lines.map((l) => [l.at, l.offer, l.points, l.resident, l.code, l.reversed ? c("yes") : ""]),
    [c("total"), "", st.total, "", "", ""],
  ];
  return "\uFEFF" + stringify(rows);
}
