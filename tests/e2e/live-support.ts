// Steps shared by the live-meeting specs (issue 15): a fresh hybrid session with one item, live
// actions through the API (the same declarations as the buttons), axe, and the interface language.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

export const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;
export const DESKTOP = { viewport: { width: 1280, height: 800 } } as const;
const fromPage = (page: Page) => ({ Origin: new URL(page.url()).origin });

export async function act(page: Page, action: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await page.request.post(`/api/v1/live/${action}`, { headers: fromPage(page), data: body });
  expect(response.ok(), `${action}: ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as Record<string, unknown>;
}

export async function scheduleSession(staff: Page, title: string, item: string): Promise<{ id: string; itemId: string }> {
  const me = (await (await staff.request.get("/api/v1/me")).json()) as { seats: { councilId: string }[] };
  const created = await staff.request.post("/api/v1/sessions", {
    headers: fromPage(staff),
    data: { councilId: me.seats[0]!.councilId, title, scheduledAt: "2030-01-15T19:00", place: "二楼会议室", mode: "hybrid" },
  });
  expect(created.ok(), await created.text()).toBe(true);
  const { id } = (await created.json()) as { id: string };
  const added = await staff.request.post(`/api/v1/sessions/${id}/agenda`, {
    headers: fromPage(staff),
    data: { title: item, text: `${item}：请讨论。`, timeSlotMin: 15 },
  });
  expect(added.ok(), await added.text()).toBe(true);
  return { id, itemId: ((await added.json()) as { agendaItemId: string }).agendaItemId };
}

/** Opens the live page and waits until it is connected. */
export async function goLive(page: Page, sessionId: string) {
  await page.goto(`/sessions/${sessionId}/live`);
  await expect(page.getByTestId("live-status")).toBeVisible();
  await expect(page.locator(".notice[role=status]")).toHaveCount(0);
}

/** The community's people by name, as the chair's check-in list offers them. */
export async function idOf(chair: Page, name: string): Promise<string> {
  return (await chair.locator("#check-in-person option", { hasText: name }).getAttribute("value"))!;
}

export async function expectAxeClean(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations.map((v) => `${what}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    what,
  ).toEqual([]);
}

/** The interface language is remembered on the account: tests that switch it switch it back. */
export async function setLanguage(page: Page, locale: "zh-CN" | "en") {
  const response = await page.request.post("/language", { headers: fromPage(page), form: { locale } });
  expect(response.ok(), await response.text()).toBe(true);
}

/** Nothing to scroll, either way. */
export async function expectNoScrollbars(page: Page, what: string) {
  const size = await page.evaluate(() => ({
    scrollW: document.documentElement.scrollWidth,
    scrollH: document.documentElement.scrollHeight,
    w: window.innerWidth,
    h: window.innerHeight,
  }));
  expect(size.scrollW, `${what}: width`).toBeLessThanOrEqual(size.w);
  expect(size.scrollH, `${what}: height`).toBeLessThanOrEqual(size.h);
}
