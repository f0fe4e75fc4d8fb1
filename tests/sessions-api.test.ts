// API gaps of issue 11 against the real server: listing sessions (by community,
// status and Beijing date; it answered 405 before) and /api/v1/me with the
// communities one belongs to and one's roles there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";

let server: RunningServer;
const token: Record<string, string> = {};
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
async function call(p: string, who: string | null, init: RequestInit = {}): Promise<{ status: number; json: Json }> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (who) headers.Authorization = `Bearer ${token[who]}`;
  const res = await fetch(server.url + p, { ...init, headers });
  return { status: res.status, json: (await res.json()) as Json };
}

beforeAll(async () => {
  server = await startServer(freshDbFile("sessions-api"));
  for (const u of ["staff", "resident3", "outsider"]) token[u] = await tokenFor(server, u);
});
afterAll(() => server?.stop());

describe("GET /api/v1/sessions", () => {
  it("lists a community's sessions by status and Beijing date, only to its members", async () => {
    const councilId = (await call("/api/v1/communities/xingfuli/settings", "staff")).json.councils[0].id;
    // 2030-03-01 23:30 Beijing is 15:30 UTC the same day; 2030-03-02 00:30 Beijing is still 03-01 in UTC.
    for (const [title, scheduledAt] of [
      ["三月一日晚的会议", "2030-03-01T23:30"],
      ["三月二日凌晨的会议", "2030-03-02T00:30"],
    ]) {
      const r = await call("/api/v1/sessions", "staff", { method: "POST", body: JSON.stringify({ councilId, title, scheduledAt }) });
      expect(r.status).toBe(200);
    }
    const all = await call("/api/v1/sessions?community=xingfuli", "resident3");
    expect(all.status).toBe(200);
    expect(all.json.total).toBe(3);
    expect(all.json.sessions[0]).toEqual(
      expect.objectContaining({ title: "三月二日凌晨的会议", status: "scheduled", community: { slug: "xingfuli", name: expect.any(String) } }),
    );
    const day = await call("/api/v1/sessions?community=xingfuli&from=2030-03-02&to=2030-03-02", "resident3");
    expect(day.json.sessions.map((s: Json) => s.title)).toEqual(["三月二日凌晨的会议"]);
    expect((await call("/api/v1/sessions?community=xingfuli&status=open", "resident3")).json.total).toBe(0);
    // Without a community: every community one belongs to (the outsider's has none here).
    expect((await call("/api/v1/sessions", "staff")).json.total).toBe(3);
    expect((await call("/api/v1/sessions", "outsider")).json.total).toBe(0);
    expect((await call("/api/v1/sessions?community=xingfuli", "outsider")).status).toBe(403);
    expect((await call("/api/v1/sessions?community=nowhere", "staff")).status).toBe(404);
    expect((await call("/api/v1/sessions?status=sleeping", "staff")).status).toBe(400);
    expect((await call("/api/v1/sessions?from=2030-3-1", "staff")).status).toBe(400);
    expect((await call("/api/v1/sessions", null)).status).toBe(401);
  });
});

describe("GET /api/v1/me", () => {
  it("names the communities one belongs to, with one's roles there", async () => {
    const me = (await call("/api/v1/me", "staff")).json;
    expect(me.communities).toEqual([
      { id: expect.any(String), slug: "xingfuli", name: expect.any(String), roles: expect.arrayContaining(["communityStaff", "chair"]) },
    ]);
    expect(me.memberships).toEqual(expect.arrayContaining([expect.objectContaining({ communitySlug: "xingfuli", role: "chair" })]));
  });
});
