import { expect, test, type Page } from "@playwright/test";
import { DEMO_ITEMS, USERS, openDemoSession, signIn } from "./support";

// A small Android phone: 360 CSS pixels wide, touch, no desktop scrollbars.
test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

/** How wide the page is, compared with what the screen shows. */
const scrollWidth = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);

test("the session page fits a 360 px wide phone without sideways scrolling", async ({ page }) => {
  await signIn(page, USERS.resident2);
  await openDemoSession(page);
  await expect(page.getByTestId("agenda-item-link")).toHaveCount(DEMO_ITEMS.length);
  await expect(page.getByTestId("agenda-item-link").last()).toBeVisible();
  expect(await page.evaluate(() => window.innerWidth)).toBe(360);
  expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
});
