// A city's deployment in miniature: two nodes on one PostgreSQL database and one
// Redis. A client on each node co-edits a document, votes and hears the other's live
// events; then one node is killed with SIGKILL mid-session and the clients carry on
// through the other (as a load balancer would send them), losing nothing they saw.
import { randomBytes } from "node:crypto";
import { io as ioClient, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSeatedMembersTo } from "./fixtures/bulk";
import { createPostgresDatabase, queryRows } from "./fixtures/database";
import { startRedis, startServer, tokenFor, type RunningServer } from "./fixtures/server";
import { addParagraph, connectDoc, proseText, until } from "./fixtures/yjs-client";

const enabled = !!process.env.YISHI_TEST_POSTGRES_URL;
let redis: Awaited<ReturnType<typeof startRedis>>;
let a: RunningServer;
let b: RunningServer;
let url: string;
const sockets: Socket[] = [];

type Reply = { ok: boolean; status?: number; error?: string; [k: string]: unknown };
function connect(s: RunningServer, token: string): Promise<Socket> {
  const socket = ioClient(s.url, { path: "/socket.io", transports: ["websocket"], auth: { token }, forceNew: true, reconnection: false });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}
const ask = (s: Socket, event: string, payload: unknown) =>
  new Promise<Reply>((resolve, reject) => s.timeout(10_000).emit(event, payload, (err: Error | null, reply: Reply) => (err ? reject(err) : resolve(reply))));
async function must(s: Socket, event: string, payload: unknown): Promise<Reply> {
  const reply = await ask(s, event, payload);
  if (!reply.ok) throw new Error(`${event}: ${reply.status} ${reply.error}`);
  return reply;
}

beforeAll(async () => {
  if (!enabled) return;
  redis = await startRedis();
  url = await createPostgresDatabase("multinode");
  a = await startServer(url, undefined, { REDIS_URL: redis.url, YISHI_YJS_CATCH_UP_MS: "1000" });
  b = await startServer(url, undefined, { REDIS_URL: redis.url, YISHI_YJS_CATCH_UP_MS: "1000" });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await a?.stop();
  await b?.stop();
  await redis?.stop();
});

describe.skipIf(!enabled)("two nodes on PostgreSQL and Redis", () => {
  it("co-edit, vote and hear each other; one node killed with SIGKILL, the clients carry on through the other", async () => {
    const staff = await tokenFor(a, "staff");
    const resident = await tokenFor(b, "resident1");
    const html = await (await fetch(`${a.url}/`, { headers: { Authorization: `Bearer ${staff}` } })).text();
    const sessionId = html.match(/\/sessions\/([A-Za-z0-9_-]+)/)![1]!;
    const items = await queryRows<{ id: string }>(url, `SELECT "id" FROM "AgendaItem" WHERE "sessionId" = $1 ORDER BY "position"`, [sessionId]);
    const docName = `agenda-item:${items[1]!.id}`;

    // Co-editing through both nodes.
    const onA = connectDoc(a.url, docName, staff);
    const onB = connectDoc(b.url, docName, resident);
    await Promise.all([onA.synced, onB.synced]);
    addParagraph(onA.doc, "甲节点写入");
    addParagraph(onB.doc, "乙节点写入");
    await until(() => proseText(onB.doc).includes("甲节点写入") && proseText(onA.doc).includes("乙节点写入"), "each node's edit on the other");

    // A vote: the chair on node a, members on both.
    // Eight more seated members present (the quorum); four of them vote, two on each node.
    const seated = await addSeatedMembersTo(url, 8, "node");
    const members = seated.slice(0, 4);
    const chair = await connect(a, staff);
    await must(chair, "session:join", { sessionId });
    const onNode = await Promise.all(members.map((m, i) => connect(i < 2 ? a : b, m.token)));
    await Promise.all(onNode.map((s) => must(s, "session:join", { sessionId })));
    const tallies: number[] = [];
    onNode[2]!.on("vote:tally", (t: { cast: number }) => tallies.push(t.cast));
    await must(chair, "session:open", { sessionId });
    for (const m of seated) await must(chair, "session:checkIn", { sessionId, userId: m.userId });
    await must(chair, "session:openItem", { sessionId, itemId: items[1]!.id });
    const { id: motionId } = (await must(chair, "motion:propose", {
      sessionId,
      agendaItemId: items[1]!.id,
      text: "两节点表决",
      options: ["赞成", "反对"],
      ballot: "open",
      passRule: "majorityPresent",
    })) as unknown as { id: string };
    await must(onNode[0]!, "motion:second", { motionId });
    await must(chair, "vote:open", { motionId });
    const ballots = members.map(() => ({ clientBallotId: randomBytes(9).toString("base64url"), seq: 1 }));
    // The two members on node a vote; a member on node b hears the tally.
    await Promise.all([0, 1].map((i) => must(onNode[i]!, "vote:cast", { motionId, ...ballots[i], choice: "赞成" })));
    await until(() => tallies.includes(2), "node a's ballots in the tally on node b");

    // Node a dies mid-session.
    addParagraph(onB.doc, "杀死前的最后一句");
    await until(() => proseText(onA.doc).includes("杀死前的最后一句"), "the last edit seen on node a");
    const seen = proseText(onA.doc);
    await a.kill9();
    onA.destroy();

    // Its clients come back through node b (what the proxy does when a node stops answering).
    const chairAgain = await connect(b, staff);
    await must(chairAgain, "session:join", { sessionId });
    const again = await Promise.all([0, 1].map((i) => connect(b, members[i]!.token)));
    // A phone that never saw its acknowledgement resends the same ballot: it counts once.
    const resent = await ask(again[0]!, "vote:cast", { motionId, ...ballots[0], choice: "赞成" });
    expect(resent.ok).toBe(true);
    await Promise.all([2, 3].map((i) => must(onNode[i]!, "vote:cast", { motionId, ...ballots[i], choice: i === 2 ? "赞成" : "反对" })));
    const closed = new Promise<{ result: { counts: Record<string, number> } }>((r) => onNode[3]!.once("vote:closed", r));
    const result = (await must(chairAgain, "vote:close", { motionId })) as unknown as { counts: Record<string, number> };
    expect(result.counts).toEqual({ 赞成: 3, 反对: 1 });
    expect((await closed).result.counts).toEqual({ 赞成: 3, 反对: 1 });

    // The document, reopened through node b, has everything node a's client saw, and goes on.
    const reopened = connectDoc(b.url, docName, staff);
    await reopened.synced;
    for (const line of ["甲节点写入", "乙节点写入", "杀死前的最后一句"]) expect(proseText(reopened.doc)).toContain(line);
    expect(proseText(reopened.doc).length).toBeGreaterThanOrEqual(seen.length);
    addParagraph(reopened.doc, "杀死后继续");
    await until(() => proseText(onB.doc).includes("杀死后继续"), "editing to carry on through node b");
    reopened.destroy();
    onB.destroy();
    for (const s of again) s.disconnect();
  });
});
