// The session's secretary over the real server: the API's refusal in the one vocabulary, and
// the two page forms (new session, session page) that staff use.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";

let server: RunningServer;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

const call = (who: string, path: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, { ...init, redirect: "manual", headers: { Authorization: `Bearer ${tokens[who]}`, ...(init.headers ?? {}) } });
const json = (who: string, path: string, body: unknown) =>
  call(who, path, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
const form = (who: string, path: string, fields: Record<string, string>) => call(who, path, { method: "POST", body: new URLSearchParams(fields) });

beforeAll(async () => {
  server = await startServer(freshDbFile("secretary-http"));
  for (const u of ["staff", "secretary", "resident1"]) {
    tokens[u] = await tokenFor(server, u);
    ids[u] = ((await (await call(u, "/api/v1/me")).json()) as { id: string }).id;
  }
  const home = await (await call("staff", "/")).text();
  ids.session = home.match(/\/sessions\/([A-Za-z0-9_-]+)/)![1]!;
  ids.council = ((await (await call("staff", `/api/v1/sessions/${ids.session}`)).json()) as { council: { id: string } }).council.id;
}, 60_000);
afterAll(() => server?.stop());

describe("session secretary over HTTP", () => {
  it("POST /api/v1/sessions refuses a non-secretary with the key, and stores a secretary", async () => {
    const body = { councilId: ids.council, title: "记录员接口测试", scheduledAt: "2099-01-01T10:00" };
    const refused = await json("staff", "/api/v1/sessions", { ...body, secretaryId: ids.resident1 });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ key: "errors.secretaryInvalid", field: "secretaryId" });
    const ok = await json("staff", "/api/v1/sessions", { ...body, secretaryId: ids.secretary });
    expect(ok.status).toBe(200);
  });

  it("the new-session page lists the community's secretaries and shows the refusal beside the field", async () => {
    const page = await (await call("staff", "/c/xingfuli/sessions/new")).text();
    expect(page).toContain(`value="${ids.secretary}"`);
    expect(page).not.toContain(`value="${ids.resident1}"`);
    const res = await form("staff", "/c/xingfuli/sessions/new", {
      councilId: ids.council!,
      title: "记录员页面测试",
      scheduledAt: "2099-01-02T10:00",
      mode: "inPerson",
      secretaryId: ids.resident1!,
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("请选择本社区在册的记录员。");
  });

  it("the session page's form changes the secretary for staff, and the API answers 403 to others", async () => {
    expect((await json("resident1", `/api/v1/sessions/${ids.session}/secretary`, { secretaryId: null })).status).toBe(403);
    const page = await (await call("staff", `/sessions/${ids.session}`)).text();
    expect(page).toContain('data-testid="secretary-form"');
    expect(await (await call("resident1", `/sessions/${ids.session}`)).text()).not.toContain('data-testid="secretary-form"');
    const res = await form("staff", `/sessions/${ids.session}?index`, { secretaryId: "" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("记录员已更新。");
    const back = await json("staff", `/api/v1/sessions/${ids.session}/secretary`, { secretaryId: ids.secretary });
    expect(await back.json()).toEqual({ sessionId: ids.session, secretaryId: ids.secretary });
  });
});
