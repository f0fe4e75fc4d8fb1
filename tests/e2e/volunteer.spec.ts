// 以服务换积分，以积分换服务 (issue 18) end to end: a leader posts an activity, a resident signs up
// and checks in by the activity's QR link on a 360 px phone, the leader confirms, the resident
// redeems at a merchant's phone (its own browser), then again while the merchant's phone is
// offline (queued, settled once back online); the resident and the merchant see the result.
import { expect, test, type Page } from "@playwright/test";
import { USERS, signedInPage, type DemoUser } from "./support";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
// The demo merchant account (prisma/seed-volunteer.ts), not one of the council demo users.
const SHOP = { username: "shop", phone: "13800000012", name: "马丽（幸福便民超市）" } as unknown as DemoUser;
const V = "/c/xingfuli/volunteer";
/** A datetime-local value in Beijing time, minutes from now. */
const beijing = (minutes: number) => new Date(Date.now() + 8 * 3600_000 + minutes * 60_000).toISOString().slice(0, 16);
const balanceOf = async (page: Page) => Number(((await page.getByTestId("balance").first().textContent()) ?? "").replace(/\D/g, ""));

test("earn points by serving, spend them at a merchant, also through a brief offline spell", async ({ browser }) => {
  const title = `楼道清扫 ${Date.now() % 100000}`;
  const leader = await signedInPage(browser, USERS.resident2);
  const resident = await signedInPage(browser, USERS.resident1, PHONE);
  const shop = await signedInPage(browser, SHOP, PHONE);

  // The leader posts the activity.
  await leader.page.goto(V);
  await leader.page.getByTestId("post-activity").locator("summary").click();
  const form = leader.page.getByTestId("post-activity");
  await form.getByLabel("活动名称").fill(title);
  await form.getByLabel("开始时间").fill(beijing(-5));
  await form.getByLabel("结束时间").fill(beijing(120));
  await form.getByLabel("需要人数").fill("3");
  await form.getByLabel("积分方式").selectOption("perActivity");
  await form.getByLabel("积分", { exact: true }).fill("30");
  await form.getByRole("button", { name: "发布活动" }).click();
  await expect(leader.page.getByRole("status")).toHaveText("活动已发布。");

  // The resident signs up on the phone.
  const r = resident.page;
  await r.goto(V);
  const before = await balanceOf(r);
  const item = r.locator(`[data-testid="activity"][data-title="${title}"]`);
  await item.getByTestId("sign-up").click();
  await expect(r.getByRole("status")).toHaveText("报名成功。");
  expect(await r.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // The leader's screen shows the rotating QR; the resident's phone opens its link and checks in.
  await leader.page.getByRole("link", { name: title }).click();
  const link = leader.page.getByTestId("check-in-url");
  await expect(link).toHaveAttribute("href", /check-in\?t=/);
  const url = new URL((await link.getAttribute("href"))!);
  await r.goto(url.pathname + url.search);
  await r.getByTestId("check-in").click();
  await expect(r.getByRole("status")).toContainText("签到成功");

  // The leader confirms the service: 30 points.
  await leader.page.reload();
  const row = leader.page.locator(`[data-testid="roster-row"][data-name="${USERS.resident1.name}"]`);
  await row.getByTestId("confirm").click();
  await expect(leader.page.getByRole("status")).toHaveText("已确认，发放 30 积分。");
  await r.goto(V);
  await expect(r.getByTestId("balance").first()).toHaveText(`${before + 30} 积分`);

  // At the merchant: the resident shows the code, the merchant's phone takes 30 points for a box of eggs.
  await r.goto(`${V}/redeem`);
  const code = (await r.getByTestId("code").textContent())!.trim();
  expect(code).toMatch(/^[2-9A-Z]{8}$/);
  const s = shop.page;
  await s.goto(`${V}/merchant`);
  await s.getByLabel("优惠", { exact: true }).selectOption({ label: "鸡蛋一盒（30 积分）" });
  await s.getByTestId("code-input").fill(code);
  await s.getByTestId("take-points").click();
  await expect(s.getByTestId("answers").locator("li").first()).toContainText("已扣 30 积分");
  await expect(s.getByTestId("answers").locator("li").first()).toContainText("刘**");
  await expect(r.getByTestId("redeemed")).toHaveText(`已兑换 30 积分，当前余额 ${before} 积分。`, { timeout: 15_000 });
  await expect(r.getByTestId("balance")).toHaveText(`${before} 积分`);
  // The same code again: refused, nothing taken twice.
  await s.getByTestId("code-input").fill(code);
  await s.getByTestId("take-points").click();
  await expect(s.getByTestId("answers").locator("li").first()).toContainText("此前已扣过");

  // The merchant's phone goes offline: the scan is queued, and settled once when it is back.
  await r.getByRole("button", { name: "换一个兑换码" }).click();
  await expect(r.getByTestId("code")).not.toHaveText(code);
  const second = (await r.getByTestId("code").textContent())!.trim();
  await s.getByLabel("优惠", { exact: true }).selectOption({ label: "理发九折（20 积分）" });
  await shop.context.setOffline(true);
  await s.getByTestId("code-input").fill(second);
  await s.getByTestId("take-points").click();
  await expect(s.getByTestId("queued")).toHaveText("1 笔待联网结算");
  await shop.context.setOffline(false);
  await expect(s.getByTestId("answers").locator("li").first()).toContainText("已扣 20 积分");
  await expect(s.getByTestId("queued")).toHaveCount(0);
  await expect(r.getByTestId("redeemed")).toHaveText(`已兑换 20 积分，当前余额 ${before - 20} 积分。`, { timeout: 15_000 });

  // The statement counts both; the resident's page shows the new balance.
  await s.getByRole("link", { name: "月度对账单" }).click();
  await expect(s.getByTestId("statement-total")).toContainText("积分");
  await r.goto(V);
  await expect(r.getByTestId("balance").first()).toHaveText(`${before - 20} 积分`);

  for (const c of [leader, resident, shop]) await c.context.close();
});
