// The Content-Security-Policy holds without breaking the pages: Remix hydrates
// (its inline scripts carry the nonce), the Tiptap editor and its Yjs socket work,
// Socket.IO connects, and the browser reports no violation on the way.
import { expect, test, type Page } from "@playwright/test";
import { DEMO_ITEMS, USERS, liveEditor, openAgendaItem, openDemoSession, signedInPage, typeNewParagraph } from "./support";

/** Every CSP violation the page reports, from the DOM event and from the console. */
function watchViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  void page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return seen;
}

test("the pages, the editor and the live connections work under the CSP, with no violation", async ({ browser }) => {
  const { context, page } = await signedInPage(browser, USERS.staff);
  const violations = watchViolations(page);
  try {
    const response = await page.goto("/");
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
    await openDemoSession(page);
    await openAgendaItem(page, DEMO_ITEMS[1]);
    const editor = await liveEditor(page, { editable: true });
    const text = `CSP 下照常编辑 ${Date.now().toString(36)}`;
    await typeNewParagraph(page, editor, text);
    await expect(editor).toContainText(text);
    // A client-side navigation (hydrated links and fetches) and the live session page's socket.
    await page.goBack();
    await expect(page.locator("main")).toBeVisible();
    expect(violations).toEqual([]);
  } finally {
    await context.close();
  }
});

test("another site cannot frame the pages", async ({ page }) => {
  const response = await page.goto("/login");
  expect(response?.headers()["x-frame-options"]).toBe("DENY");
  expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
});
