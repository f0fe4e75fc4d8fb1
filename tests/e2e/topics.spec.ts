// Issue 3 end to end, through the pages: a resident raises a topic with a
// photo on a phone, a neighbour co-signs it (the count moves live on the first
// phone), staff accept it onto a new session's agenda, and the resident sees
// the move on the timeline and in the notification centre.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { USERS, signedInPage, type DemoUser } from "./support";

/** A small real PNG (24×16, red); the server sniffs, decodes and re-encodes it. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAABgAAAAQCAIAAACDRijCAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAIElEQVR4nGPYLiNDFcQwatD20TDaPpqOZEaziAz5xQgA8P5mkDDeHDQAAAAASUVORK5CYII=",
  "base64",
);

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;

const TOPIC = "3号楼后消防通道又被车堵了";
const SESSION = "幸福里社区红色议事会 第13次会议（端到端测试）";

async function phone(browser: Browser, user: DemoUser) {
  return signedInPage(browser, user, PHONE);
}

/** Nothing on the page is wider than the phone: no sideways scrolling. */
async function expectFitsPhone(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.viewport.width);
}

/** The number in the top bar's unread badge (0 when there is no badge). */
async function unread(page: Page): Promise<number> {
  const badge = page.getByTestId("unread-badge");
  return (await badge.count()) ? Number(await badge.textContent()) : 0;
}

test("a resident raises a topic with a photo; a neighbour co-signs live; staff put it on an agenda; the resident is told", async ({ browser }) => {
  // ——— The resident raises the topic on a 360 px phone ———
  const { context: residentContext, page: resident } = await phone(browser, USERS.resident1);
  await resident.getByTestId("topic-board-link").first().click();
  await expect(resident).toHaveURL(/\/c\/xingfuli\/topics$/);
  await resident.getByText("更多筛选").click();
  await expect(resident.getByLabel("结束日期")).toBeVisible();
  await expectFitsPhone(resident);
  await resident.getByRole("link", { name: "我要提议题" }).click();
  await expect(resident.getByRole("heading", { level: 1, name: "提出议题" })).toBeVisible();
  await expectFitsPhone(resident);

  // Too short a title is refused next to the field, and what was typed stays.
  await resident.getByLabel("标题").fill("堵车");
  await resident.getByLabel("详细说明（选填）").fill("晚上八点以后，消防通道上常停着三四辆私家车，消防车进不来。");
  await resident.getByRole("button", { name: "提交议题" }).click();
  await expect(resident.locator("#field-title-error")).toHaveText("标题至少 4 个字，请说得具体一点。");
  await expect(resident.getByLabel("详细说明（选填）")).toHaveValue(/消防车进不来/);

  await resident.getByLabel("标题").fill(TOPIC);
  await resident.getByLabel("类别").selectOption({ label: "停车" });
  await resident.getByLabel("楼栋").selectOption({ label: "3号楼" });
  await resident.getByLabel("单元").selectOption({ label: "2单元" });
  await resident.getByTestId("photo-input").setInputFiles({ name: "fire-lane.png", mimeType: "image/png", buffer: PNG });
  await expect(resident.getByText("已选 1 张照片")).toBeVisible();
  await resident.getByRole("button", { name: "提交议题" }).click();

  await resident.waitForURL((url) => /^\/topics\/[^/]+$/.test(url.pathname));
  const topicPath = new URL(resident.url()).pathname;
  await expect(resident.getByRole("heading", { level: 1, name: TOPIC })).toBeVisible();
  await expect(resident.getByTestId("topic-status")).toHaveText("待受理");
  await expect(resident.getByText("3号楼 · 2单元")).toBeVisible();
  await expectFitsPhone(resident);

  // The photo was re-encoded and is served to members of the community as WebP.
  const photo = resident.locator(".photo-grid img");
  await expect(photo).toHaveCount(1);
  await photo.scrollIntoViewIfNeeded();
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(24);
  const photoUrl = await photo.getAttribute("src");
  expect(photoUrl).toMatch(/^\/photos\/[A-Za-z0-9_-]{16}\.webp$/);
  const served = await resident.request.get(photoUrl!);
  expect(served.status()).toBe(200);
  expect(served.headers()["content-type"]).toBe("image/webp");
  expect(served.headers()["cache-control"]).toContain("private");

  // Following the topic live before anyone else acts.
  const count = resident.getByTestId("cosign-count");
  await expect(count).toHaveAttribute("data-live", "joined");
  await expect(count).toHaveText("0");
  const unreadBefore = await unread(resident);

  // ——— A neighbour, in another browser, co-signs ———
  const { context: neighbourContext, page: neighbour } = await phone(browser, USERS.resident2);
  await neighbour.goto(topicPath);
  await neighbour.getByRole("button", { name: "附议", exact: true }).click();
  await expect(neighbour.getByRole("button", { name: "撤回附议" })).toBeVisible();
  await expect(neighbour.getByTestId("cosign-count")).toHaveText("1");
  // …and the count moves on the first resident's screen without a reload.
  await expect(count).toHaveText("1");

  // Someone from another community can neither open the topic nor its photo.
  const { context: outsiderContext, page: outsider } = await signedInPage(browser, USERS.outsider);
  expect((await outsider.request.get(photoUrl!)).status()).toBe(403);
  expect((await outsider.goto(topicPath))?.status()).toBe(403);
  await outsiderContext.close();

  // ——— Staff schedule a session, accept the topic and put it on that agenda ———
  const { context: staffContext, page: staff } = await signedInPage(browser, USERS.staff);
  await staff.goto("/c/xingfuli/triage");
  await expect(staff.getByTestId("triage-row").filter({ hasText: TOPIC })).toBeVisible();
  await staff.getByRole("link", { name: "安排议事会会议" }).click();
  await staff.getByLabel("会议名称").fill(SESSION);
  await staff.getByLabel("地点").fill("社区党群服务中心二楼会议室");
  await staff.getByLabel("形式").selectOption({ label: "线下" });
  await staff.getByRole("button", { name: "创建会议，编排议程" }).click();
  await expect(staff).toHaveURL(/\/sessions\/[^/]+\/agenda$/);
  const agendaPath = new URL(staff.url()).pathname;
  await expect(staff.getByTestId("agenda-published")).toHaveText("草稿，尚未发布");

  await staff.goto(topicPath);
  const accept = staff.getByTestId("move-accept");
  await accept.locator("summary").click();
  await accept.getByRole("button", { name: "受理" }).click();
  await expect(staff.getByTestId("topic-status")).toHaveText("已受理");

  const schedule = staff.getByTestId("move-schedule");
  await schedule.locator("summary").click();
  const sessionOption = schedule.locator("option", { hasText: SESSION });
  await schedule.getByLabel("会议", { exact: true }).selectOption((await sessionOption.getAttribute("value"))!);
  await schedule.getByLabel("时长（分钟，选填）").fill("20");
  await schedule.getByRole("button", { name: "列入议程" }).click();
  await expect(staff.getByTestId("topic-status")).toHaveText("已列入议程");

  // The agenda item links back to the topic; publishing tells the council.
  await staff.goto(agendaPath);
  const item = staff.getByTestId("agenda-builder-item").filter({ hasText: TOPIC });
  await expect(item).toBeVisible();
  await expect(item.getByLabel("时长（分钟）")).toHaveValue("20");
  await expect(item.getByRole("link", { name: "来源议题" })).toHaveAttribute("href", topicPath);
  await staff.getByRole("button", { name: "发布议程" }).click();
  await expect(staff.getByTestId("agenda-published")).toContainText("已于");

  // ——— The resident sees it all without reloading ———
  await expect(resident.getByTestId("topic-status")).toHaveText("已列入议程");
  const timeline = resident.getByTestId("timeline");
  await expect(timeline.locator('[data-event="accepted"]')).toContainText(USERS.staff.name);
  const scheduled = timeline.locator('[data-event="scheduled"]');
  await expect(scheduled).toContainText("列入会议议程");
  await expect(scheduled.getByRole("link", { name: SESSION })).toBeVisible();
  // Accepted, scheduled, agenda published: the badge counts up live.
  await expect.poll(() => unread(resident)).toBeGreaterThanOrEqual(unreadBefore + 2);

  // The notification centre says what moved and leads back to the topic.
  await resident.getByRole("link", { name: /^通知/ }).click();
  await expect(resident).toHaveURL(/\/notifications$/);
  const moved = resident.getByTestId("notification").filter({ hasText: `议题“${TOPIC}”有新进展：已列入议程` });
  await expect(moved).toHaveAttribute("data-unread", "true");
  await expect(resident.getByTestId("notification").filter({ hasText: `会议“${SESSION}”的议程已发布` })).toBeVisible();
  await moved.getByRole("button").first().click();
  await expect(resident).toHaveURL(new RegExp(`${topicPath}$`));
  await expect(timeline.locator('[data-event="agendaPublished"]')).toContainText("会议议程已发布");
  await resident.goto("/notifications");
  await expect(moved).not.toHaveAttribute("data-unread", "true");
  await resident.getByRole("button", { name: "全部标为已读" }).click();
  await expect(resident.getByTestId("unread-badge")).toHaveCount(0);
  await expect(resident.locator('[data-testid="notification"][data-unread="true"]')).toHaveCount(0);

  await Promise.all([residentContext.close(), neighbourContext.close(), staffContext.close()]);
});

test("who may do what: observers cannot raise, relay roles raise on behalf, bad input is refused precisely, the property company answers its referral", async ({
  browser,
}) => {
  const title = "2号楼2单元门禁坏了";

  // An observer watches: no "raise" link, and the form itself is refused.
  const { context: observerContext, page: observer } = await phone(browser, USERS.observer);
  await observer.goto("/c/xingfuli/topics");
  await expect(observer.getByRole("heading", { level: 1, name: "议题" })).toBeVisible();
  await expect(observer.getByRole("link", { name: "我要提议题" })).toHaveCount(0);
  expect((await observer.goto("/c/xingfuli/topics/new"))?.status()).toBe(403);
  await observerContext.close();

  // A plain resident is not offered "on behalf of".
  const { context: residentContext, page: resident } = await phone(browser, USERS.resident3);
  await resident.goto("/c/xingfuli/topics/new");
  await expect(resident.getByLabel("标题")).toBeVisible();
  await expect(resident.getByLabel("代居民提出（选填）")).toHaveCount(0);
  await residentContext.close();

  // A grid worker raises one for a resident; a file that is not a photo is refused by its content.
  const { context: gridContext, page: grid } = await phone(browser, USERS.grid1);
  await grid.goto("/c/xingfuli/topics/new");
  await grid.getByLabel("标题").fill(title);
  await grid.getByLabel("类别").selectOption({ label: "设施与电梯" });
  await grid.getByLabel("代居民提出（选填）").fill("2号楼2单元 王大爷");
  await grid.getByTestId("photo-input").setInputFiles({ name: "door.jpg", mimeType: "image/jpeg", buffer: Buffer.from("this is not a picture at all") });
  await grid.getByRole("button", { name: "提交议题" }).click();
  await expect(grid.locator("#photos-error")).toHaveText("第 1 个文件不是照片，请选 JPG、PNG 或 WebP 图片。");
  await expect(grid.getByLabel("标题")).toHaveValue(title);
  await expect(grid.getByLabel("代居民提出（选填）")).toHaveValue("2号楼2单元 王大爷");
  // The refused file stays among the chosen photos (nothing is lost) until it is removed.
  await grid.getByRole("button", { name: "删除第 1 张" }).click();
  await grid.getByRole("button", { name: "提交议题" }).click();
  await grid.waitForURL((url) => /^\/topics\/[^/]+$/.test(url.pathname));
  const topicPath = new URL(grid.url()).pathname;
  await expect(grid.getByText("代 2号楼2单元 王大爷 提出").first()).toBeVisible();
  await gridContext.close();

  // Staff refer it to the property company; a deadline in the past is refused on its field.
  const { context: staffContext, page: staff } = await signedInPage(browser, USERS.staff);
  await staff.goto(topicPath);
  const answer = staff.getByTestId("move-answer");
  await answer.locator("summary").click();
  await answer.getByRole("button", { name: "发布答复" }).click();
  await expect(staff.getByTestId("move-answer").getByRole("alert")).toHaveText("请填写答复内容。");
  const refer = staff.getByTestId("move-refer");
  await refer.locator("summary").click();
  await refer.getByLabel("答复单位").selectOption({ label: "安居物业服务有限公司" });
  await refer.getByLabel("答复期限（北京时间）").fill("2020-01-06T09:00");
  await refer.getByRole("button", { name: "转交" }).click();
  await expect(staff.getByTestId("move-refer").getByRole("alert")).toHaveText("答复期限须晚于现在。");
  await staff.getByTestId("move-refer").getByLabel("答复期限（北京时间）").fill("2099-01-06T09:00");
  await staff.getByTestId("move-refer").getByRole("button", { name: "转交" }).click();
  await expect(staff.getByTestId("topic-status")).toHaveText("已转办");
  await staffContext.close();

  // The property company finds it in its queue and answers formally; the answer closes it.
  const { context: wuyeContext, page: wuye } = await phone(browser, USERS.wuye);
  await wuye.goto("/c/xingfuli/topics");
  await wuye.getByRole("link", { name: "转办给本单位的议题" }).click();
  await wuye.getByTestId("referral-row").filter({ hasText: title }).click();
  await wuye.waitForURL((url) => url.pathname === topicPath);
  await wuye.getByLabel("答复内容（公开）").fill("已安排维修师傅本周五上午更换门禁控制器。");
  await wuye.getByRole("button", { name: "提交答复" }).click();
  await expect(wuye.getByTestId("topic-status")).toHaveText("已答复");
  await expect(wuye.getByRole("region", { name: "答复" })).toContainText("本周五上午更换门禁控制器");
  await expect(wuye.getByTestId("timeline").locator('[data-event="orgAnswered"]')).toContainText(USERS.wuye.name);
  await wuyeContext.close();
});
