// 联办任务 end to end: a resident's topic goes on a session's agenda, the council's vote
// passes, the chair turns the resolution into a task in the live session; the property
// company's owner posts progress with a photo from a phone (360 px) while the resident who
// raised the topic watches it arrive live; she sends it back once and verifies it the second
// time; the topic's timeline tells the whole story.
import { expect, test, type Page } from "@playwright/test";
import sharp from "sharp";
import { expectAxeClean } from "./live-support";
import { USERS, signedInPage } from "./support";

const fromPage = (page: Page) => ({ Origin: new URL(page.url()).origin });
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

async function api(page: Page, method: "GET" | "POST", path: string, data?: unknown): Promise<Record<string, unknown>> {
  const response = await page.request.fetch(path, { method, headers: fromPage(page), data });
  expect(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as Record<string, unknown>;
}

test("a vote's resolution becomes a task live; the owner reports from a phone; the raiser sends it back once, then verifies; the topic tells the whole story", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const chair = await signedInPage(browser, USERS.staff);
  const seconder = await signedInPage(browser, USERS.grid1);
  const owner = await signedInPage(browser, USERS.wuye, PHONE);
  const raiser = await signedInPage(browser, USERS.resident2);
  try {
    // ——— The topic goes on a new session's agenda, and the council votes on it ———
    const me = (await api(chair.page, "GET", "/api/v1/me")) as { seats: { councilId: string }[] };
    const { id: sessionId } = (await api(chair.page, "POST", "/api/v1/sessions", {
      councilId: me.seats[0]!.councilId,
      title: `宠物粪便专题议事会 ${Date.now().toString(36)}`,
      scheduledAt: "2030-01-15T19:00",
      place: "社区党群服务中心",
      mode: "inPerson",
    })) as { id: string };
    // The resident raises her own topic (other specs move the seeded ones at the same time).
    const TOPIC = `5号楼前草坪宠物粪便 ${Date.now().toString(36)}`;
    await raiser.page.goto("/");
    const { id: topicId } = (await api(raiser.page, "POST", "/api/v1/communities/xingfuli/topics", {
      title: TOPIC,
      description: "草坪每天都有狗粪，孩子没法玩。",
      category: "sanitation",
    })) as { id: string };
    await api(chair.page, "POST", `/api/v1/topics/${topicId}/moves`, { move: "schedule", sessionId });
    await api(chair.page, "POST", "/api/v1/live/session:open", { sessionId });
    await chair.page.goto(`/sessions/${sessionId}/live`);
    await expect(chair.page.getByTestId("live-status")).toBeVisible();
    for (const name of [USERS.staff.name, USERS.grid1.name, USERS.resident1.name, USERS.yeweihui.name]) {
      const userId = await chair.page.locator("#check-in-person option", { hasText: name }).getAttribute("value");
      await api(chair.page, "POST", "/api/v1/live/session:checkIn", { sessionId, userId });
    }
    const state = (await api(chair.page, "GET", `/api/v1/sessions/${sessionId}/live`)) as { items: { id: string; title: string }[] };
    const itemId = state.items.find((i) => i.title === TOPIC)!.id;
    await api(chair.page, "POST", "/api/v1/live/session:openItem", { sessionId, itemId });
    const { id: motionId } = (await api(chair.page, "POST", "/api/v1/live/motion:propose", {
      sessionId,
      agendaItemId: itemId,
      text: "由物业每日清扫5号楼前草坪两次，并张贴文明养犬提示。",
    })) as { id: string };
    await seconder.page.goto("/");
    await api(seconder.page, "POST", "/api/v1/live/motion:second", { motionId });
    await api(chair.page, "POST", "/api/v1/live/vote:open", { motionId });
    await api(chair.page, "POST", "/api/v1/live/vote:cast", { motionId, clientBallotId: "tasks-e2e-yes-1", seq: 1, choice: "yes" });

    // A council member's live screen, open before the task exists.
    await seconder.page.goto(`/sessions/${sessionId}/live`);
    await expect(seconder.page.getByTestId("motion")).toBeVisible();

    // ——— In the live session, the chair closes the vote and turns the resolution into a task ———
    const motion = chair.page.getByTestId("motion");
    await motion.getByTestId("close-vote").click();
    await expect(motion).toHaveAttribute("data-status", "closed");
    const form = motion.getByTestId("task-from-resolution");
    await expect(form).toBeVisible();
    await form.getByLabel("任务名称").fill("清理5号楼前草坪并张贴提示");
    await form.getByLabel("牵头单位").selectOption({ label: "安居物业服务有限公司" });
    await form.getByLabel("责任人").selectOption({ label: USERS.wuye.name });
    await form.getByTestId("task-from-resolution-submit").click();
    const taskLink = motion.getByTestId("resolution-task-link");
    await expect(taskLink).toHaveText("清理5号楼前草坪并张贴提示");
    const taskPath = (await taskLink.getAttribute("href"))!;
    // …and it reaches the other live screen without a reload.
    await expect(seconder.page.getByTestId("resolution-task-link")).toHaveText("清理5号楼前草坪并张贴提示");

    // ——— The raiser follows the task; the owner reports from a 360 px phone with a photo ———
    await raiser.page.goto(taskPath);
    await expect(raiser.page.getByTestId("task-status")).toHaveText("待处理");
    await expect(raiser.page.getByTestId("task-live")).toHaveAttribute("data-live", "joined");

    await owner.page.goto("/tasks");
    await owner.page.getByTestId("tasks-owned").getByRole("link", { name: "清理5号楼前草坪并张贴提示" }).click();
    await expect(owner.page).toHaveURL(new RegExp(`${taskPath}$`));
    await expectAxeClean(owner.page, "the owner's task page at 360 px");
    const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#4a8" } })
      .jpeg()
      .toBuffer();
    const progress = owner.page.getByTestId("progress-section");
    await progress.getByLabel("完成百分比（0–100）").fill("150");
    await progress.getByTestId("progress-submit").click();
    await expect(progress.getByText("百分比须为 0 到 100 之间的整数")).toBeVisible();
    await progress.getByLabel("完成百分比（0–100）").fill("60");
    await progress.getByLabel("进展说明").fill("已安排保洁每日清扫两次");
    await progress.getByTestId("photo-input").setInputFiles({ name: "lawn.jpg", mimeType: "image/jpeg", buffer: photo });
    await progress.getByTestId("progress-submit").click();
    await expect(owner.page.getByTestId("progress-posted")).toBeVisible();
    await expect(owner.page.getByTestId("task-photos").locator("img")).toHaveCount(1);
    // The page fits the phone: nothing wider than the screen.
    expect(await owner.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // Live on the raiser's screen, without a reload.
    await expect(raiser.page.getByTestId("task-progress")).toHaveText("进度 60%");
    await expect(raiser.page.getByTestId("task-status")).toHaveText("处理中");

    await owner.page.getByTestId("task-submit").click();
    await expect(owner.page.getByTestId("task-status")).toHaveText("待验收");

    // ——— The raiser sends it back once ———
    await expect(raiser.page.getByTestId("task-status")).toHaveText("待验收");
    await expectAxeClean(raiser.page, "the raiser's task page with verification");
    const verify = raiser.page.getByTestId("verify-section");
    await verify.getByTestId("verdict-sendBack").check();
    await verify.getByTestId("rating-2").check();
    await verify.getByTestId("verify-comment").fill("草坪边上还有狗粪，提示牌也没贴");
    await verify.getByTestId("verify-submit").click();
    await expect(raiser.page.getByTestId("task-status")).toHaveText("退回");

    await expect(owner.page.getByTestId("task-status")).toHaveText("退回");
    await expect(owner.page.getByTestId("sent-back-reason")).toContainText("草坪边上还有狗粪");
    await progress.getByLabel("完成百分比（0–100）").fill("100");
    await progress.getByLabel("进展说明").fill("已补扫并张贴文明养犬提示牌");
    await progress.getByTestId("photo-input").setInputFiles({ name: "after.jpg", mimeType: "image/jpeg", buffer: photo });
    await progress.getByTestId("progress-submit").click();
    await expect(owner.page.getByTestId("task-photos").locator("img")).toHaveCount(2);
    // The post ends by returning to the page (?posted=progress): hand over only once it is back.
    await expect(owner.page.getByTestId("progress-posted")).toBeVisible();
    await owner.page.getByTestId("task-submit").click();
    await expect(owner.page.getByTestId("task-status")).toHaveText("待验收");

    // ——— …and verifies it the second time ———
    await expect(raiser.page.getByTestId("task-status")).toHaveText("待验收");
    await verify.getByTestId("verdict-confirm").check();
    await verify.getByTestId("rating-5").check();
    await verify.getByTestId("verify-submit").click();
    await expect(raiser.page.getByTestId("task-status")).toHaveText("已办结");
    await expect(raiser.page.getByTestId("verification-records")).toContainText("非常满意");
    await expect(raiser.page.getByTestId("verification-records")).toContainText("草坪边上还有狗粪");

    // A rating once it is closed is refused, precisely, through the API.
    const taskId = taskPath.split("/").pop()!;
    const late = await raiser.page.request.post(`/api/v1/tasks/${taskId}/verifications`, {
      headers: fromPage(raiser.page),
      data: { verdict: "confirm", rating: 1 },
    });
    expect(late.status()).toBe(409);
    expect(((await late.json()) as { key: string }).key).toBe("errors.taskNotAwaitingVerification");

    // ——— The topic's timeline: raised → scheduled → resolved → the task's whole story ———
    await raiser.page.getByTestId("task-topic-link").click();
    // The task page has a timeline too: read the topic's only once it is the page shown.
    await expect(raiser.page).toHaveURL(/\/topics\/[^/]+$/);
    const timeline = raiser.page.getByTestId("timeline");
    await expect(timeline.locator('li[data-event="task-closed"]')).toHaveCount(1);
    const steps = await timeline.locator("li").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-event")));
    const order = ["raised", "scheduled", "resolved", "task-created", "task-progress", "task-submitted", "task-sentBack", "task-closed"];
    const positions = order.map((e) => steps.indexOf(e));
    expect(
      positions.every((p) => p >= 0),
      `timeline: ${steps.join(", ")}`,
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    await expect(timeline).toContainText("清理5号楼前草坪并张贴提示");
  } finally {
    for (const s of [chair, seconder, owner, raiser]) await s.context.close();
  }
});

test("staff assign a task with several co-handlers and milestones from a phone; a milestone after the deadline is refused and nothing typed is lost", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { context, page } = await signedInPage(browser, USERS.staff, PHONE);
  // datetime-local values are Beijing wall-clock time.
  const beijing = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 16);
  try {
    await page.goto("/c/xingfuli/tasks/new");
    await page.getByLabel("任务名称").fill("更换3号楼单元门禁");
    await page.locator('input[name="deadline"]').fill(beijing(10));
    await page.getByLabel("协办单位 1", { exact: true }).selectOption({ label: "幸福里小区业主委员会" });
    await page.getByLabel("协办单位 1 的分工").fill("通知业主");
    await page.getByTestId("add-co-handler").click();
    await page.getByLabel("协办单位 2", { exact: true }).selectOption({ label: "幸福里社区居民委员会" });
    await page.getByLabel("协办单位 2 的分工").fill("协调施工时间");
    await page.getByLabel("节点 1", { exact: true }).fill("门禁到货");
    await page.getByLabel("节点 1 的时间").fill(beijing(3));
    await page.getByTestId("add-milestone").click();
    await page.getByLabel("节点 2", { exact: true }).fill("安装调试");
    await page.getByLabel("节点 2 的时间").fill(beijing(12));
    await page.getByTestId("create-task").click();

    await expect(page.getByRole("alert").filter({ hasText: "节点时间不能晚于截止时间" })).toBeVisible();
    await expect(page.getByTestId("milestone-row")).toHaveCount(2);
    await expect(page.getByLabel("协办单位 2 的分工")).toHaveValue("协调施工时间");
    await page.getByLabel("节点 2 的时间").fill(beijing(8));
    await page.getByTestId("create-task").click();

    await expect(page).toHaveURL(/\/tasks\/[^/]+$/);
    await expect(page.getByText("幸福里小区业主委员会").first()).toBeVisible();
    await expect(page.getByText("幸福里社区居民委员会").first()).toBeVisible();
    await expect(page.getByText("门禁到货")).toBeVisible();
    await expect(page.getByText("安装调试")).toBeVisible();
  } finally {
    await context.close();
  }
});
