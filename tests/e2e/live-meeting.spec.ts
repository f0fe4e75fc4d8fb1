// Issue 15, the live meeting on phones and on the projector: a vote opening puts the motion and
// three full-width buttons on a member's phone at once (for themselves and the member whose proxy
// they hold), reads the choice back and lets it change until the close; the projector shows the
// agenda, the speaker, the tally (only the counts the rules allow) and the result; the chair can
// take back an adjournment and everyone's screen follows; a topic's text can be spoken.
import { expect, test, type Page } from "@playwright/test";
import { USERS, signedInPage } from "./support";
import { DESKTOP, PHONE, act, expectAxeClean, expectNoScrollbars, goLive, idOf, scheduleSession, setLanguage } from "./live-support";

const PROJECTOR = { viewport: { width: 1280, height: 720 } } as const;

/** No part of the projector is cut off: each column fits without scrolling inside. */
async function expectScreenFits(page: Page, what: string) {
  await expectNoScrollbars(page, what);
  for (const part of [".projector-agenda", ".projector-main"]) {
    const fits = await page.locator(part).evaluate((el) => el.scrollHeight <= el.clientHeight + 1);
    expect(fits, `${what}: ${part} fits`).toBe(true);
  }
}

test("phone voting layer and projector: the vote opens on the phone, the choice is read back and changes; the screen shows the tally, hides what the rules hide, and the result", async ({
  browser,
}) => {
  const chair = await signedInPage(browser, USERS.staff, DESKTOP);
  const member = await signedInPage(browser, USERS.resident2, PHONE); // 孙秀兰, building head: holds 刘建国's proxy
  const screen = await signedInPage(browser, USERS.staff, PROJECTOR);
  const ITEM = "5号楼雨水管道";
  const MOTION = "同意由物业在两周内疏通5号楼雨水管道。";
  try {
    const { id: sessionId, itemId } = await scheduleSession(chair.page, `投影与表决 ${Date.now().toString(36)}`, ITEM);
    await goLive(chair.page, sessionId);
    await expect(chair.page.getByTestId("screen-link")).toHaveAttribute("href", `/sessions/${sessionId}/screen`);

    // Before opening: the screen says so and shows the check-in code (check-in is open).
    await screen.page.goto(`/sessions/${sessionId}/screen`);
    await expect(screen.page.getByTestId("screen-status")).toHaveText("待召开");
    await expect(screen.page.getByTestId("screen-qr").locator("svg")).toBeVisible();
    await expect(screen.page.locator(".topbar")).toBeHidden();
    await expect(screen.page.locator("button:visible, input:visible, select:visible, textarea:visible, a:visible")).toHaveCount(0);
    await expectScreenFits(screen.page, "screen before opening 1280×720");

    await act(chair.page, "session:open", { sessionId });
    const ids = {
      staff: await idOf(chair.page, USERS.staff.name),
      grid1: await idOf(chair.page, USERS.grid1.name),
      resident1: await idOf(chair.page, USERS.resident1.name),
      resident2: await idOf(chair.page, USERS.resident2.name),
      yeweihui: await idOf(chair.page, USERS.yeweihui.name),
    };
    for (const who of ["staff", "grid1", "resident2", "yeweihui"] as const) await act(chair.page, "session:checkIn", { sessionId, userId: ids[who] });
    await act(chair.page, "session:proxy", { sessionId, grantorId: ids.resident1, proxyId: ids.resident2 });
    await act(chair.page, "session:openItem", { sessionId, itemId });
    await act(member.page, "hand:raise", { sessionId });
    await expect(screen.page.getByTestId("screen-status")).toHaveText("进行中");
    await expect(screen.page.locator("[data-testid=screen-agenda] li[aria-current]")).toContainText(ITEM);
    await expect(screen.page.getByTestId("screen-current")).toContainText("剩余");
    await expect(screen.page.getByTestId("screen-queue")).toContainText(USERS.resident2.name);
    await act(chair.page, "floor:give", { sessionId, userId: ids.resident2 });
    await expect(screen.page.getByTestId("screen-speaker")).toContainText(USERS.resident2.name);
    await expect(screen.page.getByTestId("screen-queue")).toContainText("无人排队");
    // Readable from the back of the room: the item's title is over 40 px high on a 720-line screen.
    const titleSize = await screen.page.locator(".projector-item-title").evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(titleSize).toBeGreaterThanOrEqual(40);
    await expectScreenFits(screen.page, "screen open 1280×720");
    await act(chair.page, "floor:take", { sessionId });

    const { id: motionId } = (await act(chair.page, "motion:propose", {
      sessionId,
      agendaItemId: itemId,
      text: MOTION,
      ballot: "open",
      passRule: "majorityCast",
    })) as { id: string };
    await act(member.page, "motion:second", { motionId });

    // The member's phone is at the top of the live page when the chair calls the vote.
    await goLive(member.page, sessionId);
    await member.page.evaluate(() => window.scrollTo(0, 0));
    await chair.page.getByTestId("open-vote").click();
    const layer = member.page.getByRole("dialog", { name: "请表决" });
    await expect(layer).toBeVisible();
    await expect(layer.getByTestId("vote-layer-motion")).toHaveText(MOTION);
    await expect(layer.getByRole("heading", { name: "请表决" })).toBeFocused();
    const [mine, proxy] = [layer.getByTestId("vote-buttons").nth(0), layer.getByTestId("vote-buttons").nth(1)];
    await expect(layer.getByTestId("vote-buttons")).toHaveCount(2);
    await expect(layer).toContainText(`代 ${USERS.resident1.name} 投票`);
    await expect(mine.locator("button")).toHaveText(["赞成", "反对", "弃权"]);
    // Three full-width buttons, all on the screen at once.
    for (const choice of ["yes", "no", "abstain"]) {
      const button = mine.locator(`[data-choice=${choice}]`);
      await expect(button).toBeInViewport({ ratio: 1 });
      const box = (await button.boundingBox())!;
      expect(box.width).toBeGreaterThanOrEqual(300);
      expect(box.height).toBeGreaterThanOrEqual(64);
    }
    // The screen shows the vote and its tally at 0.
    await expect(screen.page.getByTestId("screen-tally")).toHaveAttribute("data-cast", "0");
    await expect(screen.page.getByTestId("screen-vote")).toContainText(MOTION);

    // Chosen, read back, changed; and a vote for the proxy's grantor.
    await mine.locator("[data-choice=yes]").click();
    await expect(mine.getByTestId("ballot-state")).toHaveText(/^您已选择：赞成/);
    await expect(mine.getByTestId("ballot-state")).toHaveAttribute("data-state", "recorded");
    await expect(mine.getByTestId("ballot-state")).toHaveAttribute("aria-live", "polite");
    await mine.locator("[data-choice=no]").click();
    await expect(mine.getByTestId("ballot-state")).toHaveText(/^您已选择：反对/);
    await expect(mine.getByTestId("ballot-state")).toHaveAttribute("data-state", "recorded");
    await proxy.locator("[data-choice=abstain]").click();
    await expect(proxy.getByTestId("ballot-state")).toHaveAttribute("data-state", "recorded");
    await expect(screen.page.getByTestId("screen-tally")).toHaveAttribute("data-cast", "2");
    await expect(screen.page.getByTestId("screen-count-no")).toHaveText("1");
    await expect(screen.page.getByTestId("screen-count-abstain")).toHaveText("1");
    await expect(screen.page.getByTestId("screen-count-yes")).toHaveText("0");
    await expectAxeClean(member.page, "phone voting layer 360");
    await expectAxeClean(screen.page, "screen voting 1280×720");
    await expectScreenFits(screen.page, "screen voting 1280×720");

    // Escape goes back to the page without voting; the buttons are in the page; the layer comes back on demand; 返回 too.
    await member.page.keyboard.press("Escape");
    await expect(layer).toHaveCount(0);
    const motion = member.page.getByTestId("motion");
    await expect(motion.getByTestId("vote-buttons")).toHaveCount(2);
    await member.page.getByTestId("vote-layer-reopen").click();
    await expect(layer).toBeVisible();
    await layer.getByRole("button", { name: "返回" }).click();
    await expect(layer).toHaveCount(0);
    await expect(screen.page.getByTestId("screen-tally")).toHaveAttribute("data-cast", "2");
    await member.page.getByTestId("vote-layer-reopen").click();
    await expect(layer).toBeVisible();

    // The chair closes the vote: the layer goes by itself, the phone and the screen show the result.
    await chair.page.getByTestId("close-vote").click();
    await expect(layer).toHaveCount(0);
    await expect(motion.getByTestId("result")).toBeVisible();
    const result = screen.page.getByTestId("screen-result");
    await expect(result).toHaveAttribute("data-passed", "false");
    await expect(result).toContainText("未通过");
    await expect(result.getByTestId("screen-result-no")).toHaveText("1");
    await expect(result.getByTestId("screen-result-abstain")).toHaveText("1");
    await expect(screen.page.getByTestId("screen-tally")).toHaveCount(0);
    await expectAxeClean(screen.page, "screen result 1280×720");

    // A motion whose counts are hidden until the close: the screen shows turnout only, then the result.
    const { id: hiddenId } = (await act(chair.page, "motion:propose", {
      sessionId,
      agendaItemId: itemId,
      text: "同意公示疏通费用。",
      ballot: "secret",
      passRule: "majorityCast",
      hideResults: true,
    })) as { id: string };
    await act(member.page, "motion:second", { motionId: hiddenId });
    await act(chair.page, "vote:open", { motionId: hiddenId });
    await expect(layer).toBeVisible();
    await layer.getByTestId("vote-buttons").nth(0).locator("[data-choice=yes]").click();
    await expect(layer.getByTestId("vote-buttons").nth(0).getByTestId("ballot-state")).toHaveAttribute("data-state", "recorded");
    await expect(screen.page.getByTestId("screen-tally")).toHaveAttribute("data-cast", "1");
    await expect(screen.page.getByTestId("screen-hidden")).toHaveText("票数在表决结束后公布");
    await expect(screen.page.locator("[data-testid^=screen-count-]")).toHaveCount(0);
    await act(chair.page, "vote:close", { motionId: hiddenId });
    await expect(screen.page.getByTestId("screen-result")).toContainText("同意公示疏通费用。");
    await expect(screen.page.getByTestId("screen-result-yes")).toHaveText("1");

    // The big room screen: nothing to scroll at 1920×1080 either.
    await screen.page.setViewportSize({ width: 1920, height: 1080 });
    await expectScreenFits(screen.page, "screen result 1920×1080");
  } finally {
    await chair.context.close();
    await member.context.close();
    await screen.context.close();
  }
});

test("the chair takes back an adjournment: the member's live page and the item's editor follow", async ({ browser }) => {
  const chair = await signedInPage(browser, USERS.staff, DESKTOP);
  const member = await signedInPage(browser, USERS.resident1, PHONE);
  try {
    const { id: sessionId, itemId } = await scheduleSession(chair.page, `撤销休会 ${Date.now().toString(36)}`, "楼道堆物");
    await goLive(chair.page, sessionId);
    await act(chair.page, "session:open", { sessionId });
    await act(chair.page, "session:checkIn", { sessionId, userId: await idOf(chair.page, USERS.resident1.name) });
    await act(chair.page, "session:openItem", { sessionId, itemId });
    await goLive(member.page, sessionId);
    const editor = await member.context.newPage();
    await editor.goto(`/sessions/${sessionId}/items/${itemId}`);
    await expect(editor.locator(".ProseMirror[contenteditable=true]")).toBeVisible();

    // Adjourning asks first; then the undo is offered to the chair, and only to the chair.
    await chair.page.getByTestId("adjourn").click();
    await chair.page.getByTestId("adjourn-confirmed").click();
    await expect(member.page.getByTestId("live-status")).toHaveText("已休会");
    await expect(editor.locator(".ProseMirror[contenteditable=false]")).toBeVisible();
    await expect(chair.page.getByTestId("resume")).toContainText("10 分钟内");
    await expect(member.page.getByTestId("resume-session")).toHaveCount(0);
    // The item page, opened while adjourned, says why it is read-only.
    await editor.reload();
    await expect(editor.locator(".notice").first()).toHaveText("会议已休会，议程文字已成为记录，只能查看。");

    await chair.page.getByTestId("resume-session").click();
    await expect(chair.page.getByTestId("live-status")).toHaveText("进行中");
    await expect(member.page.getByTestId("live-status")).toHaveText("进行中");
    await expect(member.page.getByTestId("live-announcer")).toContainText("主持人已撤销休会，会议恢复进行。");
    await expect(member.page.getByTestId("hand")).toBeVisible();
    await expect(chair.page.getByTestId("resume")).toHaveCount(0);
    await expect(chair.page.getByTestId("adjourn")).toBeVisible();
    // The editor that was read-only reloads by itself and may write again.
    await expect(editor.locator(".ProseMirror[contenteditable=true]")).toBeVisible();
    await expect(editor.getByText("会议已休会，议程文字已成为记录，只能查看。")).toHaveCount(0);
    await editor.locator(".ProseMirror").click();
    await editor.keyboard.type("恢复后补充。");
    await expect(editor.locator(".ProseMirror")).toContainText("恢复后补充。");
  } finally {
    await chair.context.close();
    await member.context.close();
  }
});

test("voice input appends recognised speech to a topic's text; without speech recognition no button is shown", async ({ browser }) => {
  const withSpeech = await browser.newContext(PHONE);
  await withSpeech.addInitScript(() => {
    class FakeRecognition {
      lang = "";
      continuous = false;
      interimResults = false;
      onresult: ((e: unknown) => void) | null = null;
      onerror: ((e: unknown) => void) | null = null;
      onend: (() => void) | null = null;
      start() {
        (window as unknown as { __speechLang: string }).__speechLang = this.lang;
        setTimeout(() => {
          this.onresult?.({ resultIndex: 0, results: [{ isFinal: true, length: 1, 0: { transcript: "三号楼门口的路灯坏了" } }] });
          this.onend?.();
        }, 50);
      }
      stop() {
        this.onend?.();
      }
      abort() {}
    }
    (window as unknown as { SpeechRecognition: unknown }).SpeechRecognition = FakeRecognition;
  });
  const without = await browser.newContext(PHONE);
  await without.addInitScript(() => {
    delete (window as unknown as { SpeechRecognition?: unknown }).SpeechRecognition;
    delete (window as unknown as { webkitSpeechRecognition?: unknown }).webkitSpeechRecognition;
  });
  try {
    const { signIn } = await import("./support");
    const page = await withSpeech.newPage();
    await signIn(page, USERS.resident1);
    await page.goto("/c/xingfuli/topics/new");
    const text = page.locator("#field-description");
    await text.fill("已有文字。");
    await page.getByRole("button", { name: "语音输入" }).click();
    await expect(text).toHaveValue("已有文字。三号楼门口的路灯坏了");
    expect(await page.evaluate(() => (window as unknown as { __speechLang: string }).__speechLang)).toBe("zh-CN");
    await expect(page.getByRole("button", { name: "语音输入" })).toHaveAttribute("aria-pressed", "false");
    await expectAxeClean(page, "topic form with voice input 360");

    // In the English interface it listens for English, and words are joined with a space.
    await setLanguage(page, "en");
    try {
      await page.reload();
      await text.fill("The lamp is broken.");
      await page.getByRole("button", { name: "Voice input" }).click();
      await expect(text).toHaveValue("The lamp is broken. 三号楼门口的路灯坏了");
      expect(await page.evaluate(() => (window as unknown as { __speechLang: string }).__speechLang)).toBe("en-US");
    } finally {
      await setLanguage(page, "zh-CN");
    }

    const plain = await without.newPage();
    await signIn(plain, USERS.resident1);
    await plain.goto("/c/xingfuli/topics/new");
    await expect(plain.locator("#field-description")).toBeVisible();
    await expect(plain.getByTestId("voice-input")).toHaveCount(0);
  } finally {
    await withSpeech.close();
    await without.close();
  }
});
