// A rained-off clean-up (issue 18): the team's leader edits, then cancels an activity on a 360 px
// phone, in two steps and with a reason; the signed-up resident's phone (its own browser context)
// shows the cancellation and its reason at the top, offers no sign-up or check-in, and the
// resident has a notice that opens the activity.
import { expect, test } from "@playwright/test";
import { USERS, signedInPage } from "./support";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const V = "/c/xingfuli/volunteer";
/** A datetime-local value in Beijing time, minutes from now. */
const beijing = (minutes: number) => new Date(Date.now() + 8 * 3600_000 + minutes * 60_000).toISOString().slice(0, 16);

test("a leader cancels an activity and the signed-up resident's phone shows it", async ({ browser }) => {
  const title = `5号楼院子清扫 ${Date.now() % 100000}`;
  const reason = "暴雨预警，改到下周六";
  const leader = await signedInPage(browser, USERS.resident2, PHONE);
  const resident = await signedInPage(browser, USERS.resident1, PHONE);
  const l = leader.page;
  const r = resident.page;

  await l.goto(V);
  await l.getByTestId("post-activity").locator("summary").click();
  const form = l.getByTestId("post-activity");
  await form.getByLabel("活动名称").fill(title);
  await form.getByLabel("开始时间").fill(beijing(120));
  await form.getByLabel("结束时间").fill(beijing(240));
  await form.getByLabel("需要人数").fill("3");
  await form.getByRole("button", { name: "发布活动" }).click();
  await expect(l.getByRole("status")).toHaveText("活动已发布。");

  await r.goto(V);
  await r.locator(`[data-testid="activity"][data-title="${title}"]`).getByTestId("sign-up").click();
  await expect(r.getByRole("status")).toHaveText("报名成功。");
  await r.getByRole("link", { name: title }).click();
  await expect(r.getByTestId("my-signup")).toBeVisible();
  await expect(r.getByTestId("activity-cancelled")).toHaveCount(0);
  // A resident has no way to cancel or edit the activity itself.
  await expect(r.getByTestId("cancel-activity")).toHaveCount(0);

  // The leader edits the number of helpers before the start.
  await l.getByRole("link", { name: title }).click();
  await l.getByTestId("edit-activity").locator("summary").click();
  await l.getByTestId("edit-activity").getByLabel("需要人数").fill("4");
  await l.getByRole("button", { name: "保存修改" }).click();
  await expect(l.getByRole("status")).toHaveText("已保存修改。");
  await expect(l.getByText("1/4")).toBeVisible();

  // Then cancels it: open the panel, give the reason, confirm (a big touch target).
  const cancel = l.getByTestId("cancel-activity");
  await cancel.locator("summary").click();
  const confirm = cancel.getByTestId("confirm-cancel");
  const box = (await confirm.boundingBox())!;
  expect(box.height).toBeGreaterThanOrEqual(44);
  await cancel.getByLabel("取消原因").fill(reason);
  await confirm.click();
  await expect(l.getByRole("status")).toHaveText("活动已取消，已通知 1 人。");
  await expect(l.getByTestId("activity-cancelled")).toContainText(reason);
  await expect(l.getByTestId("cancel-activity")).toHaveCount(0);
  expect(await l.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // The resident's phone: the notice at the top with the reason, points kept, nothing to sign up for.
  await r.reload();
  const notice = r.getByTestId("activity-cancelled");
  await expect(notice).toContainText("活动已取消");
  await expect(notice).toContainText(reason);
  await expect(notice).toContainText("已确认的服务积分不会因取消而收回");
  const top = (await notice.boundingBox())!;
  const heading = (await r.getByRole("heading", { name: title }).boundingBox())!;
  expect(top.y).toBeLessThan(heading.y);
  await expect(r.getByTestId("sign-up")).toHaveCount(0);
  await expect(r.getByRole("button", { name: "取消报名" })).toHaveCount(0);
  expect(await r.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // The list shows it cancelled, with the reason, and no sign-up.
  await r.goto(V);
  const item = r.locator(`[data-testid="activity"][data-title="${title}"]`);
  await expect(item.getByTestId("cancel-reason")).toContainText(reason);
  await expect(item.getByTestId("sign-up")).toHaveCount(0);

  // And a notice that leads back to the activity.
  await r.goto("/notifications");
  await r.getByRole("button", { name: new RegExp(`志愿活动“${title}”已取消`) }).click();
  await expect(r).toHaveURL(/\/volunteer\/activities\//);
  await expect(r.getByTestId("activity-cancelled")).toContainText(reason);

  await leader.context.close();
  await resident.context.close();
});
