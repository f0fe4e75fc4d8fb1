import { expect, test, type Page } from "@playwright/test";
import { USERS, signIn, signedInPage } from "./support";

/** The top-bar button that switches to the other language (its accessible name is "语言" / "Language"). */
const languageButton = (page: Page) => page.locator("header").getByRole("button", { name: /^(语言|Language)$/ });

async function expectChinese(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1, name: "我的议事" })).toBeVisible();
  await expect(languageButton(page)).toHaveText("English");
}

async function expectEnglish(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1, name: "My councils" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(languageButton(page)).toHaveText("中文");
}

test("switching to English and back is remembered across reloads and on the account", async ({ browser }) => {
  // secretary is used by no other test, so the language stored on the account is ours to change.
  const { context, page } = await signedInPage(browser, USERS.secretary);
  try {
    await expectChinese(page);

    await languageButton(page).click();
    await expectEnglish(page);
    await page.reload();
    await expectEnglish(page);

    // Kept on the account too: signing in from another browser opens in English.
    const elsewhere = await browser.newContext();
    const other = await elsewhere.newPage();
    await signIn(other, USERS.secretary);
    await expectEnglish(other);
    await elsewhere.close();

    await languageButton(page).click();
    await expectChinese(page);
    await page.reload();
    await expectChinese(page);
  } finally {
    await context.close();
  }
});

test("a signed-out visitor can switch the sign-in page to English and back", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
  await languageButton(page).click();
  // The switch returns to the page it was made on.
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  await expect(page.getByLabel("Phone number or username")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();

  await languageButton(page).click();
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
});
