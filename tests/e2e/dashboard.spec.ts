// 看板 on a phone: staff open their community's dashboard at 360 px, find each chart as a figure
// with an accessible name and its data table, follow a figure to the list it counts, and
// download a table as .xlsx that holds exactly what the page's table shows. No chart script
// reaches the phone.
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import ExcelJS from "exceljs";
import { USERS, signIn, signedInPage } from "./support";

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

test("staff narrow the dashboard to one grid: its figures are that grid's row of the community's table, and its lists and downloads keep the grid", async ({
  page,
}) => {
  await signIn(page, USERS.staff);
  await page.getByTestId("dashboard-link").first().click();
  await expect(page.getByRole("heading", { level: 1, name: "看板" })).toBeVisible();
  // The whole community's table by grid: a grid's row (not the row of topics with no grid).
  const byGrid = page.locator('[data-chart="byGrid"]').getByRole("table");
  const headers = await byGrid.locator("thead th").allInnerTexts();
  const rows = await byGrid.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent ?? "")));
  const offered = await page.getByLabel("范围").locator("option").allInnerTexts();
  const row = rows.find((r) => offered.includes(r[0]!) && Number(r[headers.indexOf("居民出题")]) > 0);
  expect(row, `a grid with topics among ${JSON.stringify(rows)}`).toBeTruthy();

  await page.getByLabel("范围").selectOption({ label: row![0]! });
  await page.getByRole("button", { name: "查看" }).click();
  await expect(page).toHaveURL(/[?&]s=grid%3A/);
  await expect(page.locator("h1 + p")).toContainText(row![0]!);
  expect(await figureValue(page, "topicsRaised")).toBe(Number(row![headers.indexOf("居民出题")]));
  expect(await figureValue(page, "tasksClosed")).toBe(Number(row![headers.indexOf("办结任务")]));
  // Its lists are that grid's: the link carries the grid.
  const link = page.locator('[data-figure="topicsRaised"]').getByRole("link", { name: "居民出题: 明细" });
  await expect(link).toHaveAttribute("href", /gridId=/);
  // Its downloads too.
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator('[data-chart="trend"]').getByTestId("download-trend-csv").click()]);
  expect(download.suggestedFilename()).toMatch(/-trend-\d{4}-grid-[A-Za-z0-9_-]+\.csv$/);
});

test("the deployment's overseer reads every street office and community at /dashboard, and no community's own page", async ({ page }) => {
  await signIn(page, USERS.shiji);
  // Home leads there.
  await page.getByTestId("deployment-dashboard-link").click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("全域看板 · 全部街道");
  // Per street office: 金凤区 (幸福里) and the community set up without one (春华).
  const offices = page.locator('[data-chart="byDistrict"]').getByRole("table");
  await expect(offices.getByRole("rowheader", { name: "金凤区" })).toBeVisible();
  await expect(offices.getByRole("rowheader", { name: "未归属街道" })).toBeVisible();
  const communities = page.locator('[data-chart="byCommunity"]').getByRole("table");
  await expect(communities.getByRole("rowheader", { name: "幸福里社区" })).toBeVisible();
  // The headline is the sum of the street offices' rows.
  const headers = await offices.locator("thead th").allInnerTexts();
  const column = headers.indexOf("居民出题");
  const rows = await offices.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent ?? "")));
  expect(await figureValue(page, "topicsRaised")).toBe(rows.reduce((sum, r) => sum + Number(r[column]), 0));
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(360);
  // Figures only: a community's own pages stay its members'.
  const response = await page.goto("/c/xingfuli/dashboard");
  expect(response?.status()).toBe(403);
});

/** The figure's number as the page shows it. */
const figureValue = async (page: Page, key: string) => Number(await page.locator(`[data-figure="${key}"] .figure-value`).innerText());
/** A cell of the trend table: the row of the latest month, the column by its header. */
async function latestMonthCell(page: Page, header: string): Promise<number> {
  const table = page.locator('[data-chart="trend"]').getByRole("table");
  const headers = await table.locator("thead th").allInnerTexts();
  const row = table.locator("tbody tr").last();
  return Number(await row.locator("th, td").nth(headers.indexOf(header)).innerText());
}
const fromPage = (page: Page) => ({ Origin: new URL(page.url()).origin });
async function api(page: Page, method: "GET" | "POST", path: string, data?: unknown): Promise<Record<string, unknown>> {
  const response = await page.request.fetch(path, { method, headers: fromPage(page), data });
  expect(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as Record<string, unknown>;
}
/** A Beijing-time date and time a few days ahead, as the task form takes it. */
const beijingInDays = (days: number) => new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16);

test("a task the resident verifies in one browser changes the dashboard's figure, table and chart in another; the CSV matches the table", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const staff = await signedInPage(browser, USERS.staff);
  const owner = await signedInPage(browser, USERS.wuye);
  const resident = await signedInPage(browser, USERS.resident1);
  try {
    // resident1 raises a topic; staff make it a task of the property company; its owner hands it over.
    const topic = await api(resident.page, "POST", "/api/v1/communities/xingfuli/topics", { title: "看板测试：楼道灯不亮", category: "facilities" });
    await staff.page.goto("/c/xingfuli/tasks/new");
    const organizationId = await staff.page.locator('select[name="organizationId"] option', { hasText: "物业" }).first().getAttribute("value");
    const me = await api(owner.page, "GET", "/api/v1/me");
    const task = await api(staff.page, "POST", "/api/v1/communities/xingfuli/tasks", {
      title: "修好楼道灯",
      organizationId,
      ownerId: me.id,
      deadline: beijingInDays(5),
      topicId: topic.id,
    });
    await api(owner.page, "POST", `/api/v1/tasks/${String(task.id)}/moves`, { move: "submit" });

    // Staff's dashboard before: this year's closed tasks, and this month's row of the trend.
    const page = staff.page;
    await page.goto("/c/xingfuli/dashboard");
    const closedBefore = await figureValue(page, "tasksClosed");
    const monthBefore = await latestMonthCell(page, "办结任务");
    const svgBefore = await page.locator('[data-chart="trend"] figure').innerHTML();

    // The resident verifies and rates in their own browser (the community's rule: the first verifier decides).
    await api(resident.page, "POST", `/api/v1/tasks/${String(task.id)}/verifications`, { verdict: "confirm", rating: 5 });

    await page.reload();
    expect(await figureValue(page, "tasksClosed")).toBe(closedBefore + 1);
    expect(await latestMonthCell(page, "办结任务")).toBe(monthBefore + 1);
    expect(await page.locator('[data-chart="trend"] figure').innerHTML()).not.toBe(svgBefore);

    // The CSV download says what the table says.
    const table = page.locator('[data-chart="trend"]').getByRole("table");
    const shown = await table.evaluate((t) => [...(t as HTMLTableElement).rows].map((r) => [...r.cells].map((c) => c.textContent ?? "")));
    const csv = await (await page.request.get((await page.getByTestId("download-trend-csv").getAttribute("href"))!)).text();
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = csv
      .slice(1)
      .trim()
      .split(/\r?\n/)
      .map((line) => line.split(","));
    expect(rows).toEqual(shown);

    // The closed tasks' figure leads to the community's task list, filtered to closed: the task is there.
    await page.locator('[data-figure="tasksClosed"]').getByRole("link", { name: "办结任务: 明细" }).click();
    await expect(page).toHaveURL(/\/c\/xingfuli\/tasks\?status=closed$/);
    await expect(page.getByText("修好楼道灯")).toBeVisible();
  } finally {
    await Promise.all([staff.context.close(), owner.context.close(), resident.context.close()]);
  }
});
