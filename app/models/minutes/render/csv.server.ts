// Every vote's roll call as CSV. Street offices open it in Excel on Chinese Windows, which reads a
// CSV without a byte-order mark as GBK and garbles every name: hence UTF-8 with a BOM, CRLF rows.
import { stringify } from "csv-stringify/sync";
import type { PublishedMinutes, RollCallRow } from "../document";
import { exportLabels } from "./labels";

export const UTF8_BOM = "\uFEFF";

/**
 * A cell Excel would read as a formula (=, +, -, @, or a leading tab or CR) is prefixed with an
 * apostrophe: a voter's display name is typed by that voter, and "=HYPERLINK(...)" must stay text.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Beijing time as Excel parses it: "2026-11-20 19:05:03" (Swedish dates are ISO-shaped). */
const EXCEL_TIME = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});
const excelTime = (value: Date): string => EXCEL_TIME.format(value);

export function rollCallCsv(rows: RollCallRow[], locale: PublishedMinutes["locale"]): string {
  const l = exportLabels(locale);
  const header = [l.csv.agendaItem, l.csv.motion, l.csv.voter, l.csv.constituency, l.csv.choice, l.csv.byProxyFor, l.csv.castAt];
  const records = rows.map((r) =>
    [r.agendaItem, r.motion, r.voter, r.constituency, l.choices[r.choice], r.byProxyFor ?? "", excelTime(r.castAt)].map((cell) => neutraliseFormula(cell)),
  );
  return UTF8_BOM + stringify([header, ...records], { record_delimiter: "\r\n", quoted_match: /^\s|\s$/ });
}
