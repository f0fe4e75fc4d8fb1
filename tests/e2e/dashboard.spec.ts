// 看板 on a phone: staff open their community's dashboard at 360 px, find each chart as a figure
// with an accessible name and its data table, follow a figure to the list it counts, and
// download a table as .xlsx that holds exactly what the page's table shows. No chart script
// reaches the phone.
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import ExcelJS from "exceljs";
import { USERS, signIn } from "./support";

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

test("staff read the dashboard on a phone, follow a figure to its list and download a table", async ({ page }) => {
  const requested: string[] = [];
  page.on("request", (r) => requested.push(r.url()));
  await signIn(page, USERS.staff);
  await page.getByTestId("dashboard-link").first().click();
  await expect(page).toHaveURL(/\/c\/[a-z0-9-]+\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1, name: "看板" })).toBeVisible();

  // The trend chart: a figure with an accessible name, the SVG inside, its table beside it.
  const chart = page.getByRole("img", { name: /按月趋势：出题与办结/ });
  await expect(chart).toBeVisible();
  await expect(chart.locator("svg")).toHaveCount(1);
  const section = page.locator('[data-chart="trend"]');
  const table = section.getByRole("table");
  await expect(table.getByRole("columnheader", { name: "月份" })).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(13);
  // The whole page fits the phone: wide tables scroll inside their own box.
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(360);
  // No chart JavaScript: the charts came as SVG in the HTML.
  expect(requested.filter((u) => /echarts|zrender/i.test(u))).toEqual([]);

  // The page's table, cell by cell, before downloading it.
  const shown = await table.evaluate((t) => [...(t as HTMLTableElement).rows].map((r) => [...r.cells].map((c) => c.textContent ?? "")));

  const [download] = await Promise.all([page.waitForEvent("download"), section.getByTestId("download-trend-xlsx").click()]);
  expect(download.suggestedFilename()).toMatch(/-trend-\d{4}\.xlsx$/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const inFile = sheet
    .getSheetValues()
    .slice(1)
    .map((row) => (row as unknown[]).slice(1).map((v) => (v === undefined || v === null ? "—" : String(v))));
  expect(inFile).toEqual(shown);

  // A figure leads to the list it counts: topics raised → the topic board for the period.
  const raised = page.locator('[data-figure="topicsRaised"]');
  await expect(raised.locator(".figure-value")).toHaveText(/^\d+$/);
  await raised.getByRole("link", { name: "居民出题: 明细" }).click();
  await expect(page).toHaveURL(/\/c\/[a-z0-9-]+\/topics\?from=\d{4}-01-01&to=\d{4}-\d{2}-\d{2}$/);
  await page.goBack();
  // …and to its definition.
  await page.locator('[data-figure="satisfactionRate"]').getByRole("link", { name: "满意率: 口径" }).click();
  await expect(page).toHaveURL(/\/dashboard\/definitions#satisfactionRate$/);
  await expect(page.locator("#satisfactionRate")).toContainText("满意");
  await expect(page.getByTestId("star-formula")).toContainText("0.35");
});
