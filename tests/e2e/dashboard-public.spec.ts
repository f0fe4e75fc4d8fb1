// 公开看板 signed out, on a phone: staff switch the public view on in the dashboard settings;
// a browser with no session opens /p/<slug> at 360 px and reads the headline rates and the
// notices; switched off again, the same address is not found.
import { expect, test } from "@playwright/test";
import { USERS, signIn } from "./support";

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

test("the public view works signed out while the setting is on, and is 404 when it is off", async ({ page, browser }) => {
  await signIn(page, USERS.staff);
  await page.getByTestId("dashboard-link").first().click();
  await expect(page).toHaveURL(/\/c\/[a-z0-9-]+\/dashboard$/);
  const slug = new URL(page.url()).pathname.split("/")[2]!;

  const visitor = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const outside = await visitor.newPage();
  expect((await outside.goto(`/p/${slug}`))!.status()).toBe(404);

  await page.getByLabel("公开看板：无需登录即可查看主要指标和公示").check();
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("已保存")).toBeVisible();

  expect((await outside.goto(`/p/${slug}`))!.status()).toBe(200);
  await expect(outside.getByRole("heading", { level: 1, name: /社区数据公开/ })).toBeVisible();
  const figures = outside.getByTestId("figures");
  await expect(figures.locator("[data-figure]")).toHaveCount(7);
  await expect(figures.locator('[data-figure="satisfactionRate"]')).toContainText("满意率");
  await expect(outside.getByRole("heading", { level: 2, name: "公示" })).toBeVisible();
  expect(await outside.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(360);

  await page.getByLabel("公开看板：无需登录即可查看主要指标和公示").uncheck();
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("已保存")).toBeVisible();
  expect((await outside.goto(`/p/${slug}`))!.status()).toBe(404);
  await visitor.close();
});
