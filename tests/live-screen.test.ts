// Issue 15: the projector view (/sessions/<id>/screen) opens for members of the community only
// (session:screen), shows the check-in code only to whoever may chair, and serves no count a
// motion hides until its vote closes — not in the page, not in the data sent with it.
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectSocket, must, startDemoServer } from "./fixtures/live";
import type { RunningServer } from "./fixtures/server";

let server: RunningServer;
let tokens: Record<string, string>;
let ids: Record<string, string>;
let sessionId: string;
let itemIds: string[];
const sockets: Socket[] = [];

beforeAll(async () => {
  ({ server, tokens, ids, sessionId, itemIds } = await startDemoServer("live-screen", [
    "staff",
    "grid1",
    "wuye",
    "yeweihui",
    "resident1",
    "resident3",
    "outsider",
  ]));
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

const screenAs = (who: string | null) =>
  fetch(`${server.url}/sessions/${sessionId}/screen`, { headers: who ? { Authorization: `Bearer ${tokens[who]}` } : {}, redirect: "manual" });

describe("the projector view", () => {
  it("opens for any member of the community, not for others; the QR code only for whoever may chair", async () => {
    const chair = await screenAs("staff");
    expect(chair.status).toBe(200);
    const chairHtml = await chair.text();
    expect(chairHtml).toContain('data-testid="screen"');
    expect(chairHtml).toContain('data-testid="screen-qr"');

    const member = await screenAs("resident3");
    expect(member.status).toBe(200);
    const memberHtml = await member.text();
    expect(memberHtml).toContain('data-testid="screen-agenda"');
    expect(memberHtml).not.toContain('data-testid="screen-qr"');
    expect(memberHtml).not.toContain("check-in?t=");

    const outsider = await screenAs("outsider");
    expect(outsider.status).toBe(403);
    expect(await outsider.text()).not.toContain('data-testid="screen"');
    const anonymous = await screenAs(null);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toContain("/login");
  });

  it("while a vote hides its counts, the screen has turnout only; after the close, the result", async () => {
    const chair = await connectSocket(server, tokens.staff!, sockets);
    const voter = await connectSocket(server, tokens.resident1!, sockets);
    await must(chair, "session:open", { sessionId });
    for (const who of ["staff", "grid1", "wuye", "yeweihui", "resident1"]) await must(chair, "session:checkIn", { sessionId, userId: ids[who] });
    await must(chair, "session:openItem", { sessionId, itemId: itemIds[0] });
    const { id: motionId } = (await must(chair, "motion:propose", {
      sessionId,
      agendaItemId: itemIds[0],
      text: "投影测试动议",
      hideResults: true,
    })) as unknown as { id: string };
    await must(voter, "motion:second", { motionId });
    await must(chair, "vote:open", { motionId });
    await must(voter, "vote:cast", { motionId, clientBallotId: "screen-ballot-1", seq: 1, choice: "yes" });

    const during = await (await screenAs("resident3")).text();
    expect(during).toContain('data-testid="screen-tally" data-cast="1"');
    expect(during).toContain('data-testid="screen-hidden"');
    expect(during).not.toContain("screen-count-");
    // Nor in the loader's data that comes with the page.
    expect(during).not.toMatch(/"counts"/);

    await must(chair, "vote:close", { motionId });
    const after = await (await screenAs("resident3")).text();
    expect(after).toContain('data-testid="screen-result"');
    expect(after).toMatch(/data-testid="screen-result-yes"[^>]*>1</);
  });
});
