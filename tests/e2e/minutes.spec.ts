// Issue 12 end to end: the minutes of a session from live draft to verified public notice.
// The secretary keeps the minutes while the chair runs the vote: the result appears in the
// item's section on the secretary's screen and on a reader's, without touching what she typed.
// Then review with an attendee's comment on a passage, approval, publishing, and a member who
// reads the notice, verifies it and downloads the PDF. The session is scheduled through the API
// so the run does not depend on the other spec files.
import { expect, test, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";
import { expectAxeClean } from "./live-support";
import { PASSWORD, USERS, signedInPage } from "./support";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;
const ITEMS = ["纪要测试：东门停车划线", "纪要测试：楼道杂物清理"];
const MINE = "秘书记录：居民代表希望在东门两侧划线，物业表示同意。";

async function tokenOf(request: APIRequestContext, username: string): Promise<string> {
  const res = await request.post("/api/v1/auth/token", { data: { identifier: username, password: PASSWORD } });
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { token: string }).token;
}

async function live(request: APIRequestContext, token: string, action: string, body: Record<string, unknown>) {
  const res = await request.post(`/api/v1/live/${action}`, { headers: { Authorization: `Bearer ${token}` }, data: body });
  expect(res.ok(), `${action}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as Record<string, unknown>;
}

/** The minutes editor, synced, editable or not. */
async function minutesEditor(page: Page, editable: boolean) {
  const editor = page.getByTestId("minutes-editor");
  await expect(editor).toBeVisible();
  await expect(editor).toHaveAttribute("contenteditable", String(editable));
  await expect(page.getByTestId("editor-status")).toHaveAttribute("data-synced", "true");
  return editor;
}

test.describe.serial("minutes", () => {
  let sessionId = "";
  const itemIds: string[] = [];
  let motionId = "";
  let minutesId = "";
  const screens: BrowserContext[] = [];
  test.afterAll(async () => {
    for (const c of screens) await c.close();
  });

  test("the secretary keeps the minutes live while the chair closes a vote: the result appears in the item's section on both screens", async ({
    browser,
    request,
  }) => {
    const chair = await tokenOf(request, "staff");
    const grid1 = await tokenOf(request, "grid1");
    const auth = { Authorization: `Bearer ${chair}` };
    const me = (await (await request.get("/api/v1/me", { headers: auth })).json()) as { seats: { councilId: string }[] };
    const created = await request.post("/api/v1/sessions", {
      headers: auth,
      data: {
        councilId: me.seats[0]!.councilId,
        title: `纪要测试会议 ${Date.now().toString(36)}`,
        scheduledAt: "2030-02-01T19:00",
        place: "党群服务中心",
        mode: "inPerson",
      },
    });
    expect(created.ok(), await created.text()).toBe(true);
    sessionId = ((await created.json()) as { id: string }).id;
    for (const title of ITEMS) {
      const added = await request.post(`/api/v1/sessions/${sessionId}/agenda`, { headers: auth, data: { title, text: `${title}。`, timeSlotMin: 10 } });
      expect(added.ok(), await added.text()).toBe(true);
      itemIds.push(((await added.json()) as { agendaItemId: string }).agendaItemId);
    }
    // Before the session opens there are no minutes.
    expect((await request.get(`/api/v1/sessions/${sessionId}/minutes`, { headers: auth })).status()).toBe(409);
    await live(request, chair, "session:open", { sessionId });
    for (const username of ["grid1", "wuye", "yeweihui", "resident1"]) {
      const userId = (
        (await (await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${await tokenOf(request, username)}` } })).json()) as { id: string }
      ).id;
      await live(request, chair, "session:checkIn", { sessionId, userId });
    }

    const secretary = await signedInPage(browser, USERS.secretary);
    const reader = await signedInPage(browser, USERS.resident3, PHONE);
    screens.push(secretary.context, reader.context);
    await secretary.page.goto(`/sessions/${sessionId}/minutes`);
    await reader.page.goto(`/sessions/${sessionId}/minutes`);
    const editor = await minutesEditor(secretary.page, true);
    const readerEditor = await minutesEditor(reader.page, false);
    await expect(reader.page.getByText("只有本次会议的记录员可以编写纪要")).toBeVisible();

    const section = (page: Page, i: number) => page.locator(`section.minutes-fact[data-fact="item:${itemIds[i]}"]`);
    // The fact blocks are there: the header, attendance (with who checked in), every item, tasks.
    await expect(editor.locator("section.minutes-fact")).toHaveCount(2 + ITEMS.length + 1);
    await expect(editor.locator('section.minutes-fact[data-fact="attendance"]')).toContainText("张伟");
    await expect(section(secretary.page, 0)).toContainText(ITEMS[0]!);
    await expect(section(secretary.page, 0)).toHaveAttribute("contenteditable", "false");

    await live(request, chair, "session:openItem", { sessionId, itemId: itemIds[0] });
    motionId = (await live(request, chair, "motion:propose", { sessionId, agendaItemId: itemIds[0], text: "同意在东门两侧划禁停线" })).id as string;
    await live(request, grid1, "motion:second", { motionId });
    await live(request, chair, "vote:open", { motionId });
    await live(request, grid1, "vote:cast", { motionId, clientBallotId: "e2e-minutes-ballot-1", seq: 1, choice: "yes" });
    await expect(section(reader.page, 0)).toContainText("表决中");

    // The secretary types in that item's section; the chair closes the vote while she is typing.
    await secretary.page.locator(`[data-testid="minutes-editor"] section[data-fact="item:${itemIds[0]}"] + p`).click();
    const typing = secretary.page.keyboard.type(MINE, { delay: 40 });
    await secretary.page.waitForTimeout(300);
    await live(request, chair, "vote:close", { motionId });
    await typing;

    for (const page of [secretary.page, reader.page]) {
      await expect(section(page, 0)).toContainText("赞成 1");
      await expect(section(page, 0)).toContainText("通过");
      await expect(section(page, 0)).toContainText("决议：同意在东门两侧划禁停线");
      // (Contains, not equals: on the reader's screen the secretary's caret, with her name, sits in this paragraph.)
      await expect(page.locator(`section.minutes-fact[data-fact="item:${itemIds[0]}"] + p`)).toContainText(MINE);
      await expect(page.locator(`section.minutes-fact[data-fact="item:${itemIds[0]}"] + p`)).not.toContainText("通过");
      // The other item's section is untouched.
      await expect(section(page, 1)).toContainText("本议程未提出动议");
    }
    await expect(readerEditor).toContainText(MINE);
    // The secretary cannot type into a fact block.
    await section(secretary.page, 1).click();
    await secretary.page.keyboard.type("XYZ");
    await expect(section(secretary.page, 1)).not.toContainText("XYZ");
    await live(request, chair, "session:adjourn", { sessionId });
  });

  test("review: an attendee comments on a passage, the secretary resolves it, the chair approves and the secretary publishes", async ({ browser, request }) => {
    const secretary = await signedInPage(browser, USERS.secretary);
    const attendee = await signedInPage(browser, USERS.resident1, PHONE);
    const chair = await signedInPage(browser, USERS.staff);
    screens.push(secretary.context, attendee.context, chair.context);

    await secretary.page.goto(`/sessions/${sessionId}/minutes`);
    await minutesEditor(secretary.page, true);
    await secretary.page.getByRole("button", { name: "提交征求意见" }).click();
    await expect(secretary.page.getByTestId("minutes-state")).toHaveAttribute("data-state", "inReview");

    // A resident's draft PDF is refused before publication.
    const residentToken = await tokenOf(request, "resident1");
    const draft = await request.get(`/api/v1/sessions/${sessionId}/minutes/draft.pdf`, { headers: { Authorization: `Bearer ${residentToken}` } });
    expect(draft.status()).toBe(403);

    await attendee.page.goto(`/sessions/${sessionId}/minutes`);
    const editor = await minutesEditor(attendee.page, false);
    const mine = editor.locator(`section.minutes-fact[data-fact="item:${itemIds[0]}"] + p`);
    await expect(mine).toContainText(MINE);
    await mine.click({ clickCount: 3 });
    await attendee.page.getByRole("button", { name: "引用选中的文字" }).click();
    await expect(attendee.page.locator("#comment-quote")).toHaveValue(MINE);
    await attendee.page.locator("#comment-body").fill("请写明划线由物业负责施工。");
    await attendee.page.getByRole("button", { name: "提交意见" }).click();
    await expect(attendee.page.getByTestId("minutes-comment")).toContainText("请写明划线由物业负责施工。");

    // The chair cannot approve with an open comment.
    await chair.page.goto(`/sessions/${sessionId}/minutes`);
    await chair.page.getByRole("button", { name: "审定纪要" }).click();
    await expect(chair.page.getByRole("alert")).toContainText("还有未处理的意见");

    await secretary.page.reload();
    await expect(secretary.page.getByTestId("minutes-comment")).toContainText(MINE);
    // The commented passage is underlined where it is in the text.
    await expect(secretary.page.getByTestId("minutes-editor").locator(".comment-mark")).toHaveText(MINE);
    await secretary.page.locator(`section.minutes-fact[data-fact="item:${itemIds[0]}"] + p`).click();
    await secretary.page.keyboard.press("End");
    await secretary.page.keyboard.type("由物业负责施工。");
    await secretary.page.getByLabel("处理说明（可不填）").fill("已补充");
    await secretary.page.getByRole("button", { name: "标为已处理" }).click();
    await expect(secretary.page.getByTestId("minutes-comment")).toHaveAttribute("data-resolved", "yes");
    await expect(secretary.page.getByTestId("minutes-editor").locator(".comment-mark")).toHaveCount(0);

    await chair.page.reload();
    await chair.page.getByRole("button", { name: "审定纪要" }).click();
    await expect(chair.page.getByTestId("minutes-state")).toHaveAttribute("data-state", "approved");
    // Approved: the secretary's open editor becomes read-only at once.
    await expect(secretary.page.getByTestId("editor-revoked")).toBeVisible();

    await secretary.page.reload();
    await minutesEditor(secretary.page, false);
    await secretary.page.getByLabel("公示天数").fill("7");
    await secretary.page.getByRole("button", { name: "发布公示" }).click();
    await expect(secretary.page.getByTestId("minutes-state")).toHaveAttribute("data-state", "published");
    await expect(secretary.page.getByTestId("minutes-timeline")).toContainText("发布公示（第 1 版）");
    const href = await secretary.page.getByTestId("read-version").first().getAttribute("href");
    minutesId = href!.split("/")[2]!.split("?")[0]!;

    // A comment on a published version is refused.
    const late = await request.post(`/api/v1/sessions/${sessionId}/minutes/comments`, {
      headers: { Authorization: `Bearer ${residentToken}` },
      data: { quote: "x", body: "y" },
    });
    expect(late.status()).toBe(409);
    expect(((await late.json()) as { key: string }).key).toBe("errors.minutesPublishedNoComment");
  });

  test("a member reads the notice, verifies it and downloads the PDF", async ({ browser }) => {
    const member = await signedInPage(browser, USERS.resident3, PHONE);
    screens.push(member.context);
    const page = member.page;
    await page.goto("/");
    await page.getByTestId("notice-board-link").first().click();
    const notice = page.getByTestId("notice").first();
    await expect(notice).toContainText("公示中");
    await expect(notice).toContainText("同意在东门两侧划禁停线（通过）");
    await notice.getByRole("link", { name: "阅读纪要" }).click();
    const content = page.getByTestId("minutes-content");
    await expect(content).toContainText(`${MINE}由物业负责施工。`);
    await expect(content).toContainText("赞成 1");
    await expect(content.locator("section.minutes-fact")).toHaveCount(2 + ITEMS.length + 1);
    const hash = (await page.getByTestId("minutes-hash").textContent())!.trim();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    await expectAxeClean(page, "published minutes at 360 px");

    const pdf = await page.request.get((await page.getByTestId("download-pdf").getAttribute("href"))!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

    await page.getByTestId("verify-link").click();
    await expect(page.getByTestId("verify-result")).toHaveAttribute("data-ok", "true");
    await expect(page.getByTestId("verify-result")).toContainText("全部 1 个版本核验通过");
    await expect(page.getByTestId("verify-given")).toHaveAttribute("data-status", "current");
    await expectAxeClean(page, "verification at 360 px");
    // A forged hash, and garbage, are reported, not crashed on.
    await page.goto(`/minutes/${minutesId}/verify?hash=${"0".repeat(64)}`);
    await expect(page.getByTestId("verify-given")).toHaveAttribute("data-status", "unknown");
    await page.goto(`/minutes/${minutesId}/verify?hash=${encodeURIComponent("<script>alert(1)</script>")}`);
    await expect(page.getByTestId("verify-given")).toHaveAttribute("data-status", "malformed");
  });
});
