// Issue 15 on the live page: a vote opening reaches a member's phone (scrolled to the top) —
// brought into view, announced, named in the tab — a chair's refusal shows where the chair is
// looking, and adjourning asks first, sits last, stops the clocks and takes the QR code down.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { scheduleSession } from "./live-support";
import { USERS, signedInPage } from "./support";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;
const DESKTOP = { viewport: { width: 1280, height: 800 } } as const;
const fromPage = (page: Page) => ({ Origin: new URL(page.url()).origin });

async function act(page: Page, action: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await page.request.post(`/api/v1/live/${action}`, { headers: fromPage(page), data: body });
  expect(response.ok(), `${action}: ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as Record<string, unknown>;
}

async function goLive(page: Page, sessionId: string) {
  await page.goto(`/sessions/${sessionId}/live`);
  await expect(page.getByTestId("live-status")).toBeVisible();
  await expect(page.locator(".notice[role=status]")).toHaveCount(0); // connected
}

async function expectAxeClean(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations.map((v) => `${what}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    what,
  ).toEqual([]);
}

test("a vote opening reaches the phone; refusals show where the chair looks; adjourning asks, stops the clocks and takes the QR down", async ({ browser }) => {
  const chair = await signedInPage(browser, USERS.staff, DESKTOP);
  const member = await signedInPage(browser, USERS.resident1, PHONE);
  const MOTION = "同意在消防通道两侧施划禁停黄线。";
  const ITEM = "消防通道停车";
  try {
    const { id: sessionId, itemId } = await scheduleSession(chair.page, `无障碍·现场 ${Date.now().toString(36)}`, ITEM);
    await goLive(chair.page, sessionId);
    await goLive(member.page, sessionId);
    await expectAxeClean(chair.page, "chair before opening 1280");
    await expectAxeClean(member.page, "member before opening 360");

    // Opening is announced to a screen reader on the phone.
    await chair.page.getByTestId("open-session").click();
    await expect(member.page.getByTestId("live-announcer")).toHaveText("会议已开始。");
    await expect(member.page.getByTestId("live-announcer")).toHaveAttribute("aria-live", "polite");

    const idOf = async (name: string) => (await chair.page.locator("#check-in-person option", { hasText: name }).getAttribute("value"))!;
    const [staffId, gridId, residentId, ownersId] = [
      await idOf(USERS.staff.name),
      await idOf(USERS.grid1.name),
      await idOf(USERS.resident1.name),
      await idOf(USERS.yeweihui.name),
    ];
    for (const userId of [staffId, gridId, residentId]) await act(chair.page, "session:checkIn", { sessionId, userId });
    await act(chair.page, "session:openItem", { sessionId, itemId });
    await expect(member.page.getByTestId("live-announcer")).toContainText(`现在审议第 1 项：${ITEM}`);
    await act(member.page, "motion:propose", { sessionId, agendaItemId: itemId, text: MOTION, ballot: "open", passRule: "majorityCast" });
    await expect(chair.page.getByTestId("motion")).toHaveAttribute("data-status", "proposed");
    await chair.page.getByTestId("second").click();
    await expect(chair.page.getByTestId("motion")).toHaveAttribute("data-status", "seconded");

    // Without a quorum the chair's refusal shows on screen, next to the button, not at the top of the page.
    await chair.page.setViewportSize({ width: 1280, height: 500 });
    await chair.page.getByTestId("open-vote").scrollIntoViewIfNeeded();
    await chair.page.getByTestId("open-vote").click();
    await expect(chair.page.getByTestId("live-error")).toHaveText("未达法定人数（出席 3 人，需要 4 人），不能表决。");
    await expect(chair.page.getByTestId("live-error")).toBeInViewport();
    await chair.page.getByRole("button", { name: "关闭" }).click();
    await expect(chair.page.getByTestId("live-error")).toHaveCount(0);
    await chair.page.setViewportSize(DESKTOP.viewport);

    await act(chair.page, "session:checkIn", { sessionId, userId: ownersId });
    await expect(member.page.getByTestId("quorum")).toHaveAttribute("data-met", "true");

    // The member's phone is at the top of the page when the chair calls the vote.
    await member.page.evaluate(() => window.scrollTo(0, 0));
    await expect(member.page).not.toHaveTitle(/^表决中/);
    await chair.page.getByTestId("open-vote").click();
    const buttons = member.page.getByTestId("vote-buttons");
    await expect(buttons.locator("button")).toHaveText(["赞成", "反对", "弃权"]);
    await expect(buttons).toBeInViewport();
    await expect(member.page.getByTestId("live-announcer")).toContainText(`开始表决：${MOTION}`);
    await expect(member.page).toHaveTitle(/^表决中 · /);
    await expectAxeClean(member.page, "member voting 360");
    await expectAxeClean(chair.page, "chair voting 1280");

    await buttons.locator("[data-choice=yes]").click();
    await expect(member.page.getByTestId("ballot-state")).toHaveAttribute("data-state", "recorded");
    await chair.page.getByTestId("close-vote").click();
    await expect(member.page.getByTestId("live-announcer")).toContainText(`表决结果：通过。${MOTION}`);
    await expect(member.page).not.toHaveTitle(/^表决中/);
    await expectAxeClean(member.page, "member result 360");
    await expectAxeClean(chair.page, "chair result 1280");

    // Adjourn sits last among the chair's buttons and asks first; "keep meeting" changes nothing.
    const row = chair.page
      .locator("section")
      .filter({ has: chair.page.getByTestId("adjourn") })
      .locator(".button-row")
      .first();
    await expect(row.locator("button").last()).toHaveText("休会");
    await chair.page.getByTestId("adjourn").click();
    await expect(chair.page.getByTestId("adjourn-confirm")).toContainText("确定休会吗？");
    await chair.page.getByRole("button", { name: "继续开会" }).click();
    await expect(chair.page.getByTestId("adjourn-confirm")).toHaveCount(0);
    await expect(member.page.getByTestId("live-status")).toHaveText("进行中");
    await expect(chair.page.getByTestId("current-item")).toContainText("本项剩余");
    await chair.page.getByRole("button", { name: "显示签到二维码" }).click();
    await expect(chair.page.locator("figure.qr svg")).toBeVisible();

    await chair.page.getByTestId("adjourn").click();
    await chair.page.getByTestId("adjourn-confirmed").click();
    for (const page of [chair.page, member.page]) {
      await expect(page.getByTestId("live-status")).toHaveText("已休会");
      // The item's clock stops: neither time left nor overtime once the session is over.
      await expect(page.getByTestId("current-item")).not.toContainText("本项剩余");
      await expect(page.getByTestId("current-item")).not.toContainText("超时");
    }
    await expect(member.page.getByTestId("live-announcer")).toContainText("会议已休会。");
    await expect(chair.page.locator("figure.qr")).toHaveCount(0);
    await expect(chair.page.getByRole("button", { name: "显示签到二维码" })).toHaveCount(0);
    await expectAxeClean(member.page, "member adjourned 360");
    await expectAxeClean(chair.page, "chair adjourned 1280");

    // A seated member reading the item afterwards is told why it is read-only, not called an observer.
    await member.page.goto(`/sessions/${sessionId}/items/${itemId}`);
    await expect(member.page.locator(".notice").first()).toHaveText("会议已休会，议程文字已成为记录，只能查看。");
    await expect(member.page.getByText("列席")).toHaveCount(0);
  } finally {
    await chair.context.close();
    await member.context.close();
  }
});

test("hybrid session: the chair allows check-in from afar; a member at home checks in with one button and is told it worked", async ({ browser }) => {
  const chair = await signedInPage(browser, USERS.staff, DESKTOP);
  const member = await signedInPage(browser, USERS.wuye, PHONE);
  try {
    const { id: sessionId } = await scheduleSession(chair.page, `线上签到 ${Date.now().toString(36)}`, "议程一");
    await goLive(chair.page, sessionId);
    await goLive(member.page, sessionId);
    await chair.page.getByTestId("open-session").click();
    // Not allowed yet: the phone says to scan the code in the room.
    await expect(member.page.getByTestId("check-in-self")).toHaveCount(0);
    await expect(member.page.getByText("请用手机扫描会议室屏幕上的二维码签到。")).toBeVisible();

    // The box follows the server's state (pushed to every screen), so it is clicked, then awaited.
    await chair.page.getByLabel("允许不在会场的成员线上自助签到").click();
    await expect(chair.page.getByLabel("允许不在会场的成员线上自助签到")).toBeChecked();
    const button = member.page.getByRole("button", { name: "我在线上参会，签到" });
    await expect(button).toBeVisible();
    const box = (await button.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(64);
    await expectAxeClean(member.page, "member self check-in 360");
    await button.click();
    await expect(member.page.getByTestId("check-in-done")).toHaveText("签到成功！");
    await expect(member.page.getByTestId("check-in-done")).toBeInViewport();
    await expect(member.page.getByTestId("my-check-in")).toHaveText("你已签到（议事会成员）");
    await expect(chair.page.getByTestId("attendance")).toContainText(USERS.wuye.name);

    // The chair switches it off: the next person is back to scanning.
    await chair.page.getByLabel("允许不在会场的成员线上自助签到").click();
    await expect(chair.page.getByLabel("允许不在会场的成员线上自助签到")).not.toBeChecked();
    await expectAxeClean(chair.page, "chair with self check-in 1280");
  } finally {
    await chair.context.close();
    await member.context.close();
  }
});
