import { expect, test, type Page } from "@playwright/test";
import { DEMO_ITEMS, USERS, caretBlock, documentText, liveEditor, openAgendaItem, signedInPage, startNewParagraphAtEnd, typeNewParagraph } from "./support";

const ITEM = DEMO_ITEMS[0];

/** The presence chip of `name` on `page`. */
const chip = (page: Page, name: string) => page.getByTestId("present-person").filter({ hasText: name });
/** The label on `name`'s remote caret inside the editor on `page`. */
const caretLabel = (page: Page, name: string) => page.locator(".collaboration-carets__label", { hasText: name });

test("two council members co-edit one agenda item live, and the text is kept", async ({ browser }) => {
  const staff = await signedInPage(browser, USERS.staff);
  const resident = await signedInPage(browser, USERS.resident1);
  const run = Date.now().toString(36);
  const fromStaff = `王芳补充：周三前划好禁停标线 ${run}`;
  const fromResident = `刘建国：3号楼居民同意，建议加装监控 ${run}`;

  try {
    const itemPath = await openAgendaItem(staff.page, ITEM);
    expect(await openAgendaItem(resident.page, ITEM)).toBe(itemPath);
    const staffEditor = await liveEditor(staff.page, { editable: true });
    const residentEditor = await liveEditor(resident.page, { editable: true });
    // Both start from the seeded text.
    await expect(staffEditor).toContainText("消防通道");
    await expect(residentEditor).toContainText("消防通道");

    // Each sees who else is here, named by the server.
    await expect(chip(staff.page, USERS.resident1.name)).toBeVisible();
    await expect(chip(staff.page, USERS.resident1.name)).not.toContainText("（我）");
    await expect(chip(resident.page, USERS.staff.name)).toBeVisible();
    await expect(chip(resident.page, USERS.staff.name)).not.toContainText("（我）");
    // Two people here, one of them marked as me.
    for (const page of [staff.page, resident.page]) {
      await expect(page.getByTestId("present-person")).toHaveCount(2);
      await expect(page.getByTestId("present-person").filter({ hasText: "（我）" })).toHaveCount(1);
    }

    // One types, the other sees it, with the writer's caret labelled by name.
    await typeNewParagraph(staff.page, staffEditor, fromStaff);
    await expect(staffEditor).toContainText(fromStaff);
    await expect(residentEditor).toContainText(fromStaff);
    await expect(caretLabel(resident.page, USERS.staff.name)).toBeVisible();

    // And the other way round.
    await typeNewParagraph(resident.page, residentEditor, fromResident);
    await expect(residentEditor).toContainText(fromResident);
    await expect(staffEditor).toContainText(fromResident);
    await expect(caretLabel(staff.page, USERS.resident1.name)).toBeVisible();

    // Both end with the same text.
    await expect.poll(async () => (await documentText(staffEditor)) === (await documentText(residentEditor))).toBe(true);

    // A reload reconnects to the live document: nothing is lost.
    await resident.page.reload();
    const reloaded = await liveEditor(resident.page, { editable: true });
    await expect(reloaded).toContainText(fromStaff);
    await expect(reloaded).toContainText(fromResident);
    // No ghost of the page before the reload stays listed as present.
    await expect(chip(staff.page, USERS.resident1.name)).toHaveCount(1);
    await expect(resident.page.getByTestId("present-person")).toHaveCount(2);

    // Everyone leaves (the server then stores and unloads the document).
    await staff.page.goto("/");
    await resident.page.goto("/");

    // The session page lists the item with the stored copy of the new text.
    await staff.page.goto(itemPath.replace(/\/items\/.*$/, ""));
    const preview = staff.page.getByTestId("agenda-item-link").filter({ hasText: ITEM });
    await expect(preview).toContainText(fromResident);

    // Opened again, the item has both additions, once each.
    await staff.page.goto(itemPath);
    const again = await liveEditor(staff.page, { editable: true });
    await expect(again).toContainText(fromStaff);
    await expect(again).toContainText(fromResident);
    const text = await documentText(again);
    expect(text.split(fromStaff)).toHaveLength(2);
    expect(text.split(fromResident)).toHaveLength(2);
    await expect(staff.page.getByTestId("rendered-copy")).toHaveCount(0);
  } finally {
    await staff.context.close();
    await resident.context.close();
  }
});

test("two members typing at the same moment, each in their own paragraph, both land intact", async ({ browser }) => {
  const a = await signedInPage(browser, USERS.wuye);
  const b = await signedInPage(browser, USERS.yeweihui);
  const run = Date.now().toString(36);
  const fromA = `物业答复：本周内疏通管道 ${run}`;
  const fromB = `业委会意见：费用从维修基金列支 ${run}`;
  try {
    await openAgendaItem(a.page, DEMO_ITEMS[2]);
    await openAgendaItem(b.page, DEMO_ITEMS[2]);
    const editorA = await liveEditor(a.page, { editable: true });
    const editorB = await liveEditor(b.page, { editable: true });
    await expect(chip(a.page, USERS.yeweihui.name)).toBeVisible();
    await expect(chip(b.page, USERS.wuye.name)).toBeVisible();

    // Each opens a new paragraph at the end, one after the other, and both see both.
    await startNewParagraphAtEnd(a.page, editorA);
    await expect.poll(async () => (await caretBlock(editorB)).blocks).toBe((await caretBlock(editorA)).blocks);
    await startNewParagraphAtEnd(b.page, editorB);
    await expect.poll(async () => (await caretBlock(editorA)).blocks).toBe((await caretBlock(editorB)).blocks);
    const [caretA, caretB] = [await caretBlock(editorA), await caretBlock(editorB)];
    expect(caretA).toMatchObject({ emptyBlock: true, index: caretB.index - 1 });
    expect(caretB).toMatchObject({ emptyBlock: true, index: caretB.blocks - 1 });

    // Then both type at once.
    await Promise.all([a.page.keyboard.type(fromA), b.page.keyboard.type(fromB)]);

    for (const editor of [editorA, editorB]) {
      await expect.poll(async () => (await documentText(editor)).split("\n").slice(-2)).toEqual([fromA, fromB]);
    }
    await expect.poll(async () => (await documentText(editorA)) === (await documentText(editorB))).toBe(true);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

test("my own presence chip shows my name, as others see it", async ({ browser }) => {
  const me = await signedInPage(browser, USERS.grid1);
  const other = await signedInPage(browser, USERS.resident2);
  try {
    await openAgendaItem(me.page, DEMO_ITEMS[0]);
    await liveEditor(me.page, { editable: true });
    const mine = me.page.getByTestId("present-person").filter({ hasText: "（我）" });
    await expect(mine).toHaveCount(1);
    await expect(mine).toContainText(USERS.grid1.name);

    await openAgendaItem(other.page, DEMO_ITEMS[0]);
    await liveEditor(other.page, { editable: true });
    await expect(chip(other.page, USERS.grid1.name)).toBeVisible();
    await expect(chip(me.page, USERS.resident2.name)).toBeVisible();
    await expect(mine).toContainText(USERS.grid1.name);
  } finally {
    await me.context.close();
    await other.context.close();
  }
});
