// Every table of the dashboard as a download: CSV (UTF-8 with a byte-order mark, so Excel on a
// community office's Windows PC reads the Chinese) and .xlsx. Rates are written as fractions
// (0.5), formatted as percentages in the workbook.
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import type { DataTable } from "./charts.server";

export const DOWNLOAD_FORMATS = ["csv", "xlsx"] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

const BOM = "\uFEFF";

export function tableCsv(table: DataTable): string {
  return BOM + stringify([table.columns.map((c) => c.label), ...table.rows.map((r) => r.map((v) => (v === null ? "" : v)))]);
}

export async function tableXlsx(table: DataTable): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = "Yishi";
  // Sheet names: at most 31 characters, none of []:*?/\
  const sheet = book.addWorksheet(table.title.replace(/[[\]:*?/\\]/g, " ").slice(0, 31) || table.id);
  sheet.columns = table.columns.map((c) => ({ header: c.label, key: c.key, width: c.kind === "label" ? 20 : 14 }));
  for (const row of table.rows) sheet.addRow(row.map((v) => (v === null ? undefined : v)));
  table.columns.forEach((c, i) => {
    if (c.kind === "rate") sheet.getColumn(i + 1).numFmt = "0.0%";
    if (c.kind === "number") sheet.getColumn(i + 1).numFmt = "0.0";
  });
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}

export async function downloadResponse(table: DataTable, format: DownloadFormat, filename: string): Promise<Response> {
  const name = `${filename}.${format}`;
  const disposition = `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}`;
  if (format === "csv")
    return new Response(tableCsv(table), {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": disposition, "Cache-Control": "private, no-store" },
    });
  return new Response(new Uint8Array(await tableXlsx(table)), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": disposition,
      "Cache-Control": "private, no-store",
    },
  });
}
