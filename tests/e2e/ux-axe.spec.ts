// Issue 15: axe-core finds nothing on the pages each role sees, at 360 px and 1280 px, in both
// languages. (The live page in each of its states and the editor with presence chips are in
// ux-live.spec.ts and below; error pages in ux-pages.spec.ts.)
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_ITEMS, DEMO_SESSION_TITLE, USERS, openAgendaItem, signedInPage, type DemoUser } from "./support";

const SIZES = [
  { name: "360", viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
  { name: "1280", viewport: { width: 1280, height: 800 } },
] as const;

/** `editor: false`: someone who sees no agenda item (the street office works at the district level). */
const PAGES: Record<string, { user: DemoUser; paths: string[]; editor?: boolean }> = {
  staff: {
    user: USERS.staff,
    paths: [
      "/",
      "/notifications",
      "/c/xingfuli/topics",
      "/c/xingfuli/topics/new",
      "/c/xingfuli/triage",
      "/c/xingfuli/members",
      "/c/xingfuli/council",
      "/c/xingfuli/settings",
      "/c/xingfuli/audit",
      "/c/xingfuli/sessions/new",
      "/communities/xingfuli/invites",
    ],
  },
  // Split from staff's first list so each test stays within its time on a loaded machine.
  staffMore: {
    user: USERS.staff,
    paths: [
      "{topic}",
      "{session}",
      "{session}/agenda",
      "{session}/minutes",
      "/tasks",
      "/c/xingfuli/tasks",
      "/c/xingfuli/tasks/new",
      "/c/xingfuli/task-settings",
      "/c/xingfuli/notices",
      "/c/xingfuli/places",
      "/c/xingfuli/organizations",
      "/c/xingfuli/members/import",
      "/c/xingfuli/members/activation",
      "/c/xingfuli/dashboard",
      "/dashboard",
      "/dashboard/definitions",
    ],
  },
  resident: { user: USERS.resident2, paths: ["/", "/notifications", "/c/xingfuli/topics", "/c/xingfuli/topics/new", "{topic}", "{session}", "/tasks"] },
  property: { user: USERS.wuye, paths: ["/", "/c/xingfuli/referrals", "{topic}", "/tasks"] },
  secretary: { user: USERS.secretary, paths: ["/", "{session}", "{session}/minutes", "{session}/agenda", "/c/xingfuli/notices"] },
  observer: { user: USERS.observer, paths: ["/", "/notifications", "/c/xingfuli/topics", "{topic}", "{session}", "/tasks"] },
  district: { user: USERS.jiedao, paths: ["/district", "/dashboard", "/c/xingfuli/members", "/c/xingfuli/places"], editor: false },
  overseer: { user: USERS.shiji, paths: ["/", "/dashboard"], editor: false },
};

/** The demo session's and a topic's pages, found by following links as a person would. */
async function resolvePaths(page: Page, paths: string[]): Promise<string[]> {
  const ids: Record<string, string> = {};
  if (paths.some((p) => p.includes("{session}"))) {
    await page.goto("/");
    ids.session = (await page.getByRole("link", { name: DEMO_SESSION_TITLE }).first().getAttribute("href"))!;
  }
  if (paths.some((p) => p.includes("{topic}"))) {
    await page.goto("/c/xingfuli/topics");
    ids.topic = (await page.locator("main a[href^='/topics/']").first().getAttribute("href"))!;
  }
  return paths.map((p) => p.replace("{session}", ids.session ?? "").replace("{topic}", ids.topic ?? ""));
}

async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${page.url()} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

for (const size of SIZES)
  for (const language of ["zh-CN", "en"] as const)
    for (const [role, { user, paths, editor = true }] of Object.entries(PAGES))
      test(`axe: ${role}'s pages at ${size.name} px in ${language}`, async ({ browser }) => {
        test.setTimeout(180_000);
        const { name: _name, ...options } = size;
        const { context, page } = await signedInPage(browser, user, options);
        try {
          if (language === "en") {
            await page.getByTestId("language-switch").click();
            await expect(page.locator("html")).toHaveAttribute("lang", "en");
          }
          const found: string[] = [];
          for (const path of await resolvePaths(page, paths)) {
            const response = await page.goto(path, { waitUntil: "load" });
            expect(response?.status(), path).toBeLessThan(400);
            await expect(page.locator("main h1").first()).toBeVisible();
            found.push(...(await violations(page)));
          }
          // An agenda item with the editor and the person's own presence chip.
          if (editor) {
            await openAgendaItem(page, DEMO_ITEMS[0]);
            await expect(page.getByTestId("present-person").first()).toBeVisible();
            found.push(...(await violations(page)));
          }
          expect(found).toEqual([]);
        } finally {
          if (language === "en") {
            // The language is kept on the account: back to Chinese for the tests that follow.
            await page.goto("/");
            await page.getByTestId("language-switch").click();
            await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
          }
          await context.close();
        }
      });
