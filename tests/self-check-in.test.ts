// Issue 15, hybrid sessions: members who are not in the room check themselves in, but only
// when the chair allows it, only in hybrid and online sessions, and only themselves. One
// declaration (app/models/live-actions.server.ts) serves Socket.IO, REST and OpenAPI.
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ask, connectSocket, must, startDemoServer } from "./fixtures/live";
import type { RunningServer } from "./fixtures/server";

let server: RunningServer;
let tokens: Record<string, string>;
let ids: Record<string, string>;
let sessionId: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  ({ server, tokens, ids, sessionId } = await startDemoServer("self-check-in", ["staff", "resident1", "resident3"]));
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

const post = (token: string, path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
const stateOf = async () =>
  (await (await fetch(`${server.url}/api/v1/sessions/${sessionId}/live`, { headers: { Authorization: `Bearer ${tokens.staff}` } })).json()) as {
    mode: string;
    selfCheckIn: boolean;
    attendance: { userId: string; kind: string; method: string }[];
  };

describe("self check-in from afar", () => {
  it("is refused until the chair allows it; only the chair may allow it", async () => {
    const chair = await connectSocket(server, tokens.staff!, sockets);
    const member = await connectSocket(server, tokens.resident1!, sockets);
    await must(chair, "session:open", { sessionId });
    expect((await stateOf()).mode).toBe("hybrid");
    expect((await stateOf()).selfCheckIn).toBe(false);

    expect(await ask(member, "session:checkInSelf", { sessionId })).toMatchObject({ ok: false, status: 409, key: "errors.selfCheckInOff" });
    expect(await ask(member, "session:selfCheckIn", { sessionId, allowed: true })).toMatchObject({ ok: false, status: 403 });
    expect(await ask(chair, "session:selfCheckIn", { sessionId, allowed: "yes" })).toMatchObject({ ok: false, status: 400 });
    expect((await stateOf()).attendance.some((a) => a.userId === ids.resident1)).toBe(false);

    // The chair allows it over REST (the same declaration as the socket event).
    const allowed = await post(tokens.staff!, "/api/v1/live/session:selfCheckIn", { sessionId, allowed: true });
    expect(allowed.status, await allowed.clone().text()).toBe(200);
    expect((await stateOf()).selfCheckIn).toBe(true);

    // A seated member checks in as a member; a resident without a seat as an observer. Each only themselves.
    expect(await must(member, "session:checkInSelf", { sessionId })).toMatchObject({ ok: true });
    expect(await ask(member, "session:checkInSelf", { sessionId, userId: ids.resident3 })).toMatchObject({ ok: false, status: 400 });
    const viaRest = await post(tokens.resident3!, "/api/v1/live/session:checkInSelf", { sessionId });
    expect(viaRest.status).toBe(200);
    const state = await stateOf();
    expect(state.attendance.find((a) => a.userId === ids.resident1)).toMatchObject({ kind: "member", method: "self" });
    expect(state.attendance.find((a) => a.userId === ids.resident3)).toMatchObject({ kind: "observer", method: "self" });

    // Switched off again, nobody else gets in that way; the change is in the audit log.
    await must(chair, "session:selfCheckIn", { sessionId, allowed: false });
    expect(await ask(member, "session:checkInSelf", { sessionId })).toMatchObject({ ok: false, key: "errors.selfCheckInOff" });
    const log = await (await fetch(`${server.url}/api/v1/communities/xingfuli/audit`, { headers: { Authorization: `Bearer ${tokens.staff}` } })).text();
    expect(log).toContain('"selfCheckIn":false');
  });

  it("is not offered for a session that meets in person", async () => {
    const me = (await (await fetch(`${server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${tokens.staff}` } })).json()) as {
      seats: { councilId: string }[];
    };
    const created = await post(tokens.staff!, "/api/v1/sessions", {
      councilId: me.seats[0]!.councilId,
      title: "线下会议",
      scheduledAt: "2030-02-01T19:00",
      place: "二楼",
      mode: "inPerson",
    });
    expect(created.ok, await created.clone().text()).toBe(true);
    const { id } = (await created.json()) as { id: string };
    const chair = await connectSocket(server, tokens.staff!, sockets);
    await must(chair, "session:open", { sessionId: id });
    expect(await ask(chair, "session:selfCheckIn", { sessionId: id, allowed: true })).toMatchObject({ ok: false, key: "errors.selfCheckInInPerson" });
    const member = await connectSocket(server, tokens.resident1!, sockets);
    expect(await ask(member, "session:checkInSelf", { sessionId: id })).toMatchObject({ ok: false, key: "errors.selfCheckInInPerson" });
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/live/session:checkInSelf", "/api/v1/live/session:selfCheckIn"]));
  });
});
