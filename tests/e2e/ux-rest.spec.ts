// Issue 15 (part): a forgotten password is reset with a one-time link staff hand over; high
// contrast is one tap and axe-clean; the app installs (manifest, icons, service worker) and keeps
// the last topic pages readable offline with a banner; every page's <title> is in its HTML.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { USERS, signedInPage } from "./support";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: "zh-CN" } as const;

async function expectAxeClean(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${what}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** The top bar is one line within the screen (as in ux-pages.spec.ts). */
async function expectTopBarOneLine(page: Page, width: number) {
  const bar = await page.locator("header.topbar").evaluate((header) => {
    const kids = [...header.querySelectorAll<HTMLElement>("a, button")].filter((el) => el.offsetParent !== null);
    return {
      tops: kids.map((el) => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2)),
      heights: kids.map((el) => Math.round(el.getBoundingClientRect().height)),
      right: Math.max(...kids.map((el) => el.getBoundingClientRect().right)),
    };
  });
  expect(new Set(bar.tops).size, JSON.stringify(bar)).toBe(1);
  expect(bar.right).toBeLessThanOrEqual(width);
  for (const h of bar.heights) expect(h).toBeGreaterThanOrEqual(44);
}

/** A new resident who joined by invitation (so no other test depends on their password). */
async function newResident(browser: Browser, staff: Page, name: string, password: string) {
  await staff.goto("/communities/xingfuli/invites");
  await staff.getByRole("button", { name: "生成邀请链接" }).click();
  const url = await staff.getByTestId("invite-url").inputValue();
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('input[name="displayName"]').fill(name);
  await page.locator('input[name="phone"]').fill(`159${String(Date.now()).slice(-8)}`);
  await page.locator('input[name="password"]').fill(password);
  await page.locator("main form button[type=submit]").click();
  await expect(page.getByTestId("current-user")).toHaveText(name);
  return { context, page };
}

test("forgotten password: staff show a one-time link and QR code; the member sets a new password at 360 px, is signed in, and signed out everywhere else", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { context: staffContext, page: staff } = await signedInPage(browser, USERS.staff, PHONE);
  const name = `忘记密码${String(Date.now()).slice(-4)}`;
  const old = await newResident(browser, staff, name, "first-password-41");
  const fresh = await browser.newContext(PHONE);
  try {
    await staff.goto("/c/xingfuli/members");
    const row = staff.getByTestId("member").filter({ hasText: name });
    await row.getByRole("button", { name: `重设 ${name} 的密码` }).click();
    const link = staff.getByTestId("reset-link");
    await expect(link).toBeVisible();
    await expect(link.getByTestId("reset-qr").locator("svg")).toBeVisible();
    await expect(link.getByTestId("reset-qr")).toHaveAttribute("aria-label", "重设链接的二维码");
    const url = await link.getByTestId("reset-url").inputValue();
    await expect(link.getByTestId("reset-url")).toHaveAccessibleName("重设链接");
    expect(url).toMatch(/\/reset\/[A-Za-z0-9_-]{32}$/);
    await expectAxeClean(staff, "members page with a reset link");

    // The member, on a phone that is not signed in.
    const phone = await fresh.newPage();
    await phone.goto(url);
    await expect(phone.getByRole("heading", { level: 1, name: "重设密码" })).toBeVisible();
    await expect(phone).toHaveTitle("重设密码 · 议事");
    await expectAxeClean(phone, "reset page");
    const password = phone.getByLabel("新密码");
    await password.fill("123");
    await phone.getByTestId("reset-submit").click();
    await expect(phone.locator("#field-password-error")).toBeVisible();
    await password.fill("brand-new-password-42");
    await phone.getByTestId("show-password").check();
    await expect(password).toHaveAttribute("type", "text");
    await phone.getByTestId("reset-submit").click();
    await expect(phone.getByTestId("current-user")).toHaveText(name);
    const scroll = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(scroll).toBeLessThanOrEqual(360);

    // The phone that was signed in with the old password is signed out.
    await old.page.goto("/notifications");
    await expect(old.page).toHaveURL(/\/login/);
    // The link works once; a used link says what any bad link says.
    const again = await fresh.newPage();
    await again.goto(url);
    await expect(again.getByTestId("reset-invalid")).toHaveText("这个重设链接无效、已用过或已过期。");
    await again.goto("/reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    await expect(again.getByTestId("reset-invalid")).toHaveText("这个重设链接无效、已用过或已过期。");
  } finally {
    await fresh.close();
    await old.context.close();
    await staffContext.close();
  }
});

test("high contrast: one tap beside large text, remembered, combinable with large text, black on white, axe-clean, top bar on one line", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { context, page } = await signedInPage(browser, USERS.observer, PHONE);
  try {
    await page.goto("/c/xingfuli/topics");
    const toggle = page.getByRole("button", { name: "高对比度" });
    await expect(toggle).toHaveAttribute("aria-pressed", "false");
    await toggle.click();
    await expect(page.locator("html")).toHaveClass(/high-contrast/);
    await expect(toggle).toHaveAttribute("aria-pressed", "true");
    const colours = await page.evaluate(() => ({
      text: getComputedStyle(document.body).color,
      paper: getComputedStyle(document.documentElement).backgroundColor,
      muted: getComputedStyle(document.querySelector(".muted") ?? document.body).color,
    }));
    expect(colours.text).toBe("rgb(0, 0, 0)");
    expect(colours.paper).toBe("rgb(255, 255, 255)");
    expect(colours.muted).toBe("rgb(26, 26, 26)");
    await expectTopBarOneLine(page, 360);
    await expectAxeClean(page, "high contrast 360");
    // AAA: every text node axe checks meets 7:1.
    const aaa = await new AxeBuilder({ page }).withRules(["color-contrast-enhanced"]).analyze();
    expect(aaa.violations.map((v) => v.nodes.map((n) => n.target.join(" ")).join(", "))).toEqual([]);

    // Both modes together, remembered across a reload.
    await page.getByRole("button", { name: "大字模式" }).click();
    await expect(page.locator("html")).toHaveClass(/large-text/);
    await page.reload();
    await expect(page.locator("html")).toHaveClass(/high-contrast/);
    await expect(page.locator("html")).toHaveClass(/large-text/);
    await expectTopBarOneLine(page, 360);
    await expectAxeClean(page, "high contrast + large text 360");
    await page.goto("/c/xingfuli/topics/new");
    await expectAxeClean(page, "high contrast topic form");

    await page.getByRole("button", { name: "高对比度" }).click();
    await expect(page.locator("html")).not.toHaveClass(/high-contrast/);
    await page.getByRole("button", { name: "大字模式" }).click();
    await expect(page.locator("html")).not.toHaveClass(/large-text/);
  } finally {
    await context.close();
  }
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString("ascii")).toBe("PNG");
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test("installable: the manifest and its icons are served and valid, the service worker registers, and a topic read before stays readable offline with a banner", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { context, page } = await signedInPage(browser, USERS.resident1, PHONE);
  try {
    const href = await page.locator('link[rel="manifest"]').getAttribute("href");
    expect(href).toBe("/manifest.webmanifest");
    const res = await page.request.get(href!);
    expect(res.headers()["content-type"]).toContain("application/manifest+json");
    const manifest = (await res.json()) as {
      name: string;
      short_name: string;
      lang: string;
      start_url: string;
      scope: string;
      display: string;
      theme_color: string;
      icons: { src: string; sizes: string; type: string; purpose: string }[];
    };
    expect(manifest).toMatchObject({ short_name: "议事", lang: "zh-CN", start_url: "/", scope: "/", display: "standalone", theme_color: "#b71c1c" });
    expect(manifest.name).toContain("议事");
    const sizes = manifest.icons.map((i) => `${i.sizes} ${i.purpose}`).sort();
    expect(sizes).toEqual(["192x192 any", "512x512 any", "512x512 maskable"]);
    for (const icon of manifest.icons) {
      const r = await page.request.get(icon.src);
      expect(r.status()).toBe(200);
      expect(r.headers()["content-type"]).toBe("image/png");
      const [w, h] = pngSize(await r.body());
      expect(`${w}x${h}`).toBe(icon.sizes);
    }
    expect(await page.locator('meta[name="theme-color"]').getAttribute("content")).toBe("#b71c1c");

    // The service worker registers for the whole site and takes the page over.
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toMatch(/\/$/);
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? "")).toMatch(/\/sw\.js$/);

    // Read a topic while online.
    await page.goto("/c/xingfuli/topics");
    await page.locator("main a[href^='/topics/']").first().click();
    await expect(page).toHaveURL(/\/topics\/[^/]+$/);
    const topicUrl = page.url();
    const title = (await page.locator("main h1").textContent())!.trim();
    await expect
      .poll(() => page.evaluate(async () => (await (await caches.open("yishi-pages-v1")).keys()).map((r) => new URL(r.url).pathname)))
      .toContain(new URL(topicUrl).pathname);

    // Offline: the topic still opens, marked as the offline copy, and the banner says so.
    await context.setOffline(true);
    await page.goto(topicUrl);
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(page.getByTestId("offline-copy")).toContainText("离线副本");
    await expect(page.getByTestId("offline-banner")).toContainText("网络已断开");
    await expect(page.getByTestId("offline-banner")).toContainText("不会丢失");
    await expectAxeClean(page, "offline copy");

    // Nothing but pages, the build's files and icons is kept: no API answers.
    const kept = await page.evaluate(async () => {
      const out: string[] = [];
      for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) out.push(new URL(r.url).pathname);
      return out;
    });
    for (const path of kept) expect(path).toMatch(/^\/(topics\/|sessions\/|assets\/|icons\/)/);

    // Back online the banner goes.
    await context.setOffline(false);
    await page.goto(topicUrl);
    await expect(page.getByTestId("offline-copy")).toHaveCount(0);
    await expect(page.getByTestId("offline-banner")).toBeHidden();

    // Signing out empties the kept pages: the next person on this phone does not see them.
    await page.getByRole("button", { name: "退出登录" }).click();
    await expect(page.getByRole("banner").getByRole("link", { name: "登录", exact: true })).toBeVisible();
    await expect.poll(() => page.evaluate(async () => (await (await caches.open("yishi-pages-v1")).keys()).length)).toBe(0);
  } finally {
    await context.close();
  }
});

test("a topic typed while the connection drops is not lost: the draft comes back when the form is opened again", async ({ browser }) => {
  test.setTimeout(90_000);
  const { context, page } = await signedInPage(browser, USERS.resident1, PHONE);
  try {
    await page.goto("/c/xingfuli/topics/new");
    await page.locator("#field-title").fill("草稿：楼下路灯不亮");
    await page.locator("#field-description").fill("晚上八点以后整条路都是黑的。");
    await context.setOffline(true);
    await expect(page.getByTestId("offline-banner")).toBeVisible();
    await page.locator("main form button[type=submit]").click();
    await context.setOffline(false);
    await page.goto("/c/xingfuli/topics/new");
    await expect(page.getByTestId("draft-restored")).toBeVisible();
    await expect(page.locator("#field-title")).toHaveValue("草稿：楼下路灯不亮");
    await expect(page.locator("#field-description")).toHaveValue("晚上八点以后整条路都是黑的。");
    await page.getByRole("button", { name: "清除草稿" }).click();
    await expect(page.locator("#field-title")).toHaveValue("");
    await page.reload();
    await expect(page.getByTestId("draft-restored")).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test("every page's <title> is in the server-rendered HTML, differs per page and is in the page's language", async ({ browser }) => {
  const { context, page } = await signedInPage(browser, USERS.staff);
  try {
    const titleOf = async (path: string, headers: Record<string, string> = {}) => {
      const html = await (await page.request.get(path, { headers })).text();
      const titles = [...html.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]!);
      expect(titles, path).toHaveLength(1);
      return titles[0]!;
    };
    const paths = [
      "/",
      "/notifications",
      "/c/xingfuli/topics",
      "/c/xingfuli/topics/new",
      "/c/xingfuli/members",
      "/c/xingfuli/settings",
      "/c/xingfuli/council",
      "/tasks",
    ];
    const titles = new Map<string, string>();
    for (const path of paths) titles.set(path, await titleOf(path));
    expect(new Set(titles.values()).size).toBe(paths.length);
    for (const [path, title] of titles) expect(title, path).toMatch(/[\u4e00-\u9fff].* · 议事$/);
    expect(titles.get("/")).toBe("我的议事 · 议事");
    // A topic and a session page are named after what they show.
    await page.goto("/c/xingfuli/topics");
    const topicPath = await page.locator("main a[href^='/topics/']").first().getAttribute("href");
    const topicTitle = (await page.locator("main a[href^='/topics/'] .title").first().textContent())?.trim();
    if (topicTitle) expect(await titleOf(topicPath!)).toBe(`${topicTitle} · 议事`);
    // The live page and the projector carry the session's name from the server on.
    await page.goto("/");
    const sessionId = (await page.locator("main a[href^='/sessions/']").first().getAttribute("href"))!.split("/")[2]!;
    const sessionTitle = await titleOf(`/sessions/${sessionId}`);
    expect(sessionTitle).toMatch(/ · 议事$/);
    expect(await titleOf(`/sessions/${sessionId}/live`)).toBe(sessionTitle);
    expect(await titleOf(`/sessions/${sessionId}/screen`)).toBe(sessionTitle);
  } finally {
    await context.close();
  }
  // Signed out, in English.
  const anon = await browser.newContext({ locale: "en" });
  try {
    const page = await anon.newPage();
    await page.goto("/login");
    expect(await (await anon.request.get("/login")).text()).toContain("<title>登录 · 议事</title>");
    await page.getByTestId("language-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page).toHaveTitle("Sign in · Yishi");
    expect(await (await anon.request.get("/login")).text()).toContain("<title>Sign in · Yishi</title>");
  } finally {
    await anon.close();
  }
});

test("found in issue 15: back links are 44 px touch targets and the settings checkboxes are at least 28 px", async ({ browser }) => {
  test.setTimeout(90_000);
  const { context, page } = await signedInPage(browser, USERS.staff, PHONE);
  try {
    const backLinks: [string, number][] = [];
    await page.goto("/c/xingfuli/topics");
    const topic = (await page.locator("main a[href^='/topics/']").first().getAttribute("href"))!;
    for (const path of ["/c/xingfuli/topics/new", topic]) {
      await page.goto(path);
      const links = page.locator("main a", { hasText: /^←/ });
      expect(await links.count(), path).toBeGreaterThan(0);
      for (const h of await links.evaluateAll((as) => as.map((a) => a.getBoundingClientRect().height))) backLinks.push([path, Math.round(h)]);
    }
    for (const [path, h] of backLinks) expect(h, path).toBeGreaterThanOrEqual(44);
    await page.goto("/c/xingfuli/settings");
    const boxes = await page.locator("main input[type=checkbox]").evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().height)));
    expect(boxes.length).toBeGreaterThan(0);
    for (const h of boxes) expect(h).toBeGreaterThanOrEqual(28);
  } finally {
    await context.close();
  }
});
