// Issue 15 across the pages: the language follows the person (error pages too) and switching it
// keeps what was typed; the English top bar fits a 360 px phone on one line with 44 px targets;
// every page has its own title and a skip link; names and labels are in the page's language.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_ITEMS, USERS, openAgendaItem, signedInPage } from "./support";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;
const DESKTOP = { viewport: { width: 1280, height: 800 } } as const;
const languageButton = (page: Page) => page.getByTestId("language-switch");

async function toEnglish(page: Page) {
  await languageButton(page).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
}

async function expectAxeClean(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${what}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** The top bar is one line that fits the screen, and each of its controls is at least 44 px tall. */
async function expectTopBarFits(page: Page, width: number) {
  const bar = await page.locator("header.topbar").evaluate((header) => {
    const kids = [...header.querySelectorAll<HTMLElement>("a, button")].filter((el) => el.offsetParent !== null);
    return {
      tops: kids.map((el) => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2)),
      heights: kids.map((el) => [el.textContent?.trim() || el.getAttribute("aria-label"), Math.round(el.getBoundingClientRect().height)] as const),
      right: Math.max(...kids.map((el) => el.getBoundingClientRect().right)),
      scrollWidth: document.documentElement.scrollWidth,
    };
  });
  expect(new Set(bar.tops).size, JSON.stringify(bar)).toBe(1);
  expect(bar.right).toBeLessThanOrEqual(width);
  expect(bar.scrollWidth).toBeLessThanOrEqual(width);
  for (const [name, h] of bar.heights) expect(h, String(name)).toBeGreaterThanOrEqual(44);
}

for (const size of [PHONE, DESKTOP]) {
  const width = size.viewport.width;
  test(`${width} px: the top bar stays on one line in both languages; switching keeps what was typed`, async ({ browser }) => {
    // resident3 changes no language in other tests.
    const { context, page } = await signedInPage(browser, USERS.resident3, size);
    try {
      await page.goto("/c/xingfuli/topics/new");
      await expectTopBarFits(page, width);
      const title = page.locator("#field-title");
      const body = page.locator("#field-description");
      await title.fill("楼道灯坏了三个月");
      await body.fill("5号楼2单元的楼道灯一直不亮，老人晚上上下楼很危险。");
      await toEnglish(page);
      await expect(page.locator("main h1")).not.toHaveText(/[\u4e00-\u9fff]/);
      // Nothing typed is lost.
      await expect(title).toHaveValue("楼道灯坏了三个月");
      await expect(body).toHaveValue("5号楼2单元的楼道灯一直不亮，老人晚上上下楼很危险。");
      await expectTopBarFits(page, width);
      await page.goto("/");
      await expectTopBarFits(page, width);
      await expect(page).toHaveTitle("My councils · Yishi");

      // Error pages speak the chosen language: an unknown address (404) and a page not allowed (403).
      const missing = await page.goto("/no-such-page");
      expect(missing?.status()).toBe(404);
      await expect(page.locator("html")).toHaveAttribute("lang", "en");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("404 · That page or item does not exist.");
      await expect(page.getByRole("link", { name: /home/i })).toBeVisible();
      const forbidden = await page.goto("/c/xingfuli/settings");
      expect(forbidden?.status()).toBe(403);
      await expect(page.getByRole("heading", { level: 1 })).toContainText("403 · ");
      await expect(page.getByRole("heading", { level: 1 })).not.toHaveText(/[\u4e00-\u9fff]/);
      await expectAxeClean(page, `403 in English at ${width}`);

      await page.goto("/");
      await languageButton(page).click();
      await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
      await expect(page).toHaveTitle("我的议事 · 议事");
      await expectTopBarFits(page, width);
      await page.goto("/no-such-page");
      await expect(page.getByRole("heading", { level: 1 })).toContainText("404 · ");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(/[\u4e00-\u9fff]/);
    } finally {
      await context.close();
    }
  });
}

test("a skip link comes first; titles differ per page; the editor and the invite link are named in the page's language; settings show names, not codes", async ({
  browser,
}) => {
  const { context, page } = await signedInPage(browser, USERS.staff, PHONE);
  try {
    await page.goto("/c/xingfuli/topics");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "跳到正文" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press("Enter");
    await expect(page.locator("main")).toBeFocused();

    const titles = new Set<string>();
    for (const path of ["/", "/c/xingfuli/topics", "/notifications", "/c/xingfuli/members", "/c/xingfuli/settings"]) {
      await page.goto(path);
      const h1 = (await page.locator("main h1").first().textContent())!.trim();
      await expect(page).toHaveTitle(`${h1} · 议事`);
      titles.add(await page.title());
    }
    expect(titles.size).toBe(5);

    // Settings name each category in the page's language; no codes such as "(parking)".
    await expect(page.locator("main")).not.toContainText("(parking)");
    await expect(page.locator("main .title", { hasText: "停车" })).toHaveCount(1);

    await page.goto("/communities/xingfuli/invites");
    await page.locator("main form button[type=submit]").last().click();
    await expect(page.getByLabel("邀请链接（复制后发给对方）")).toHaveValue(/\/invite\//);

    await openAgendaItem(page, DEMO_ITEMS[0]);
    await expect(page.getByRole("textbox", { name: "议程项正文" })).toBeVisible();
  } finally {
    await context.close();
  }
});

test("sign-in has a show-password box; a resident's building is filled in when raising a topic", async ({ browser }) => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  try {
    await page.goto("/login");
    const password = page.locator('main input[name="password"]');
    await password.fill("yishi2026");
    await expect(password).toHaveAttribute("type", "password");
    await page.getByLabel("显示密码").check();
    await expect(password).toHaveAttribute("type", "text");
    await expect(password).toHaveValue("yishi2026");
    await expectAxeClean(page, "login 360");
    await page.getByLabel("显示密码").uncheck();
    await expect(password).toHaveAttribute("type", "password");
  } finally {
    await context.close();
  }
  // 刘建国 lives in building 3: raising a topic starts from there.
  const { context: residentContext, page: resident } = await signedInPage(browser, USERS.resident1, PHONE);
  try {
    await resident.goto("/c/xingfuli/topics/new");
    await expect(resident.locator("#field-buildingId option:checked")).toHaveText(/3号楼/);
    await expectAxeClean(resident, "raise a topic 360");
  } finally {
    await residentContext.close();
  }
});

test("large text: one tap enlarges every page, is remembered, keeps the top bar on one line at 360 px and stays axe-clean", async ({ browser }) => {
  const { context, page } = await signedInPage(browser, USERS.observer, PHONE);
  try {
    await page.goto("/c/xingfuli/topics");
    const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector("main p, main li") ?? document.body).fontSize));
    const before = await size();
    const toggle = page.getByRole("button", { name: "大字模式" });
    await expect(toggle).toHaveAttribute("aria-pressed", "false");
    await toggle.click();
    await expect(page.locator("html")).toHaveClass(/large-text/);
    await expect(toggle).toHaveAttribute("aria-pressed", "true");
    expect(await size()).toBeGreaterThan(before * 1.15);
    await expectTopBarFits(page, 360);
    await expectAxeClean(page, "large text 360");
    await page.reload();
    await expect(page.locator("html")).toHaveClass(/large-text/);
    await toEnglish(page);
    await expectTopBarFits(page, 360);
    await page.getByRole("button", { name: "Large text" }).click();
    await expect(page.locator("html")).not.toHaveClass(/large-text/);
    await languageButton(page).click();
  } finally {
    await context.close();
  }
});
