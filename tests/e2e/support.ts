// Shared steps for the end-to-end tests: the demo accounts (prisma/seed.ts,
// DEMO_USERS; every password is yishi2026) and what a person does to sign in
// and reach an agenda item.
import { expect, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";

export const PASSWORD = "yishi2026";

export const USERS = {
  staff: { username: "staff", phone: "13800000001", name: "王芳" },
  secretary: { username: "secretary", phone: "13800000002", name: "李敏" },
  grid1: { username: "grid1", phone: "13800000003", name: "张伟" },
  wuye: { username: "wuye", phone: "13800000004", name: "赵强" },
  yeweihui: { username: "yeweihui", phone: "13800000005", name: "陈静" },
  resident1: { username: "resident1", phone: "13800000006", name: "刘建国" },
  resident2: { username: "resident2", phone: "13800000007", name: "孙秀兰" },
  resident3: { username: "resident3", phone: "13800000008", name: "周明" },
  observer: { username: "observer", phone: "13800000009", name: "吴晓东" },
  outsider: { username: "outsider", phone: "13800000010", name: "郑涛" },
  /** The street office of 金凤区 (a district super-user over 幸福里). */
  jiedao: { username: "jiedao", phone: "13800000011", name: "金凤区街道办" },
  /** Oversees the whole deployment: the dashboard of every street office, nothing else. */
  shiji: { username: "shiji", phone: "13800000013", name: "银川市看板" },
} as const;
export type DemoUser = (typeof USERS)[keyof typeof USERS];

/** The demo session (幸福里社区红色议事会 第12次会议) and its agenda, as seeded. */
export const DEMO_SESSION_TITLE = "幸福里社区红色议事会 第12次会议";
export const DEMO_ITEMS = ["3号楼后消防通道停车问题", "中心绿地被挖种菜的处理", "5号楼雨水管道堵塞维修"] as const;

/** Fills the sign-in form and submits it; does not wait for the outcome. */
export async function submitSignIn(page: Page, identifier: string, password = PASSWORD): Promise<void> {
  if (!page.url().includes("/login")) await page.goto("/login");
  const form = page.locator("main form");
  await form.locator('input[name="identifier"]').fill(identifier);
  await form.locator('input[name="password"]').fill(password);
  await form.locator('button[type="submit"]').click();
}

/** Signs in through the form and waits until the top bar names the person. */
export async function signIn(page: Page, user: DemoUser, identifier: string = user.username): Promise<void> {
  await page.goto("/login");
  await submitSignIn(page, identifier);
  await expect(page.getByTestId("current-user")).toHaveText(user.name);
  await expect(page).toHaveURL(/\/$/);
}

/** A separate browser (own cookies) with one signed-in page. */
export async function signedInPage(
  browser: Browser,
  user: DemoUser,
  options: Parameters<Browser["newContext"]>[0] = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await signIn(page, user);
  return { context, page };
}

/** From the home page, opens the demo session by its link. */
export async function openDemoSession(page: Page): Promise<void> {
  await page.goto("/");
  await page.getByRole("link", { name: DEMO_SESSION_TITLE }).click();
  await expect(page).toHaveURL(/\/sessions\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1, name: DEMO_SESSION_TITLE })).toBeVisible();
}

/** Opens agenda item `title` of the demo session the way a member would; returns its path. */
export async function openAgendaItem(page: Page, title: string): Promise<string> {
  await openDemoSession(page);
  await page.getByTestId("agenda-item-link").filter({ hasText: title }).click();
  await expect(page).toHaveURL(/\/sessions\/[^/]+\/items\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  return new URL(page.url()).pathname;
}

/** The live editor, once its document is synced with the server. */
export async function liveEditor(page: Page, { editable }: { editable: boolean }): Promise<Locator> {
  const editor = page.getByTestId("agenda-editor");
  await expect(editor).toBeVisible();
  await expect(editor).toHaveAttribute("contenteditable", String(editable));
  await expect(page.getByTestId("editor-status")).toHaveAttribute("data-synced", "true");
  return editor;
}

/**
 * Where ProseMirror itself (not just the DOM) has the caret: index of its block,
 * how many blocks there are, whether the caret is at that block's end and the block is empty.
 * Tiptap keeps its editor on the contenteditable element.
 */
export function caretBlock(editor: Locator): Promise<{ index: number; blocks: number; atBlockEnd: boolean; emptyBlock: boolean }> {
  type Pos = { index(depth: number): number; parentOffset: number; parent: { content: { size: number } } };
  type View = { editor: { state: { doc: { childCount: number }; selection: { empty: boolean; $head: Pos } } } };
  return editor.evaluate((element) => {
    const { state } = (element as unknown as View).editor;
    const { $head, empty } = state.selection;
    return {
      index: $head.index(0),
      blocks: state.doc.childCount,
      atBlockEnd: empty && $head.parentOffset === $head.parent.content.size,
      emptyBlock: $head.parent.content.size === 0,
    };
  });
}

/**
 * Puts the caret at the end of the text and starts a new, empty paragraph there.
 * A remote change that lands between a key that moves the caret and the editor
 * reading the new DOM selection puts the caret back where it was (an upstream
 * y-prosemirror race, yjs/y-prosemirror#146), so each step waits until the editor
 * agrees, pressing the key again if the move was lost.
 */
export async function startNewParagraphAtEnd(page: Page, editor: Locator): Promise<void> {
  await editor.click();
  await expect(editor).toBeFocused();
  await expect(async () => {
    await page.keyboard.press("ControlOrMeta+End");
    const caret = await caretBlock(editor);
    expect(caret.atBlockEnd && caret.index === caret.blocks - 1).toBe(true);
  }).toPass({ intervals: [50, 100, 250, 500] });
  const { blocks } = await caretBlock(editor);
  await page.keyboard.press("Enter");
  await expect.poll(() => caretBlock(editor)).toMatchObject({ blocks: blocks + 1, index: blocks, emptyBlock: true });
}

/** Starts a new paragraph at the end of the text and types `text` into it. */
export async function typeNewParagraph(page: Page, editor: Locator, text: string): Promise<void> {
  await startNewParagraphAtEnd(page, editor);
  await page.keyboard.type(text);
}

/** Tries a WebSocket to /yjs/<doc> from the page (with its cookies): "open", or how it was refused. */
export async function probeYjsSocket(page: Page, docName: string): Promise<"open" | "refused"> {
  return page.evaluate(
    (name) =>
      new Promise<"open" | "refused">((resolve) => {
        const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/yjs/${encodeURIComponent(name)}`);
        ws.onopen = () => {
          ws.close();
          resolve("open");
        };
        ws.onerror = () => resolve("refused");
        ws.onclose = () => resolve("refused");
      }),
    docName,
  );
}

/**
 * The document's text as the person reads it, one line per block: remote carets
 * (and their name labels, which sit inside the editable element) left out.
 */
export function documentText(editor: Locator): Promise<string> {
  return editor.evaluate((root) =>
    Array.from(root.children)
      .map((block) => {
        const copy = block.cloneNode(true) as Element;
        copy.querySelectorAll(".collaboration-carets__caret").forEach((caret) => caret.remove());
        return copy.textContent ?? "";
      })
      .join("\n"),
  );
}
