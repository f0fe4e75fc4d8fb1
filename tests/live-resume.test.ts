// Issue 15: the chair may take back an adjournment for RESUME_WINDOW_MIN minutes (session:resume,
// one declaration → Socket.IO, REST, OpenAPI). Motions the adjournment withdrew stay withdrawn,
// every screen in the session hears the session is open again, both steps are on the session's
// timeline, and after the window the refusal says why.
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESUME_WINDOW_MIN } from "~/utils/liveux";
import { ask, connectSocket, must, startDemoServer } from "./fixtures/live";
import { databaseUrlOf, type RunningServer } from "./fixtures/server";
import { addParagraph, connectDoc, until } from "./fixtures/yjs-client";

let server: RunningServer;
let tokens: Record<string, string>;
let ids: Record<string, string>;
let sessionId: string;
let itemIds: string[];
const sockets: Socket[] = [];

beforeAll(async () => {
  ({ server, tokens, ids, sessionId, itemIds } = await startDemoServer("live-resume", ["staff", "resident1", "grid1", "wuye", "yeweihui"]));
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

const post = (token: string, path: string, body: unknown, lang = "zh-CN") =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Accept-Language": lang },
    body: JSON.stringify(body),
  });
const liveOf = async () =>
  (await (await fetch(`${server.url}/api/v1/sessions/${sessionId}/live`, { headers: { Authorization: `Bearer ${tokens.staff}` } })).json()) as {
    status: string;
    adjournedAt: string | null;
    motions: { id: string; status: string }[];
  };
/** The server's own database (SQLite allows a second connection), to read what the API doesn't show and to age an adjournment. */
async function db() {
  process.env.DATABASE_URL = databaseUrlOf(server.dbFile);
  return (await import("~/utils/db.server")).prisma;
}
const nextState = (s: Socket, status: string) =>
  new Promise<{ status: string }>((resolve) => {
    const on = (state: { sessionId: string; status: string }) => {
      if (state.sessionId !== sessionId || state.status !== status) return;
      s.off("session:state", on);
      resolve(state);
    };
    s.on("session:state", on);
  });

describe("taking back an adjournment (session:resume)", () => {
  it("restores the session to open for the chair only; withdrawn motions stay withdrawn; screens follow; the timeline has both steps", async () => {
    const chair = await connectSocket(server, tokens.staff!, sockets);
    const member = await connectSocket(server, tokens.resident1!, sockets);
    await must(chair, "session:open", { sessionId });
    for (const who of ["resident1", "grid1"]) await must(chair, "session:checkIn", { sessionId, userId: ids[who] });
    await must(chair, "session:openItem", { sessionId, itemId: itemIds[0] });
    const { id: motionId } = (await must(member, "motion:propose", { sessionId, agendaItemId: itemIds[0], text: "撤销休会测试动议" })) as unknown as {
      id: string;
    };
    await must(member, "session:join", { sessionId });

    // Nothing to take back while the session is open.
    expect(await ask(chair, "session:resume", { sessionId })).toMatchObject({ ok: false, status: 409, key: "errors.sessionNotAdjourned" });

    // The minutes (the session's timeline) are made just after opening (coalesced, app/models/minutes/facts.server.ts).
    const prisma = await db();
    await expect.poll(() => prisma.minutes.count({ where: { sessionId } })).toBe(1);
    const adjourned = nextState(member, "adjourned");
    await must(chair, "session:adjourn", { sessionId });
    await adjourned;
    expect((await prisma.motion.findUniqueOrThrow({ where: { id: motionId } })).status).toBe("withdrawn");

    // Only the chair; a bad payload is refused precisely; nothing changed.
    expect(await ask(member, "session:resume", { sessionId })).toMatchObject({ ok: false, status: 403 });
    expect(await ask(chair, "session:resume", { sessionId, extra: 1 })).toMatchObject({ ok: false, status: 400 });
    expect(await ask(chair, "session:resume", {})).toMatchObject({ ok: false, status: 400 });
    expect((await liveOf()).status).toBe("adjourned");

    // Over REST, the same declaration; the member's screen hears it at once.
    const reopened = nextState(member, "open");
    const res = await post(tokens.staff!, "/api/v1/live/session:resume", { sessionId });
    expect(res.status, await res.clone().text()).toBe(200);
    await reopened;
    const state = await liveOf();
    expect(state).toMatchObject({ status: "open", adjournedAt: null });
    // The withdrawn motion stays withdrawn (and off the live state); the session goes on: hands, new motions.
    expect((await prisma.motion.findUniqueOrThrow({ where: { id: motionId } })).status).toBe("withdrawn");
    expect(state.motions.some((m) => m.id === motionId)).toBe(false);
    await must(member, "hand:raise", { sessionId });
    await must(member, "motion:propose", { sessionId, agendaItemId: itemIds[0], text: "恢复后的新动议" });

    // Twice is refused: it is open already.
    expect(await ask(chair, "session:resume", { sessionId })).toMatchObject({ ok: false, status: 409, key: "errors.sessionNotAdjourned" });

    const minutes = await prisma.minutes.findUniqueOrThrow({ where: { sessionId }, select: { events: { orderBy: { createdAt: "asc" } } } });
    expect(minutes.events.map((e) => e.type).filter((t) => t === "adjourned" || t === "resumed")).toEqual(["adjourned", "resumed"]);
    expect(minutes.events.find((e) => e.type === "resumed")?.actorId).toBe(ids.staff);

    // The OpenAPI document lists it.
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain("/api/v1/live/session:resume");
  });

  it("an editor left open through the adjournment may write again once it is taken back", async () => {
    const chair = await connectSocket(server, tokens.staff!, sockets);
    const itemId = itemIds[0]!;
    const editor = connectDoc(server.url, `agenda-item:${itemId}`, tokens.resident1);
    // y-websocket keeps its handlers per provider: index 2 is the auth message ("permission denied").
    const seen = { denied: false };
    (editor.provider as unknown as { messageHandlers: unknown[] }).messageHandlers[2] = () => void (seen.denied = true);
    await editor.synced;
    await must(chair, "session:adjourn", { sessionId });
    await until(() => seen.denied, "the editor to be told it is read-only");
    await must(chair, "session:resume", { sessionId });
    // The re-check runs after the commit; an edit made once it has is stored and served.
    await new Promise((r) => setTimeout(r, 1000));
    addParagraph(editor.doc, "撤销休会后的补充");
    const item = async () =>
      (await (await fetch(`${server.url}/api/v1/agenda-items/${itemId}`, { headers: { Authorization: `Bearer ${tokens.resident1}` } })).json()) as {
        text: string;
        canEdit: boolean;
      };
    await until(async () => (await item()).text.includes("撤销休会后的补充"), "the edit after resuming to be stored");
    expect((await item()).canEdit).toBe(true);
    editor.destroy();
  });

  it(`is refused after ${RESUME_WINDOW_MIN} minutes with a clear key, in the asker's language`, async () => {
    const chair = await connectSocket(server, tokens.staff!, sockets);
    await must(chair, "session:adjourn", { sessionId });
    const prisma = await db();
    // Just inside the window it still works…
    await prisma.councilSession.update({ where: { id: sessionId }, data: { adjournedAt: new Date(Date.now() - (RESUME_WINDOW_MIN * 60_000 - 30_000)) } });
    await must(chair, "session:resume", { sessionId });
    await must(chair, "session:adjourn", { sessionId });
    // …just past it, not.
    await prisma.councilSession.update({ where: { id: sessionId }, data: { adjournedAt: new Date(Date.now() - (RESUME_WINDOW_MIN * 60_000 + 1_000)) } });
    expect(await ask(chair, "session:resume", { sessionId })).toMatchObject({
      ok: false,
      status: 409,
      key: "errors.resumeWindowOver",
      values: { minutes: RESUME_WINDOW_MIN },
    });
    const en = await post(tokens.staff!, "/api/v1/live/session:resume", { sessionId }, "en");
    expect(en.status).toBe(409);
    expect(((await en.json()) as { message: string }).message).toContain(`more than ${RESUME_WINDOW_MIN} minutes`);
    expect((await liveOf()).status).toBe("adjourned");
  });

  it("is refused once the minutes went out for review, even inside the window", async () => {
    const prisma = await db();
    await prisma.councilSession.update({ where: { id: sessionId }, data: { adjournedAt: new Date() } });
    await prisma.minutes.update({ where: { sessionId }, data: { state: "review" } });
    const chair = await connectSocket(server, tokens.staff!, sockets);
    expect(await ask(chair, "session:resume", { sessionId })).toMatchObject({ ok: false, status: 409, key: "errors.resumeMinutesSubmitted" });
    expect((await liveOf()).status).toBe("adjourned");
  });
});
