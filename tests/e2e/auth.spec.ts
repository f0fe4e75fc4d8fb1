import { expect, test } from "@playwright/test";
import { DEMO_SESSION_TITLE, USERS, signIn, submitSignIn } from "./support";

test.describe("signing in and out", () => {
  test("by username, then sign out", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("link", { name: "登录" }).first()).toBeVisible();
    await expect(page.getByTestId("current-user")).toHaveCount(0);

    await signIn(page, USERS.staff);
    await expect(page.getByRole("heading", { level: 1, name: "我的议事" })).toBeVisible();
    await expect(page.getByRole("link", { name: DEMO_SESSION_TITLE })).toBeVisible();

    const signedInCookies = await page.context().cookies();
    expect(signedInCookies.some((c) => c.name === "yishi_session")).toBe(true);

    await page.getByRole("button", { name: "退出登录" }).click();
    await expect(page.getByTestId("current-user")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "登录" }).first()).toBeVisible();
    await expect(page.getByRole("link", { name: DEMO_SESSION_TITLE })).toHaveCount(0);
    expect((await page.context().cookies()).some((c) => c.name === "yishi_session")).toBe(false);

    // Signing out ends the session on the server too: the old cookie no longer works.
    await page.context().addCookies(signedInCookies.filter((c) => c.name === "yishi_session"));
    await page.goto("/");
    await expect(page.getByTestId("current-user")).toHaveCount(0);
    await expect(page.getByRole("link", { name: DEMO_SESSION_TITLE })).toHaveCount(0);
  });

  test("by phone number", async ({ page }) => {
    await signIn(page, USERS.resident2, USERS.resident2.phone);
    await expect(page.getByRole("link", { name: DEMO_SESSION_TITLE })).toBeVisible();
  });

  test("a wrong password shows the error and keeps the visitor signed out", async ({ page }) => {
    await page.goto("/login");
    await submitSignIn(page, USERS.resident1.username, "not-the-password");
    const alert = page.locator("main").getByRole("alert");
    await expect(alert).toHaveText("手机号/用户名或密码不正确。");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByTestId("current-user")).toHaveCount(0);
    // What was typed as the account stays in the field; the password does not.
    await expect(page.locator('input[name="identifier"]')).toHaveValue(USERS.resident1.username);

    // An unknown account gets the very same answer.
    await submitSignIn(page, "nobody-here", "whatever-it-is");
    await expect(alert).toHaveText("手机号/用户名或密码不正确。");
    await expect(page.getByTestId("current-user")).toHaveCount(0);
  });

  test("a member-only page sends a signed-out visitor to sign in and back", async ({ page }) => {
    await signIn(page, USERS.grid1);
    await page.getByRole("link", { name: DEMO_SESSION_TITLE }).click();
    await expect(page).toHaveURL(/\/sessions\/[^/]+$/);
    const sessionPath = new URL(page.url()).pathname;
    await page.getByRole("button", { name: "退出登录" }).click();
    await expect(page.getByTestId("current-user")).toHaveCount(0);

    await page.goto(sessionPath);
    await expect(page).toHaveURL(new RegExp(`/login\\?redirectTo=${encodeURIComponent(sessionPath)}`));
    await submitSignIn(page, USERS.grid1.username);
    await expect(page).toHaveURL(new RegExp(`${sessionPath}$`));
    await expect(page.getByTestId("current-user")).toHaveText(USERS.grid1.name);
    await expect(page.getByRole("heading", { level: 1, name: DEMO_SESSION_TITLE })).toBeVisible();
  });
});
