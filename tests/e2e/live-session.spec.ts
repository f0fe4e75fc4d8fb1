// Issue 4 end to end: a live council session (问题共商) run from the pages, on
// several screens at once. The chair's screen, members' phones (360 px) and an
// observer's screen follow the same session live: check-in by QR code and by the
// chair, the quorum, the speaking queue, a motion, the vote and its live tally,
// ballots kept across a dropped connection, and the stored result.
//
// Each test schedules its own session through the API (other spec files use the
// seeded one), so the runs never depend on each other.
import { expect, test, type Browser, type BrowserContext, type Locator, type Page, type WebSocketRoute } from "@playwright/test";
import { io } from "socket.io-client";
import { expectAxeClean } from "./live-support";
import { USERS, signIn, signedInPage, type DemoUser } from "./support";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;

// What the pages say (zh-CN, app/i18n/live.zh-CN.ts).
const TEXT = {
  offline: "网络已断开，正在重连；已投的票会在恢复后自动补交。",
  refusedClosed: "表决已结束，这张票未计入。",
  open: "进行中",
  scheduled: "待召开",
  quorumMet: "已达法定人数",
  quorumNotMet: "未达法定人数",
  asMember: "你已签到（议事会成员）",
  asObserver: "你已签到（列席）",
  proposed: "待附议",
  seconded: "已附议，待表决",
  voting: "表决中",
  closed: "已结束",
  quorumRefused: "未达法定人数（出席 3 人，需要 4 人），不能表决。",
} as const;

const quorumLine = (present: number) => `出席 ${present}/6 人，法定人数 4 人`;

type Screen = { context: BrowserContext; page: Page };

// ——— Sessions and live actions through the API ———

/**
 * What a page's own fetch sends: a cookie-authenticated state change must name
 * this site in Origin, or the server refuses it as cross-site (docs/security.md).
 */
const fromPage = (page: Page) => ({ Origin: new URL(page.url()).origin });

/** A unique name per test and repetition, so `--repeat-each` runs never meet. */
function uniqueTitle(title: string): string {
  const info = test.info();
  return `${title} #${info.repeatEachIndex + 1}-${Date.now().toString(36)}`;
}

/** Staff schedule a session of their council with free agenda items; returns its id and the items' ids. */
async function scheduleSession(staff: Page, title: string, items: string[]): Promise<{ id: string; itemIds: string[] }> {
  const me = await staff.request.get("/api/v1/me");
  expect(me.ok()).toBe(true);
  const councilId = ((await me.json()) as { seats: { councilId: string }[] }).seats[0]!.councilId;
  const created = await staff.request.post("/api/v1/sessions", {
    headers: fromPage(staff),
    data: { councilId, title, scheduledAt: "2030-01-15T19:00", place: "幸福里社区党群服务中心二楼", mode: "inPerson" },
  });
  expect(created.ok(), await created.text()).toBe(true);
  const { id } = (await created.json()) as { id: string };
  const itemIds: string[] = [];
  for (const item of items) {
    const added = await staff.request.post(`/api/v1/sessions/${id}/agenda`, {
      headers: fromPage(staff),
      data: { title: item, text: `${item}：请议事会成员讨论。`, timeSlotMin: 15 },
    });
    expect(added.ok(), await added.text()).toBe(true);
    itemIds.push(((await added.json()) as { agendaItemId: string }).agendaItemId);
  }
  return { id, itemIds };
}

/** POST /api/v1/live/<action> as the person signed in on `page`; expects it to succeed. */
async function act(page: Page, action: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await page.request.post(`/api/v1/live/${action}`, { headers: fromPage(page), data: body });
  expect(response.ok(), `${action}: ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as Record<string, unknown>;
}

type ApiMotion = {
  id: string;
  text: string;
  status: string;
  seconder: string | null;
  result: null | { counts: Record<string, number>; cast: number; passed: boolean; roll?: { name: string; choice: string }[] };
};
type ApiState = {
  status: string;
  quorum: { present: number; required: number; met: boolean };
  attendance: { name: string; kind: string; method: string }[];
  motions: ApiMotion[];
  items: { id: string; resolutionText: string | null }[];
  tally: null | { motionId: string; cast: number; counts?: Record<string, number> };
};

/** GET /api/v1/sessions/<id>/live: what the server has stored. */
async function liveStateOf(page: Page, sessionId: string): Promise<ApiState> {
  const response = await page.request.get(`/api/v1/sessions/${sessionId}/live`);
  expect(response.ok(), await response.text()).toBe(true);
  return (await response.json()) as ApiState;
}

/** A person's user id, from the chair's check-in list (option value = user id). */
async function userIdOf(chair: Page, name: string): Promise<string> {
  const value = await chair.locator("#check-in-person option", { hasText: name }).getAttribute("value");
  expect(value).toBeTruthy();
  return value!;
}

// ——— Screens ———

/** Opens the live page from the session page's link and waits until the page is connected. */
async function goLive(page: Page, sessionId: string): Promise<void> {
  await page.goto(`/sessions/${sessionId}`);
  await page.getByTestId("go-live").click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${sessionId}/live$`));
  await expectConnected(page);
}

/** The page says it is offline until its Socket.IO connection is up. */
async function expectConnected(page: Page): Promise<void> {
  await expect(page.getByTestId("live-status")).toBeVisible();
  await expect(page.getByText(TEXT.offline)).toHaveCount(0);
}

/**
 * A phone whose connection the test can drop: every Socket.IO WebSocket goes
 * through Playwright, so going offline both emulates no network and closes the
 * open sockets itself (older Chromium kept WebSockets open when offline,
 * microsoft/playwright#4910), and new ones fail until the test goes online
 * again. `dropAcks` loses the server's acknowledgements of ballots, as a
 * connection dying mid-vote would; `ballotsSent` records what the page sent.
 */
class Phone {
  online = true;
  /** How many ballot acknowledgements to lose before letting them through again. */
  dropAcks = 0;
  droppedAcks = 0;
  /** vote:cast frames the page sent, as sent (a resend repeats the clientBallotId). */
  readonly ballotsSent: { clientBallotId: string; choice: string }[] = [];
  private readonly sockets = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(browser: Browser, user: DemoUser): Promise<Phone> {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const phone = new Phone(context, page);
    await context.routeWebSocket(/\/socket\.io\//, (ws) => phone.route(ws));
    await signIn(page, user);
    return phone;
  }

  private route(ws: WebSocketRoute): void {
    if (!this.online) {
      // No network: the connection fails, and Socket.IO tries again later.
      void ws.close({ code: 4000, reason: "offline" }).catch(() => {});
      return;
    }
    const server = ws.connectToServer();
    const pair = { page: ws, server };
    this.sockets.add(pair);
    ws.onMessage((message) => {
      const ballot = typeof message === "string" ? /^42\d*\["vote:cast",(\{.*\})\]$/.exec(message) : null;
      if (ballot) {
        const b = JSON.parse(ballot[1]!) as { clientBallotId: string; choice: string };
        this.ballotsSent.push({ clientBallotId: b.clientBallotId, choice: b.choice });
      }
      server.send(message);
    });
    server.onMessage((message) => {
      // An acknowledgement of a ballot: engine.io message (4), socket.io ACK (3), ack id, [reply].
      if (this.dropAcks > 0 && typeof message === "string" && /^43\d+\[\{"ok":true,"clientBallotId"/.test(message)) {
        this.dropAcks--;
        this.droppedAcks++;
        return;
      }
      ws.send(message);
    });
    ws.onClose(() => {
      this.sockets.delete(pair);
      void server.close().catch(() => {});
    });
    server.onClose(() => {
      this.sockets.delete(pair);
      void ws.close().catch(() => {});
    });
  }

  /** The phone loses its network: open connections drop, new ones fail, the page says so. */
  async goOffline(): Promise<void> {
    this.online = false;
    await this.context.setOffline(true);
    for (const pair of [...this.sockets]) {
      this.sockets.delete(pair);
      await pair.page.close({ code: 4000, reason: "offline" }).catch(() => {});
      await pair.server.close().catch(() => {});
    }
    await expect(this.page.getByText(TEXT.offline)).toBeVisible();
  }

  /** The network is back: Socket.IO reconnects on its own (with its back-off) and re-joins. */
  async goOnline(): Promise<void> {
    await this.context.setOffline(false);
    this.online = true;
    // Socket.IO's reconnection back-off can reach 5 s (7.5 s randomised), and an attempt begun while offline may
    // wait out engine.io's 20 s connect timeout before the next one: seen once in CI, 1 in 3 runs on a quiet machine.
    await expect(this.page.getByText(TEXT.offline)).toHaveCount(0, { timeout: 35_000 });
  }
}

/** Nothing on the page is wider than the phone: no sideways scrolling. */
async function expectFitsPhone(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.viewport.width);
}

/** The one motion on the current item, on `page`. */
const motionOn = (page: Page): Locator => page.getByTestId("motion");

/** The live tally on `page` shows `cast` ballots and these counts. */
async function expectTally(page: Page, cast: number, counts: { yes: number; no: number; abstain: number }): Promise<void> {
  const tally = motionOn(page).getByTestId("tally");
  await expect(tally).toHaveAttribute("data-cast", String(cast));
  await expect(tally).toContainText(`已投 ${cast} / 应投 6`);
  for (const [option, n] of Object.entries(counts)) await expect(tally.getByTestId(`count-${option}`)).toHaveText(String(n));
}

/** The stored result on `page`: passed or not, with these counts. */
async function expectResult(page: Page, passed: boolean, counts: { yes: number; no: number; abstain: number }): Promise<void> {
  const motion = motionOn(page);
  await expect(motion).toHaveAttribute("data-status", "closed");
  await expect(motion.getByTestId("motion-status")).toHaveText(TEXT.closed);
  const result = motion.getByTestId("result");
  await expect(result).toHaveAttribute("data-passed", String(passed));
  await expect(result).toContainText(passed ? "通过" : "未通过");
  for (const [option, n] of Object.entries(counts)) await expect(result.getByTestId(`result-${option}`)).toHaveText(String(n));
  await expect(motion.getByTestId("tally")).toHaveCount(0);
  await expect(motion.getByTestId("vote-buttons")).toHaveCount(0);
}

/** Clicks one of the big vote buttons on a phone. */
async function vote(page: Page, choice: "yes" | "no" | "abstain"): Promise<void> {
  await motionOn(page).getByTestId("vote-buttons").locator(`[data-choice="${choice}"]`).click();
}

const ballotState = (page: Page): Locator => motionOn(page).getByTestId("ballot-state");

/**
 * A session opened by the chair through the API, with the chair and three seated
 * members checked in (quorum: 4 of 6), the first item open, and a motion by
 * `proposer` seconded by `seconder` under vote. Returns the ids.
 */
async function sessionUnderVote(chair: Page, proposer: Phone, seconder: Phone, title: string) {
  const item = "小区南门电动车充电桩安装位置";
  const { id, itemIds } = await scheduleSession(chair, uniqueTitle(title), [item]);
  await act(chair, "session:open", { sessionId: id });
  await chair.goto(`/sessions/${id}/live`);
  await expectConnected(chair);
  for (const user of [USERS.staff, USERS.grid1, USERS.resident1, USERS.yeweihui]) {
    await act(chair, "session:checkIn", { sessionId: id, userId: await userIdOf(chair, user.name) });
  }
  await act(chair, "session:openItem", { sessionId: id, itemId: itemIds[0]! });
  const text = "同意在南门西侧空地安装电动车充电桩，由物业负责日常管理。";
  const { id: motionId } = (await act(proposer.page, "motion:propose", { sessionId: id, agendaItemId: itemIds[0]!, text })) as { id: string };
  await act(seconder.page, "motion:second", { motionId });
  await act(chair, "vote:open", { motionId });
  await expect(motionOn(chair)).toHaveAttribute("data-status", "voting");
  return { sessionId: id, motionId, text };
}

/** Sends one Socket.IO event as the person signed in on `context` (their cookie) and returns the acknowledgement. */
async function socketReply(context: BrowserContext, event: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const socket = io(test.info().project.use.baseURL!, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie }, reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    return (await socket.timeout(5000).emitWithAck(event, payload)) as Record<string, unknown>;
  } finally {
    socket.disconnect();
  }
}

async function closeAll(...screens: { context: BrowserContext }[]): Promise<void> {
  for (const s of screens) await s.context.close();
}

// ——— The whole flow on four screens ———

test("four screens: check-in by QR and by the chair, quorum live, a motion seconded and voted from phones, the tally live everywhere, the result stored", async ({
  browser,
}) => {
  const chair: Screen = await signedInPage(browser, USERS.staff);
  const memberA: Screen = await signedInPage(browser, USERS.resident1, PHONE); // 刘建国, scans the QR code
  const memberB: Screen = await signedInPage(browser, USERS.grid1, PHONE); // 张伟, checked in by the chair
  const observer: Screen = await signedInPage(browser, USERS.observer); // 吴晓东, 列席, scans the QR code
  const everyone = [chair, memberA, memberB, observer].map((s) => s.page);
  const [ITEM1, ITEM2] = ["3号楼后消防通道停车整治", "中心绿地恢复方案"];
  const MOTION = "同意在3号楼后消防通道两侧施划禁停黄线，由物业每晚巡查。";

  try {
    const { id: sessionId } = await scheduleSession(chair.page, uniqueTitle("端到端·现场会议"), [ITEM1, ITEM2]);

    // Everyone opens the live page from the session page; nobody is checked in yet.
    for (const page of everyone) await goLive(page, sessionId);
    for (const page of everyone) {
      await expect(page.getByTestId("live-status")).toHaveText(TEXT.scheduled);
      await expect(page.getByTestId("quorum")).toHaveAttribute("data-met", "false");
    }
    await expect(observer.page.getByTestId("open-session")).toHaveCount(0);
    await expect(memberA.page.getByTestId("open-session")).toHaveCount(0);

    // ——— The chair opens the session: every screen follows ———
    await chair.page.getByTestId("open-session").click();
    for (const page of everyone) {
      await expect(page.getByTestId("live-status")).toHaveText(TEXT.open);
      await expect(page.getByTestId("quorum")).toHaveText(TEXT.quorumNotMet);
      await expect(page.getByTestId("quorum-line")).toHaveText(quorumLine(0));
    }

    // ——— Check-in by the QR code on the meeting-room screen ———
    await chair.page.getByRole("button", { name: "显示签到二维码" }).click();
    await expect(chair.page.locator("figure.qr svg")).toBeVisible();
    await expect(chair.page.locator("figure.qr figcaption")).toContainText("扫码签到（有效至");
    const linkResponse = await chair.page.request.get(`/api/v1/sessions/${sessionId}/check-in-link`);
    expect(linkResponse.ok()).toBe(true);
    const { url: checkInUrl } = (await linkResponse.json()) as { url: string };
    expect(new URL(checkInUrl).pathname).toBe(`/sessions/${sessionId}/check-in`);
    expect(new URL(checkInUrl).searchParams.get("t")).toMatch(/^\d+\.\S+$/);
    // The link is the chair's: a member may not fetch one.
    expect((await memberA.page.request.get(`/api/v1/sessions/${sessionId}/check-in-link`)).status()).toBe(403);

    // A member's phone opens the scanned link: one big button, then back to the live page.
    await memberA.page.goto(checkInUrl);
    await expect(memberA.page.getByRole("heading", { level: 1, name: "会议签到" })).toBeVisible();
    await expectFitsPhone(memberA.page);
    await expectAxeClean(memberA.page, "the check-in page");
    await memberA.page.getByTestId("check-in").click();
    await expect(memberA.page).toHaveURL(new RegExp(`/sessions/${sessionId}/live\\?checkedIn=1$`));
    await expect(memberA.page.getByTestId("check-in-done")).toHaveText("签到成功！");
    await expectConnected(memberA.page);
    await expect(memberA.page.getByTestId("my-check-in")).toHaveText(TEXT.asMember);
    for (const page of everyone) await expect(page.getByTestId("quorum-line")).toHaveText(quorumLine(1));

    // The observer scans too: checked in as 列席, which does not count toward the quorum.
    await observer.page.goto(checkInUrl);
    await observer.page.getByTestId("check-in").click();
    await expect(observer.page).toHaveURL(new RegExp(`/sessions/${sessionId}/live\\?checkedIn=1$`));
    await expectConnected(observer.page);
    await expect(observer.page.getByTestId("my-check-in")).toHaveText(TEXT.asObserver);
    for (const page of everyone) {
      await expect(page.getByTestId("attendance")).toContainText(`列席${USERS.observer.name}`);
      await expect(page.getByTestId("quorum-line")).toHaveText(quorumLine(1));
    }

    // ——— The chair checks in the others by name ———
    const checkInByChair = async (name: string) => {
      await chair.page.locator("#check-in-person").selectOption({ label: name });
      await chair.page.getByTestId("chair-check-in").click();
      // Once in, a person leaves the chair's list.
      await expect(chair.page.locator("#check-in-person option", { hasText: name })).toHaveCount(0);
    };
    await checkInByChair(USERS.grid1.name);
    // Member B's own phone learns it live, without a reload.
    await expect(memberB.page.getByTestId("my-check-in")).toHaveText(TEXT.asMember);
    await checkInByChair(USERS.staff.name);
    for (const page of everyone) {
      await expect(page.getByTestId("quorum-line")).toHaveText(quorumLine(3));
      await expect(page.getByTestId("quorum")).toHaveAttribute("data-met", "false");
    }
    await expect(chair.page.getByTestId("live-error")).toHaveCount(0);

    // ——— The chair opens the first item ———
    await chair.page.getByRole("listitem").filter({ hasText: ITEM1 }).getByTestId("open-item").click();
    for (const page of everyone) await expect(page.getByTestId("current-item")).toContainText(ITEM1);
    await expect(chair.page.getByRole("listitem").filter({ hasText: ITEM1 }).getByTestId("open-item")).toHaveCount(0);
    await expect(chair.page.getByRole("listitem").filter({ hasText: ITEM2 }).getByTestId("open-item")).toHaveCount(1);
    await expect(chair.page.getByTestId("current-item")).toContainText("本项剩余");

    // ——— Member A puts a motion from the phone; member B seconds it ———
    await expect(observer.page.getByTestId("propose-open")).toHaveCount(0);
    await memberA.page.getByTestId("propose-open").click();
    await memberA.page.locator("#motion-text").fill(MOTION);
    await expect(memberA.page.locator("#motion-ballot")).toHaveValue("open");
    await expect(memberA.page.locator("#motion-rule")).toHaveValue("majorityCast");
    await memberA.page.getByTestId("propose-submit").click();
    for (const page of everyone) {
      await expect(motionOn(page)).toHaveCount(1);
      await expect(motionOn(page)).toContainText(MOTION);
      await expect(motionOn(page)).toHaveAttribute("data-status", "proposed");
      await expect(motionOn(page).getByTestId("motion-status")).toHaveText(TEXT.proposed);
    }
    // No one seconds their own motion, and observers second nothing.
    await expect(motionOn(memberA.page).getByTestId("second")).toHaveCount(0);
    await expect(motionOn(observer.page).getByTestId("second")).toHaveCount(0);
    await motionOn(memberB.page).getByTestId("second").click();
    for (const page of everyone) {
      await expect(motionOn(page)).toHaveAttribute("data-status", "seconded");
      await expect(motionOn(page)).toContainText(`${USERS.grid1.name} 附议`);
    }

    // Without a quorum (3 of 4) the chair may not call the vote: the server says why.
    await motionOn(chair.page).getByTestId("open-vote").click();
    await expect(chair.page.getByTestId("live-error")).toHaveText(TEXT.quorumRefused);
    await expect(motionOn(chair.page)).toHaveAttribute("data-status", "seconded");

    // A fourth seated member arrives: the quorum is met on every screen, live.
    await checkInByChair(USERS.yeweihui.name);
    for (const page of everyone) {
      await expect(page.getByTestId("quorum")).toHaveAttribute("data-met", "true");
      await expect(page.getByTestId("quorum")).toHaveText(TEXT.quorumMet);
      await expect(page.getByTestId("quorum-line")).toHaveText(quorumLine(4));
    }

    // ——— The chair calls the vote ———
    await motionOn(chair.page).getByTestId("open-vote").click();
    await expect(chair.page.getByTestId("live-error")).toHaveCount(0);
    for (const page of everyone) {
      await expect(motionOn(page)).toHaveAttribute("data-status", "voting");
      await expect(motionOn(page).getByTestId("motion-status")).toHaveText(TEXT.voting);
    }
    // Seated members who are checked in get the big buttons; the observer does not.
    for (const page of [memberA.page, memberB.page]) {
      await expect(motionOn(page).getByTestId("vote-buttons").locator("button")).toHaveText(["赞成", "反对", "弃权"]);
      await expectFitsPhone(page);
    }
    await expect(motionOn(observer.page).getByTestId("vote-buttons")).toHaveCount(0);
    await expect(observer.page.locator("[data-choice]")).toHaveCount(0);
    // The tally shows at once on every screen, before any ballot.
    for (const page of everyone) await expectTally(page, 0, { yes: 0, no: 0, abstain: 0 });

    // ——— Both members vote from their phones; the tally moves on all four screens ———
    await vote(memberA.page, "yes");
    await expect(ballotState(memberA.page)).toHaveAttribute("data-state", "recorded");
    await expect(ballotState(memberA.page)).toContainText("您已选择：赞成");
    for (const page of everyone) await expectTally(page, 1, { yes: 1, no: 0, abstain: 0 });

    await vote(memberB.page, "no");
    await expect(ballotState(memberB.page)).toHaveAttribute("data-state", "recorded");
    for (const page of everyone) await expectTally(page, 2, { yes: 1, no: 1, abstain: 0 });

    // A member may change the vote while it is open: the last choice counts, once.
    await vote(memberB.page, "yes");
    await expect(ballotState(memberB.page)).toContainText("您已选择：赞成");
    await expect(ballotState(memberB.page)).toHaveAttribute("data-state", "recorded");
    for (const page of everyone) await expectTally(page, 2, { yes: 2, no: 0, abstain: 0 });

    // The observer cannot vote by going around the page either: the server refuses.
    const motionId = (await liveStateOf(observer.page, sessionId)).motions[0]!.id;
    const sneaked = await observer.page.request.post("/api/v1/live/vote:cast", {
      headers: fromPage(observer.page),
      data: { motionId, clientBallotId: "observer-ballot-1", seq: Date.now(), choice: "no" },
    });
    expect(sneaked.status()).toBe(403);
    // Nor over Socket.IO with the observer's own cookie.
    expect(await socketReply(observer.context, "vote:cast", { motionId, clientBallotId: "observer-ballot-2", seq: Date.now(), choice: "no" })).toMatchObject({
      ok: false,
      status: 403,
    });
    expect((await liveStateOf(chair.page, sessionId)).tally).toMatchObject({ motionId, cast: 2, counts: { yes: 2, no: 0, abstain: 0 } });

    // ——— The chair closes the vote: the stored result on every screen ———
    await motionOn(chair.page).getByTestId("close-vote").click();
    for (const page of everyone) await expectResult(page, true, { yes: 2, no: 0, abstain: 0 });
    // The motion became the item's resolution.
    for (const page of everyone) await expect(page.getByRole("listitem").filter({ hasText: ITEM1 })).toContainText(`决议：${MOTION}`);

    const stored = await liveStateOf(chair.page, sessionId);
    expect(stored.tally).toBeNull();
    expect(stored.motions).toHaveLength(1);
    expect(stored.motions[0]).toMatchObject({ id: motionId, text: MOTION, status: "closed", seconder: USERS.grid1.name });
    expect(stored.motions[0]!.result).toMatchObject({ cast: 2, passed: true, counts: { yes: 2, no: 0, abstain: 0 } });
    expect(stored.motions[0]!.result!.roll?.map((r) => `${r.name}:${r.choice}`).sort()).toEqual(
      [`${USERS.grid1.name}:yes`, `${USERS.resident1.name}:yes`].sort(),
    );
    expect(stored.items.find((i) => i.resolutionText)?.resolutionText).toBe(MOTION);
    expect(stored.quorum).toMatchObject({ present: 4, required: 4, met: true });
    expect(stored.attendance.map((a) => `${a.name}:${a.kind}:${a.method}`)).toEqual([
      `${USERS.resident1.name}:member:qr`,
      `${USERS.observer.name}:observer:qr`,
      `${USERS.grid1.name}:member:chair`,
      `${USERS.staff.name}:member:chair`,
      `${USERS.yeweihui.name}:member:chair`,
    ]);
    // A ballot after the close is refused, and the result cannot change.
    const late = await memberA.page.request.post("/api/v1/live/vote:cast", {
      headers: fromPage(memberA.page),
      data: { motionId, clientBallotId: "late-ballot-1", seq: Date.now(), choice: "no" },
    });
    expect(late.status()).toBe(409);
    expect((await liveStateOf(chair.page, sessionId)).motions[0]!.result).toMatchObject({ cast: 2, counts: { yes: 2, no: 0, abstain: 0 } });
  } finally {
    await closeAll(chair, memberA, memberB, observer);
  }
});

// ——— The speaking queue ———

test("speaking queue: a member raises a hand, the chair sees it and gives the floor, everyone sees who speaks", async ({ browser }) => {
  const chair: Screen = await signedInPage(browser, USERS.staff);
  const speaker: Screen = await signedInPage(browser, USERS.resident1, PHONE);
  const neighbour: Screen = await signedInPage(browser, USERS.grid1, PHONE);
  try {
    const { id: sessionId, itemIds } = await scheduleSession(chair.page, uniqueTitle("端到端·发言排队"), ["楼道堆物清理"]);
    await act(chair.page, "session:open", { sessionId });
    await goLive(chair.page, sessionId);
    for (const user of [USERS.resident1, USERS.grid1]) await act(chair.page, "session:checkIn", { sessionId, userId: await userIdOf(chair.page, user.name) });
    await act(chair.page, "session:openItem", { sessionId, itemId: itemIds[0]! });
    await goLive(speaker.page, sessionId);
    await goLive(neighbour.page, sessionId);
    const everyone = [chair.page, speaker.page, neighbour.page];
    for (const page of everyone) {
      await expect(page.getByTestId("current-item")).toContainText("楼道堆物清理");
      await expect(page.getByText("目前无人发言。")).toBeVisible();
      await expect(page.getByTestId("hands").locator("li")).toHaveCount(0);
    }

    // The member raises a hand on the phone; it shows in the chair's queue (and everyone's).
    await speaker.page.getByTestId("hand").click();
    await expect(speaker.page.getByTestId("hand")).toHaveText("放下手");
    for (const page of everyone) await expect(page.getByTestId("hands").locator("li")).toHaveText([new RegExp(`^${USERS.resident1.name}`)]);
    // Only the chair can give the floor.
    await expect(neighbour.page.getByTestId("hands").getByRole("button", { name: "请发言" })).toHaveCount(0);

    // The chair gives the floor: the queue empties, the speaker's name and timer show on the other screens.
    await chair.page.getByTestId("hands").locator("li").filter({ hasText: USERS.resident1.name }).getByRole("button", { name: "请发言" }).click();
    for (const page of [neighbour.page, chair.page, speaker.page]) {
      await expect(page.getByTestId("floor")).toContainText(`${USERS.resident1.name} 正在发言`);
      await expect(page.getByTestId("floor")).toContainText(/已发言 \d+:\d\d \/ 限时 \d+:\d\d/);
      await expect(page.getByTestId("hands").locator("li")).toHaveCount(0);
    }
    await expect(speaker.page.getByTestId("hand")).toHaveText("举手");
    // The speaker's timer runs on the other screens.
    await expect(neighbour.page.getByTestId("floor")).toContainText(/已发言 0:0[1-9]/);

    // The chair takes the floor back.
    await chair.page.getByTestId("floor").getByRole("button", { name: "结束发言" }).click();
    for (const page of everyone) {
      await expect(page.getByTestId("floor")).toHaveCount(0);
      await expect(page.getByText("目前无人发言。")).toBeVisible();
    }

    // A hand can be lowered again before the floor is given.
    await neighbour.page.getByTestId("hand").click();
    await expect(chair.page.getByTestId("hands").locator("li")).toHaveText([new RegExp(`^${USERS.grid1.name}`)]);
    await neighbour.page.getByTestId("hand").click();
    await expect(neighbour.page.getByTestId("hand")).toHaveText("举手");
    await expect(chair.page.getByTestId("hands").locator("li")).toHaveCount(0);
  } finally {
    await closeAll(chair, speaker, neighbour);
  }
});

// ——— Ballots and dropped connections ———

test("a ballot cast while the phone is offline is sent on reconnect, and a ballot whose acknowledgement is lost is resent and counted once", async ({
  browser,
}) => {
  const chair: Screen = await signedInPage(browser, USERS.staff);
  const memberA = await Phone.open(browser, USERS.resident1);
  const memberB = await Phone.open(browser, USERS.grid1);
  try {
    const { sessionId, motionId } = await sessionUnderVote(chair.page, memberA, memberB, "端到端·断网投票");
    await goLive(memberA.page, sessionId);
    await goLive(memberB.page, sessionId);
    for (const page of [chair.page, memberA.page, memberB.page]) await expectTally(page, 0, { yes: 0, no: 0, abstain: 0 });

    // ——— Offline: the ballot waits on the phone, then goes out when the network is back ———
    await memberA.goOffline();
    await vote(memberA.page, "yes");
    await expect(ballotState(memberA.page)).toHaveAttribute("data-state", "sending");
    await expect(ballotState(memberA.page)).toContainText("正在提交");
    // The server has nothing yet.
    expect((await liveStateOf(chair.page, sessionId)).tally).toMatchObject({ motionId, cast: 0 });
    // It is kept on the phone, not just in memory.
    expect(await memberA.page.evaluate((id) => localStorage.getItem(`yishi:ballots:${id}`), sessionId)).toContain('"choice":"yes"');

    await memberA.goOnline();
    await expect(ballotState(memberA.page)).toHaveAttribute("data-state", "recorded", { timeout: 15_000 });
    await expect(ballotState(memberA.page)).toContainText("已记录");
    for (const page of [chair.page, memberA.page, memberB.page]) await expectTally(page, 1, { yes: 1, no: 0, abstain: 0 });
    expect(await memberA.page.evaluate((id) => localStorage.getItem(`yishi:ballots:${id}`), sessionId)).toBe("[]");

    // ——— The server records a ballot but its acknowledgement is lost: the phone resends it ———
    memberB.dropAcks = 1;
    await vote(memberB.page, "no");
    await expect(ballotState(memberB.page)).toHaveAttribute("data-state", "recorded", { timeout: 15_000 });
    expect(memberB.droppedAcks).toBe(1);
    // The same ballot (same clientBallotId) went out at least twice...
    const sent = memberB.ballotsSent;
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sent.map((b) => b.clientBallotId)).size).toBe(1);
    // ...and counts once.
    for (const page of [chair.page, memberA.page, memberB.page]) await expectTally(page, 2, { yes: 1, no: 1, abstain: 0 });
    expect((await liveStateOf(chair.page, sessionId)).tally).toMatchObject({ motionId, cast: 2, counts: { yes: 1, no: 1, abstain: 0 } });

    // The chair closes: a tie is not a majority of votes cast.
    await motionOn(chair.page).getByTestId("close-vote").click();
    for (const page of [chair.page, memberA.page, memberB.page]) await expectResult(page, false, { yes: 1, no: 1, abstain: 0 });
    expect((await liveStateOf(chair.page, sessionId)).motions[0]).toMatchObject({
      id: motionId,
      status: "closed",
      result: { cast: 2, passed: false, counts: { yes: 1, no: 1, abstain: 0 } },
    });
  } finally {
    await closeAll(chair, memberA, memberB);
  }
});

test("a ballot cast offline that reaches the server after the vote closed is refused with a clear message and not counted", async ({ browser }) => {
  const chair: Screen = await signedInPage(browser, USERS.staff);
  const memberA = await Phone.open(browser, USERS.resident1);
  const memberB = await Phone.open(browser, USERS.grid1);
  try {
    const { sessionId, motionId } = await sessionUnderVote(chair.page, memberA, memberB, "端到端·结束后投票");
    await goLive(memberA.page, sessionId);
    await goLive(memberB.page, sessionId);

    await vote(memberB.page, "yes");
    await expect(ballotState(memberB.page)).toHaveAttribute("data-state", "recorded");
    await expectTally(chair.page, 1, { yes: 1, no: 0, abstain: 0 });

    // Member A's phone loses the network and votes 反对; meanwhile the chair closes the vote.
    await memberA.goOffline();
    await vote(memberA.page, "no");
    await expect(ballotState(memberA.page)).toHaveAttribute("data-state", "sending");
    await motionOn(chair.page).getByTestId("close-vote").click();
    await expectResult(chair.page, true, { yes: 1, no: 0, abstain: 0 });
    await expectResult(memberB.page, true, { yes: 1, no: 0, abstain: 0 });

    // Back online: the phone learns the vote is over and says plainly the ballot did not count.
    await memberA.goOnline();
    await expect(motionOn(memberA.page).getByRole("alert")).toHaveText(TEXT.refusedClosed, { timeout: 15_000 });
    await expectResult(memberA.page, true, { yes: 1, no: 0, abstain: 0 });
    expect(memberA.ballotsSent.filter((b) => b.choice === "no").length).toBeGreaterThanOrEqual(1);
    // Nothing is left to resend.
    expect(await memberA.page.evaluate((id) => localStorage.getItem(`yishi:ballots:${id}`), sessionId)).toBe("[]");
    const stored = await liveStateOf(chair.page, sessionId);
    expect(stored.motions[0]).toMatchObject({ id: motionId, status: "closed", result: { cast: 1, passed: true, counts: { yes: 1, no: 0, abstain: 0 } } });
    expect(stored.motions[0]!.result!.roll?.map((r) => r.name)).toEqual([USERS.grid1.name]);
    // The chair's screen never moved.
    await expectResult(chair.page, true, { yes: 1, no: 0, abstain: 0 });
  } finally {
    await closeAll(chair, memberA, memberB);
  }
});
