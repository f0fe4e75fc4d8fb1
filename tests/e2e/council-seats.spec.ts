// Issue 11 end to end: community staff seat a resident on the council page (at
// 360 px), and that resident, who could never vote before, votes from their phone
// in a live session; unseating them on the same page during the next vote takes
// their vote buttons away at once and keeps the term as history.
// The session is scheduled through the API, and the seat is ended again afterwards
// whatever happens, so the other spec files keep the seeded council of six.
import { expect, test, type Page } from "@playwright/test";
import { USERS, signedInPage } from "./support";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;
const fromPage = (page: Page) => ({ Origin: new URL(page.url()).origin });

async function api(page: Page, method: "GET" | "POST" | "DELETE", path: string, data?: unknown): Promise<Record<string, unknown>> {
  const response = await page.request.fetch(path, { method, headers: fromPage(page), data });
  expect(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as Record<string, unknown>;
}

test("staff seat a resident on the council page, the resident votes in a live session, and loses the vote at once when unseated", async ({ browser }) => {
  const staff = await signedInPage(browser, USERS.staff, PHONE);
  const resident = await signedInPage(browser, USERS.resident3, PHONE);
  let councilId = "";
  let residentId = "";
  try {
    // ——— The council page, from the home page, on a phone ———
    await staff.page.goto("/");
    await staff.page.getByRole("link", { name: "议事会席位" }).click();
    await expect(staff.page).toHaveURL(/\/c\/xingfuli\/council$/);
    await expect(staff.page.getByRole("heading", { level: 1, name: "议事会席位" })).toBeVisible();
    await expect(staff.page.getByTestId("current-seats").locator("li")).toHaveCount(6);
    await staff.page.getByLabel("社区成员").selectOption({ label: USERS.resident3.name });
    await staff.page.getByLabel("代表方面").selectOption("resident");
    const seatButton = staff.page.getByRole("button", { name: "入席", exact: true });
    expect((await seatButton.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await seatButton.click();
    await expect(staff.page.getByRole("status")).toHaveText("已入席，此人现在可以在会议中表决。");
    await expect(staff.page.getByTestId("current-seats")).toContainText(USERS.resident3.name);
    expect(await staff.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.viewport.width);

    const me = await api(resident.page, "GET", "/api/v1/me");
    residentId = me.id as string;
    councilId = (me.seats as { councilId: string }[])[0]!.councilId;

    // ——— A session of the council, run through the API by the chair ———
    const { id: sessionId } = (await api(staff.page, "POST", "/api/v1/sessions", {
      councilId,
      title: `席位测试会议 ${Date.now().toString(36)}`,
      scheduledAt: "2030-02-01T19:00",
      place: "社区党群服务中心",
      mode: "inPerson",
    })) as { id: string };
    const { agendaItemId } = (await api(staff.page, "POST", `/api/v1/sessions/${sessionId}/agenda`, { title: "新增电动车充电桩" })) as { agendaItemId: string };
    await api(staff.page, "POST", "/api/v1/live/session:open", { sessionId });
    const seats = (await api(staff.page, "GET", `/api/v1/councils/${councilId}/seats`)) as { current: { userId: string }[] };
    // Seven seats now: four present make the quorum.
    for (const { userId } of seats.current.slice(0, 4))
      if (userId !== residentId) await api(staff.page, "POST", "/api/v1/live/session:checkIn", { sessionId, userId });
    await api(staff.page, "POST", "/api/v1/live/session:checkIn", { sessionId, userId: residentId });
    await api(staff.page, "POST", "/api/v1/live/session:openItem", { sessionId, itemId: agendaItemId });
    const { id: motionId } = (await api(staff.page, "POST", "/api/v1/live/motion:propose", {
      sessionId,
      agendaItemId,
      text: "同意在2号楼旁增设电动车充电桩",
      ballot: "open",
      passRule: "majorityCast",
      constituencies: [],
      hideResults: false,
    })) as { id: string };

    // ——— The newly seated resident, on their phone: a member now, who seconds and votes ———
    await resident.page.goto(`/sessions/${sessionId}/live`);
    await expect(resident.page.getByTestId("my-check-in")).toHaveText("你已签到（议事会成员）");
    const motion = resident.page.getByTestId("motion").last();
    await motion.getByTestId("second").click();
    await expect(motion.getByTestId("motion-status")).toHaveText("已附议，待表决");
    await api(staff.page, "POST", "/api/v1/live/vote:open", { motionId });
    await motion.getByTestId("vote-buttons").locator('[data-choice="yes"]').click();
    await expect.poll(async () => ((await api(staff.page, "GET", `/api/v1/sessions/${sessionId}/live`)).tally as { cast: number } | null)?.cast).toBe(1);
    const result = (await api(staff.page, "POST", "/api/v1/live/vote:close", { motionId })) as { roll: { name: string; choice: string }[] };
    expect(result.roll).toEqual([expect.objectContaining({ name: USERS.resident3.name, choice: "yes" })]);

    // ——— Unseated on the same page during the next vote: the phone loses its vote buttons at once ———
    const { id: nextMotionId } = (await api(staff.page, "POST", "/api/v1/live/motion:propose", {
      sessionId,
      agendaItemId,
      text: "同意充电桩由物业统一管理",
      ballot: "open",
      passRule: "majorityCast",
      constituencies: [],
      hideResults: false,
    })) as { id: string };
    const next = resident.page.getByTestId("motion").last();
    await next.getByTestId("second").click();
    await api(staff.page, "POST", "/api/v1/live/vote:open", { motionId: nextMotionId });
    await expect(next.getByTestId("vote-buttons")).toBeVisible();
    await staff.page.reload();
    await staff.page.getByRole("button", { name: `让 ${USERS.resident3.name} 卸任` }).click();
    await expect(staff.page.getByRole("status")).toHaveText("已卸任，任期记入历史；此人不再参与表决。");
    await expect(staff.page.getByTestId("current-seats")).not.toContainText(USERS.resident3.name);
    await expect(staff.page.getByTestId("seat-history")).toContainText(USERS.resident3.name);
    await expect(resident.page.getByTestId("my-check-in")).toHaveText("你已签到（列席）");
    await expect(next.getByTestId("vote-buttons")).toHaveCount(0);
    await api(staff.page, "POST", "/api/v1/live/vote:close", { motionId: nextMotionId });
    // The first vote still counts the seven seats it had when it closed.
    const state = await api(staff.page, "GET", `/api/v1/sessions/${sessionId}/live`);
    const first = (state.motions as { id: string; result: unknown }[]).find((m) => m.id === motionId);
    expect(first?.result).toEqual(expect.objectContaining({ cast: 1, eligible: 7 }));
    await api(staff.page, "POST", "/api/v1/live/session:adjourn", { sessionId });
  } finally {
    // Leave the seeded council as it was for the other spec files (404 when the page already did it).
    if (councilId && residentId) await staff.page.request.delete(`/api/v1/councils/${councilId}/seats/${residentId}`, { headers: fromPage(staff.page) });
    await staff.context.close();
    await resident.context.close();
  }
});

test("staff grant and revoke a role on the members page, and read both in the audit log", async ({ browser }) => {
  const staff = await signedInPage(browser, USERS.staff, PHONE);
  try {
    // The settings page confirms a save the same way (nothing changes here, so nothing is logged).
    await staff.page.goto("/c/xingfuli/settings");
    await staff.page.getByRole("button", { name: "保存设置" }).click();
    await expect(staff.page.getByRole("status")).toHaveText("设置已保存。");
    await staff.page.goto("/");
    await staff.page.getByRole("link", { name: "成员与角色" }).click();
    await expect(staff.page).toHaveURL(/\/c\/xingfuli\/members$/);
    const resident = staff.page.getByTestId("member").filter({ hasText: USERS.resident3.name });
    await resident.getByLabel("增加角色").selectOption("unitHead");
    await resident.getByRole("button", { name: `为 ${USERS.resident3.name} 授予所选角色` }).click();
    await expect(staff.page.getByRole("status")).toHaveText("已授予角色。");
    await staff.page.getByRole("button", { name: `撤销 ${USERS.resident3.name} 的角色：单元长` }).click();
    await expect(staff.page.getByRole("status")).toHaveText("已撤销角色。");
    // The only role is kept: revoking it is refused with a reason.
    await staff.page.getByRole("button", { name: `撤销 ${USERS.resident3.name} 的角色：居民` }).click();
    await expect(staff.page.getByRole("alert")).toContainText("唯一的角色");
    expect(await staff.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.viewport.width);

    await staff.page.getByRole("link", { name: "操作记录" }).click();
    await expect(staff.page).toHaveURL(/\/c\/xingfuli\/audit$/);
    const entries = staff.page.getByTestId("audit").locator("li");
    await expect(entries.nth(0)).toContainText(`撤销角色 · ${USERS.resident3.name}`);
    await expect(entries.nth(0)).toContainText("unitHead");
    await expect(entries.nth(1)).toContainText(`授予角色 · ${USERS.resident3.name}`);
    await expect(entries.nth(1)).toContainText(USERS.staff.name);
    expect(await staff.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.viewport.width);
  } finally {
    await staff.context.close();
  }
});
