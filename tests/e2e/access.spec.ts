import { expect, test } from "@playwright/test";
import { DEMO_ITEMS, USERS, documentText, liveEditor, openAgendaItem, probeYjsSocket, signedInPage } from "./support";

const ITEM = DEMO_ITEMS[1];
const docNameOf = (itemPath: string) => `agenda-item:${itemPath.split("/").pop()}`;

test("someone from another community cannot open the item page or its live document", async ({ browser }) => {
  // A member finds the item, as a link someone might forward.
  const member = await signedInPage(browser, USERS.staff);
  const itemPath = await openAgendaItem(member.page, ITEM);
  const sessionPath = itemPath.replace(/\/items\/.*$/, "");
  // The same check from a member's browser opens, so a refusal below means something.
  expect(await probeYjsSocket(member.page, docNameOf(itemPath))).toBe("open");
  await member.context.close();

  const outsider = await signedInPage(browser, USERS.outsider);
  try {
    const { page } = outsider;
    // Their own home page does not list 幸福里社区.
    await expect(page.getByRole("heading", { level: 2, name: "幸福里社区" })).toHaveCount(0);

    for (const path of [itemPath, sessionPath]) {
      const response = await page.goto(path);
      expect([403, 404]).toContain(response?.status());
      await expect(page.getByRole("alert").getByRole("heading", { level: 1 })).toHaveText(/^(403|404) · /);
      await expect(page.getByText(ITEM)).toHaveCount(0);
      await expect(page.getByTestId("agenda-editor")).toHaveCount(0);
    }
    expect(await probeYjsSocket(page, docNameOf(itemPath))).toBe("refused");
  } finally {
    await outsider.context.close();
  }
});

for (const user of [USERS.observer, USERS.resident3]) {
  test(`${user.username} (${user.name}) may read an agenda item but not edit it`, async ({ browser }) => {
    const { context, page } = await signedInPage(browser, user);
    try {
      await openAgendaItem(page, ITEM);
      await expect(page.getByText("你可以查看，但不能编辑")).toBeVisible();
      const editor = await liveEditor(page, { editable: false });
      await expect(editor).toContainText("中心绿地");
      // They are connected and listed as present.
      await expect(page.getByTestId("present-person").filter({ hasText: "（我）" })).toHaveCount(1);

      const before = await documentText(editor);
      await editor.click();
      await page.keyboard.press("ControlOrMeta+End");
      await page.keyboard.type("不应出现的文字");
      await page.keyboard.press("Enter");
      await page.keyboard.press("Backspace");
      await expect(editor).not.toContainText("不应出现的文字");
      expect(await documentText(editor)).toBe(before);

      // Nor does anything reach the server: a fresh load shows the same text.
      await page.reload();
      const reloaded = await liveEditor(page, { editable: false });
      expect(await documentText(reloaded)).toBe(before);
    } finally {
      await context.close();
    }
  });
}
