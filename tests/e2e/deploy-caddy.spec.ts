// The city deployment's topology by hand (tests/fixtures/topology.ts: PostgreSQL, Redis, the
// one-shot migration, two nodes, Caddy on deploy/Caddyfile over HTTPS), driven by real
// browsers: what only a browser checks is its own cookie rules (Secure, SameSite) over HTTPS
// through the proxy, the page's CSP letting its WebSockets reach the proxy, and the page's own
// reconnect when its node dies. Two browsers pinned by Caddy's cookie to the two nodes co-edit;
// the first one's node is killed with SIGKILL and its page carries on through the other.
// Skipped where there is no PostgreSQL (YISHI_TEST_POSTGRES_URL) or, outside CI, no caddy.
import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import type { RunningServer } from "../fixtures/server";
import { startTopology, topologyEnabled, type Topology } from "../fixtures/topology";
import { DEMO_ITEMS, USERS, liveEditor, openAgendaItem, signIn, typeNewParagraph, type DemoUser } from "./support";

let topology: Topology;

test.describe("through Caddy, two nodes", () => {
  test.skip(!topologyEnabled, "needs YISHI_TEST_POSTGRES_URL and caddy (.ci/run has both)");
  test.describe.configure({ timeout: 180_000 });

  test.beforeAll(async () => {
    topology = await startTopology("e2e_caddy");
    expect(topology.migrations.map((m) => m.status)).toEqual([0, 0]);
  });
  test.afterAll(async () => topology?.stop());

  async function browserOn(browser: Browser, user: DemoUser): Promise<{ context: BrowserContext; page: Awaited<ReturnType<BrowserContext["newPage"]>> }> {
    // Caddy's local CA is not the browser's: the certificate is checked by the Vitest test (tests/deploy-topology.test.ts).
    const context = await browser.newContext({ baseURL: topology.base, ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await signIn(page, user);
    return { context, page };
  }
  const nodeCookie = async (context: BrowserContext) => (await context.cookies()).find((c) => c.name === "yishi_node");

  test("two browsers on two nodes co-edit through Caddy; one node killed, its page reconnects to the other", async ({ browser }) => {
    const staff = await browserOn(browser, USERS.staff);
    const resident = await browserOn(browser, USERS.resident1);
    try {
      // Over HTTPS the session cookie is Secure (COOKIE_SECURE=always) and the browser keeps it.
      const session = (await staff.context.cookies()).find((c) => c.name === "yishi_session");
      expect(session?.secure).toBe(true);
      expect((await nodeCookie(staff.context))?.value).toMatch(/^[0-9a-f]{16,}$/);
      // Pin the second browser to the other node: a new node cookie until Caddy picks the other one.
      for (let i = 0; (await nodeCookie(resident.context))?.value === (await nodeCookie(staff.context))?.value; i++) {
        expect(i, "Caddy never picked the other node").toBeLessThan(40);
        await resident.context.clearCookies({ name: "yishi_node" });
        await resident.page.goto("/");
      }
      await expect(resident.page.getByTestId("current-user")).toHaveText(USERS.resident1.name);

      const item = DEMO_ITEMS[2];
      const [first, second] = topology.nodes as [RunningServer, RunningServer];
      const itemPath = await openAgendaItem(staff.page, item);
      const staffEditor = await liveEditor(staff.page, { editable: true });
      // The staff page's Yjs WebSocket is on its cookie's node; the resident's on the other one.
      await expect.poll(async () => (await topology.connectionsOn(first)) + (await topology.connectionsOn(second))).toBe(1);
      const [staffNode, otherNode] = (await topology.connectionsOn(first)) === 1 ? [first, second] : [second, first];
      expect(await openAgendaItem(resident.page, item)).toBe(itemPath);
      const residentEditor = await liveEditor(resident.page, { editable: true });
      await expect.poll(() => topology.connectionsOn(otherNode)).toBe(1);
      expect(await topology.connectionsOn(staffNode)).toBe(1);

      const run = Date.now().toString(36);
      await typeNewParagraph(staff.page, staffEditor, `经代理王芳写 ${run}`);
      await expect(residentEditor).toContainText(`经代理王芳写 ${run}`);
      await typeNewParagraph(resident.page, residentEditor, `经代理刘建国写 ${run}`);
      await expect(staffEditor).toContainText(`经代理刘建国写 ${run}`);

      // The staff browser's node dies mid-edit; the page reconnects through Caddy to the other node.
      await staffNode.kill9();
      await expect.poll(() => topology.connectionsOn(otherNode), { timeout: 30_000 }).toBe(2);
      await expect(staff.page.getByTestId("editor-status")).toHaveAttribute("data-synced", "true", { timeout: 30_000 });
      await typeNewParagraph(staff.page, staffEditor, `节点倒下后继续 ${run}`);
      await expect(residentEditor).toContainText(`节点倒下后继续 ${run}`);
      // A reload (its node cookie names the dead node) is served by the survivor, with everything kept.
      await staff.page.reload();
      const reloaded = await liveEditor(staff.page, { editable: true });
      for (const line of [`经代理王芳写 ${run}`, `经代理刘建国写 ${run}`, `节点倒下后继续 ${run}`]) await expect(reloaded).toContainText(line);
    } finally {
      await staff.context.close();
      await resident.context.close();
    }
  });
});
