// Council seats with terms (issue 11), against the real production server: staff
// seat and unseat through the API, a person holds one current seat per council,
// unseating keeps the term as history; quorum and the right to vote read current
// seats only, a seat ended during an open session takes the vote away at once
// (rightsChanged re-checks the member's live connection), and neither a closed
// vote nor an adjourned session's roll changes afterwards — even after a restart.
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiAs, type Json } from "./fixtures/api";
import { connectSocket } from "./fixtures/live";
import { freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";

let server: RunningServer;
const token: Record<string, string> = {};
const ids: Record<string, string> = {};
let councilId: string;
let sessionId: string;
let itemId: string;
const sockets: Socket[] = [];

const { call, ok } = apiAs(() => server.url, token);
const live = (action: string, body: unknown) => ok("POST", `/api/v1/live/${action}`, "staff", body);
const seats = (who = "staff") => ok("GET", `/api/v1/councils/${councilId}/seats`, who);
const quorum = async () => (await ok("GET", `/api/v1/sessions/${sessionId}/live`, "staff")).quorum as { seated: number; present: number; required: number };

async function signIn() {
  for (const u of ["staff", "secretary", "grid1", "resident1", "resident2", "resident3", "outsider"]) token[u] = await tokenFor(server, u);
  for (const u of Object.keys(token)) ids[u] = (await ok("GET", "/api/v1/me", u)).id;
}

beforeAll(async () => {
  server = await startServer(freshDbFile("seats"));
  await signIn();
  councilId = (await ok("GET", "/api/v1/communities/xingfuli/settings", "staff")).councils[0].id;
  const html = await (await fetch(`${server.url}/`, { headers: { Authorization: `Bearer ${token.staff}` } })).text();
  sessionId = html.match(/\/sessions\/([A-Za-z0-9_-]+)/)![1]!;
  itemId = (await ok("GET", `/api/v1/sessions/${sessionId}`, "staff")).agendaItems[0].id;
});
afterAll(async () => {
  if (process.env.SHOW_SERVER_LOG) console.log(server?.output());
  for (const s of sockets) s.disconnect();
  await server?.stop();
});

describe("who may seat and see seats", () => {
  it("staff change seats; members only read them; outsiders and strangers get nothing", async () => {
    expect((await call("GET", `/api/v1/councils/${councilId}/seats`, "resident1")).status).toBe(200);
    expect((await call("GET", `/api/v1/councils/${councilId}/seats`, "outsider")).status).toBe(403);
    expect((await call("GET", `/api/v1/councils/${councilId}/seats`, null)).status).toBe(401);
    expect((await call("POST", `/api/v1/councils/${councilId}/seats`, "resident1", { userId: ids.resident3, constituency: "resident" })).status).toBe(403);
    expect((await call("DELETE", `/api/v1/councils/${councilId}/seats/${ids.resident1}`, "resident1")).status).toBe(403);
    expect((await call("POST", `/api/v1/councils/nosuchcouncil/seats`, "staff", { userId: ids.resident3, constituency: "resident" })).status).toBe(404);
    // Only members of the council's community can be seated.
    const foreign = await call("POST", `/api/v1/councils/${councilId}/seats`, "staff", { userId: ids.outsider, constituency: "resident" });
    expect(foreign.status).toBe(400);
    expect(foreign.json.key).toBe("errors.notCommunityMember");
    expect((await call("POST", `/api/v1/councils/${councilId}/seats`, "staff", { userId: ids.resident3, constituency: "mayor" })).status).toBe(400);
  });
});

describe("terms and history", () => {
  it("seats once, refuses a second current seat, keeps an ended term as history and starts a new one on re-seating", async () => {
    const first = await ok("POST", `/api/v1/councils/${councilId}/seats`, "staff", { userId: ids.resident3, constituency: "resident" });
    expect(first.to).toBeNull();
    const twice = await call("POST", `/api/v1/councils/${councilId}/seats`, "staff", { userId: ids.resident3, constituency: "ownersCommittee" });
    expect(twice.status).toBe(409);
    expect(twice.json.key).toBe("errors.alreadySeated");
    expect((await ok("GET", "/api/v1/me", "resident3")).seats).toEqual([expect.objectContaining({ councilId, constituency: "resident" })]);

    const ended = await ok("DELETE", `/api/v1/councils/${councilId}/seats/${ids.resident3}`, "staff");
    expect(ended.to).toEqual(expect.any(String));
    expect((await call("DELETE", `/api/v1/councils/${councilId}/seats/${ids.resident3}`, "staff")).status).toBe(404);
    let list = await seats();
    expect(list.current.map((s: Json) => s.userId)).not.toContain(ids.resident3);
    expect(list.history).toEqual([expect.objectContaining({ id: first.id, userId: ids.resident3, from: first.from, to: ended.to })]);
    expect((await ok("GET", "/api/v1/me", "resident3")).seats).toEqual([]);

    const again = await ok("POST", `/api/v1/councils/${councilId}/seats`, "staff", { userId: ids.resident3, constituency: "resident" });
    expect(again.id).not.toBe(first.id);
    list = await seats("resident1");
    expect(list.current.filter((s: Json) => s.userId === ids.resident3)).toEqual([expect.objectContaining({ id: again.id, to: null })]);
    expect(list.history.map((s: Json) => s.id)).toEqual([first.id]);
  });

  it("two staff seating the same person at the same moment: one seat, one refusal", async () => {
    const seat = () => call("POST", `/api/v1/councils/${councilId}/seats`, "staff", { userId: ids.secretary, constituency: "communityStaff" });
    const answers = await Promise.all([seat(), seat(), seat()]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    expect((await seats()).current.filter((s: Json) => s.userId === ids.secretary)).toHaveLength(1);
    await ok("DELETE", `/api/v1/councils/${councilId}/seats/${ids.secretary}`, "staff");
  });
});

describe("seats and a session", () => {
  it("a seat ended before the session opens does not count towards quorum", async () => {
    const before = await quorum();
    await ok("DELETE", `/api/v1/councils/${councilId}/seats/${ids.resident2}`, "staff");
    // The seat change refreshes the snapshot of the council's sessions to come.
    await expect.poll(async () => (await quorum()).seated).toBe(before.seated - 1);
    await live("session:open", { sessionId });
    expect((await quorum()).seated).toBe(before.seated - 1);
  });

  it("ending a seat during an open session removes the vote at once, but no closed vote changes, nor, once adjourned, the session's roll", async () => {
    const socket = await connectSocket(server, token.resident3!, sockets);
    const emit = (event: string, payload: unknown) =>
      new Promise<Json>((resolve, reject) =>
        socket.timeout(5000).emit(event, payload, (err: Error | null, reply: Json) => (err ? reject(err) : resolve(reply))),
      );
    expect((await emit("session:join", { sessionId })).ok).toBe(true);

    for (const u of ["staff", "grid1", "resident1", "resident3"]) await live("session:checkIn", { sessionId, userId: ids[u] });
    await live("session:openItem", { sessionId, itemId });
    const propose = async (text: string) => {
      const { id } = await live("motion:propose", {
        sessionId,
        agendaItemId: itemId,
        text,
        ballot: "open",
        passRule: "majorityCast",
        constituencies: [],
        hideResults: false,
      });
      await ok("POST", "/api/v1/live/motion:second", "resident1", { motionId: id });
      await live("vote:open", { motionId: id });
      return id as string;
    };

    const first = await propose("同意在3号楼后施划禁停标线");
    let n = 0;
    const ballot = (motionId: string) => ({ motionId, clientBallotId: `seat-ballot-${++n}-x`, seq: n, choice: "yes" });
    expect((await emit("vote:cast", ballot(first))).ok).toBe(true);
    const closed = await live("vote:close", { motionId: first });
    expect(closed.roll.map((r: Json) => r.name)).toContain("周明");

    const second = await propose("同意增设电动车充电桩");
    const seatedBefore = (await quorum()).seated;
    expect(seatedBefore).toBe(6);
    await ok("DELETE", `/api/v1/councils/${councilId}/seats/${ids.resident3}`, "staff");
    // The same open connection: its actor was re-checked when the seat ended, so permission refuses (not a late database check).
    const refused = await emit("vote:cast", ballot(second));
    expect(refused.ok).toBe(false);
    expect(refused.status).toBe(403);
    await expect.poll(async () => (await quorum()).seated).toBe(seatedBefore - 1);
    // The open vote's tally counts the members seated now.
    expect((await ok("GET", `/api/v1/sessions/${sessionId}/live`, "staff")).tally).toEqual(
      expect.objectContaining({ motionId: second, eligible: seatedBefore - 1 }),
    );
    const kindOf = async (userId: string) =>
      ((await ok("GET", `/api/v1/sessions/${sessionId}/live`, "staff")).attendance as Json[]).find((a) => a.userId === userId)?.kind;
    expect(await kindOf(ids.resident3!)).toBe("observer");
    // The other way: someone in the room as an observer counts as a member the moment they are seated.
    await live("session:checkIn", { sessionId, userId: ids.resident2 });
    expect(await kindOf(ids.resident2!)).toBe("observer");
    const present = (await quorum()).present;
    await ok("POST", `/api/v1/councils/${councilId}/seats`, "staff", { userId: ids.resident2, constituency: "resident" });
    expect(await kindOf(ids.resident2!)).toBe("member");
    await expect.poll(async () => (await quorum()).present).toBe(present + 1);

    const state = await ok("GET", `/api/v1/sessions/${sessionId}/live`, "staff");
    const firstNow = state.motions.find((m: Json) => m.id === first);
    const { ok: _ok, ...result } = closed;
    expect(firstNow.result).toEqual(result);

    await live("vote:close", { motionId: second });
    await live("session:adjourn", { sessionId });
    const rollAtAdjourn = await quorum();
    // Seats that change after the session cannot touch it: seat resident3 again and unseat resident1 and resident2.
    await ok("POST", `/api/v1/councils/${councilId}/seats`, "staff", { userId: ids.resident3, constituency: "resident" });
    for (const u of ["resident1", "resident2"]) await ok("DELETE", `/api/v1/councils/${councilId}/seats/${ids[u]}`, "staff");
    // From the database, not a cached snapshot: restart on the same file.
    await server.stop();
    server = await startServer(server.dbFile);
    await signIn();
    expect(await quorum()).toEqual(rollAtAdjourn);
    const after = await ok("GET", `/api/v1/sessions/${sessionId}/live`, "staff");
    expect(after.motions.find((m: Json) => m.id === first).result.eligible).toBe(closed.eligible);
    expect((await seats()).current.map((s: Json) => s.userId)).not.toContain(ids.resident1);
  });
});
