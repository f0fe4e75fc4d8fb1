// Issue 15: axe on the live meeting in each of its states — before opening, check-in (the QR code
// up, self check-in offered), voting (the phone's voting layer), result, adjourned (the chair's
// undo) — and on the projector view, at 360 and 1280 px, in both languages: 0 violations, and the
// test fails on any. (tests/e2e/ux-axe.spec.ts covers the other pages.)
import { expect, test, type Page } from "@playwright/test";
import { USERS, signedInPage } from "./support";
import { DESKTOP, PHONE, act, expectAxeClean, goLive, idOf, scheduleSession, setLanguage } from "./live-support";

const NARROW = { width: 360, height: 740 };
const WIDE = { width: 1280, height: 800 };

/** axe at the page's own width, then at the other one (360 ↔ 1280), then back. */
async function atBothWidths(page: Page, what: string) {
  const own = page.viewportSize()!;
  const other = own.width <= 400 ? WIDE : NARROW;
  await expectAxeClean(page, `${what} ${own.width}`);
  await page.setViewportSize(other);
  await expectAxeClean(page, `${what} ${other.width}`);
  await page.setViewportSize(own);
}

// About thirty axe runs per language on a shared machine: more than the default minute.
test.describe.configure({ timeout: 300_000 });

for (const locale of ["zh-CN", "en"] as const) {
  test(`live meeting, every state, phone layer and projector are axe-clean (${locale})`, async ({ browser }) => {
    const chair = await signedInPage(browser, USERS.staff, DESKTOP);
    const member = await signedInPage(browser, USERS.resident1, PHONE);
    const screen = await signedInPage(browser, USERS.staff, { viewport: { width: 1280, height: 720 } });
    try {
      await setLanguage(chair.page, locale);
      await setLanguage(member.page, locale);
      const { id: sessionId, itemId } = await scheduleSession(chair.page, `axe ${locale} ${Date.now().toString(36)}`, "楼道堆物清理");
      await goLive(chair.page, sessionId);
      await goLive(member.page, sessionId);
      await expect(chair.page.locator("html")).toHaveAttribute("lang", locale);

      // Before opening.
      await atBothWidths(chair.page, "chair before opening");
      await atBothWidths(member.page, "member before opening");
      await screen.page.goto(`/sessions/${sessionId}/screen`);
      await expect(screen.page.getByTestId("screen-qr")).toBeVisible();
      await atBothWidths(screen.page, "projector before opening");

      // Check-in: the chair shows the code and lets members check in from afar.
      await act(chair.page, "session:open", { sessionId });
      await act(chair.page, "session:selfCheckIn", { sessionId, allowed: true });
      await chair.page.getByTestId("toggle-qr").click();
      await expect(chair.page.locator("figure.qr svg")).toBeVisible();
      await expect(member.page.getByTestId("check-in-self")).toBeVisible();
      await atBothWidths(chair.page, "chair check-in");
      await atBothWidths(member.page, "member check-in");

      // Voting: the member's phone shows the voting layer.
      for (const who of [USERS.staff, USERS.grid1, USERS.resident1, USERS.yeweihui])
        await act(chair.page, "session:checkIn", { sessionId, userId: await idOf(chair.page, who.name) });
      await act(chair.page, "session:openItem", { sessionId, itemId });
      const { id: motionId } = (await act(chair.page, "motion:propose", { sessionId, agendaItemId: itemId, text: "同意清理楼道堆物。" })) as { id: string };
      await act(member.page, "motion:second", { motionId });
      await act(chair.page, "vote:open", { motionId });
      await expect(member.page.getByTestId("vote-layer")).toBeVisible();
      await expectAxeClean(member.page, "phone voting layer 360");
      await member.page.getByTestId("vote-layer").locator("[data-choice=yes]").click();
      await expect(member.page.getByTestId("vote-layer").getByTestId("ballot-state")).toHaveAttribute("data-state", "recorded");
      await expectAxeClean(member.page, "phone voting layer, chosen, 360");
      await atBothWidths(member.page, "member voting");
      await atBothWidths(chair.page, "chair voting");
      await expect(screen.page.getByTestId("screen-tally")).toHaveAttribute("data-cast", "1");
      await atBothWidths(screen.page, "projector voting");

      // Result.
      await act(chair.page, "vote:close", { motionId });
      await expect(member.page.getByTestId("result")).toBeVisible();
      await expect(screen.page.getByTestId("screen-result")).toBeVisible();
      await atBothWidths(member.page, "member result");
      await atBothWidths(chair.page, "chair result");
      await atBothWidths(screen.page, "projector result");

      // Adjourned: the chair is offered the undo.
      await act(chair.page, "session:adjourn", { sessionId });
      await expect(chair.page.getByTestId("resume")).toBeVisible();
      await expect(member.page.getByTestId("live-status")).toHaveText(locale === "en" ? "Adjourned" : "已休会");
      await atBothWidths(chair.page, "chair adjourned");
      await atBothWidths(member.page, "member adjourned");
      await atBothWidths(screen.page, "projector adjourned");
    } finally {
      await setLanguage(chair.page, "zh-CN").catch(() => {});
      await setLanguage(member.page, "zh-CN").catch(() => {});
      await chair.context.close();
      await member.context.close();
      await screen.context.close();
    }
  });
}
