// A member has an agenda item open in the browser when the chair adjourns the
// session, or staff take the item off the agenda: the page says so at once and
// stops editing, without a reload (docs/realtime.md, "When rights change").
import { expect, test, type APIRequestContext } from "@playwright/test";
import { PASSWORD, USERS, liveEditor, signedInPage } from "./support";

async function tokenOf(request: APIRequestContext, username: string): Promise<string> {
  const res = await request.post("/api/v1/auth/token", { data: { identifier: username, password: PASSWORD } });
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { token: string }).token;
}

/** A fresh session of the demo council with one item, so other tests' sessions stay as they are. */
async function sessionWithItem(request: APIRequestContext, staff: string, title: string) {
  const auth = { Authorization: `Bearer ${staff}` };
  const home = await (await request.get("/", { headers: auth })).text();
  const demoId = home.match(/\/sessions\/([A-Za-z0-9_-]+)/)![1]!;
  const { council } = (await (await request.get(`/api/v1/sessions/${demoId}`, { headers: auth })).json()) as { council: { id: string } };
  const created = await request.post("/api/v1/sessions", { headers: auth, data: { councilId: council.id, title, scheduledAt: "2030-05-01T19:00" } });
  expect(created.ok()).toBe(true);
  const sessionId = ((await created.json()) as { id: string }).id;
  const added = await request.post(`/api/v1/sessions/${sessionId}/agenda`, { headers: auth, data: { title: `${title}：议程项`, text: "楼道灯更换方案" } });
  expect(added.ok()).toBe(true);
  const { agendaItems } = (await (await request.get(`/api/v1/sessions/${sessionId}`, { headers: auth })).json()) as { agendaItems: { id: string }[] };
  return { sessionId, itemId: agendaItems[0]!.id, auth };
}

test("adjourning the session turns an open editor read-only and says why", async ({ browser, request }) => {
  const staff = await tokenOf(request, USERS.staff.username);
  const { sessionId, itemId, auth } = await sessionWithItem(request, staff, "权限测试会议甲");
  const resident = await signedInPage(browser, USERS.resident1);
  try {
    await resident.page.goto(`/sessions/${sessionId}/items/${itemId}`);
    const editor = await liveEditor(resident.page, { editable: true });
    expect((await request.post("/api/v1/live/session:open", { headers: auth, data: { sessionId } })).ok()).toBe(true);
    expect((await request.post("/api/v1/live/session:adjourn", { headers: auth, data: { sessionId } })).ok()).toBe(true);
    await expect(resident.page.getByTestId("editor-revoked")).toHaveAttribute("data-reason", "nowReadOnly");
    await expect(resident.page.getByTestId("editor-revoked")).toContainText("现在只能查看");
    await expect(editor).toHaveAttribute("contenteditable", "false");
  } finally {
    await resident.context.close();
  }
});

test("taking the item off the agenda tells the open page it is gone, and it stops reconnecting", async ({ browser, request }) => {
  const staff = await tokenOf(request, USERS.staff.username);
  const { sessionId, itemId, auth } = await sessionWithItem(request, staff, "权限测试会议乙");
  const resident = await signedInPage(browser, USERS.resident1);
  try {
    await resident.page.goto(`/sessions/${sessionId}/items/${itemId}`);
    await liveEditor(resident.page, { editable: true });
    let upgrades = 0;
    resident.page.on("websocket", (ws) => ws.url().includes("/yjs/") && upgrades++);
    expect((await request.delete(`/api/v1/sessions/${sessionId}/agenda/${itemId}`, { headers: auth })).ok()).toBe(true);
    await expect(resident.page.getByTestId("editor-revoked")).toHaveAttribute("data-reason", "gone");
    await expect(resident.page.getByTestId("editor-revoked")).toContainText("已从议程中移除");
    await resident.page.waitForTimeout(2500); // y-websocket would have retried within this
    expect(upgrades).toBe(0);
  } finally {
    await resident.context.close();
  }
});
