// Importing a resident roster on a 360 px phone (issue 11, point 4): staff upload an .xlsx
// with two bad rows and see them by row number before anything is written, fix the file,
// import it; an imported resident activates their account through their own link and signs
// in with their phone number.
import { mkdirSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { expect, test, type Page } from "@playwright/test";
import { expectAxeClean } from "./live-support";
import { USERS, signIn } from "./support";

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

const HEADER = ["姓名", "手机号", "楼栋", "单元", "房号", "角色"];
const GOOD = [
  ["马晓兰", "15912340001", "2号楼", "1单元", "301", "居民"],
  ["杨志远", "15912340002", "2号楼", "1单元", "302", ""],
  ["何丽娟", "15912340003", "4号楼", "2单元", "1201", "楼栋长"],
  ["韩振华", "15912340004", "6号楼", "2单元", "502", ""],
];

async function writeXlsx(name: string, rows: string[][]): Promise<string> {
  const dir = path.resolve("tmp/e2e");
  mkdirSync(dir, { recursive: true });
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("花名册");
  sheet.addRow(HEADER);
  for (const r of rows) sheet.addRow(r);
  const file = path.join(dir, name);
  await workbook.xlsx.writeFile(file);
  return file;
}

async function upload(page: Page, file: string) {
  await page.getByLabel("花名册文件（.xlsx 或 .csv，最大 5 MB、1 万行）").setInputFiles(file);
  await page.getByRole("button", { name: "检查文件" }).click();
}

const noSidewaysScroll = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

test("staff import an .xlsx roster after fixing two bad rows; an imported resident activates and signs in by phone", async ({ page, browser }) => {
  await signIn(page, USERS.staff);
  await page.goto("/c/xingfuli/members");
  await page.getByRole("link", { name: "导入花名册" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "导入居民花名册" })).toBeVisible();

  // Row 3: a phone number one digit short; row 5: a building the community does not have.
  const bad = GOOD.map((r) => [...r]);
  bad[1]![1] = "1591234000";
  bad[3]![2] = "16号楼";
  await upload(page, await writeXlsx("roster-bad.xlsx", bad));
  await expect(page.getByTestId("roster-errors")).toHaveText("有 2 行共 2 处错误，请改正后重新上传");
  const problems = page.getByTestId("roster-problem");
  await expect(problems).toHaveCount(2);
  await expect(problems.nth(0)).toHaveAttribute("data-row", "3");
  await expect(problems.nth(0)).toContainText("第 3 行");
  await expect(problems.nth(0)).toContainText("手机号“1591234000”不是有效的 11 位大陆手机号");
  await expect(problems.nth(1)).toHaveAttribute("data-row", "5");
  await expect(problems.nth(1)).toContainText("本社区没有楼栋“16号楼”");
  // Nothing can be imported while a row is wrong.
  await expect(page.getByRole("button", { name: /确认导入/ })).toHaveCount(0);
  await noSidewaysScroll(page);

  await upload(page, await writeXlsx("roster-fixed.xlsx", GOOD));
  await expect(page.getByTestId("roster-summary")).toContainText("共 4 行：新增 4 人");
  await expect(page.getByTestId("roster-problem")).toHaveCount(0);
  await page.getByRole("button", { name: "确认导入 4 人" }).click();
  await expect(page.getByTestId("roster-done")).toContainText("已导入 4 人，其中新建账号 4 人");
  await expect(page.getByRole("link", { name: "新居民需要激活账号：去打印激活单" })).toBeVisible();
  await noSidewaysScroll(page);
  await page.goto("/c/xingfuli/members");
  await expect(page.getByTestId("member").filter({ hasText: "马晓兰" }).getByTestId("member-home")).toContainText("2号楼 / 1单元 / 301");
  await page.goto("/c/xingfuli/members/import");
  await page.getByRole("link", { name: "激活单" }).click();

  // The activation sheet of one of them.
  await expect(page.getByTestId("activation-pending")).toContainText("马晓兰");
  await page.getByRole("button", { name: "生成 马晓兰 的激活链接" }).click();
  const sheet = page.getByTestId("activation-sheet");
  await expect(sheet).toHaveCount(1);
  await expect(sheet.locator("svg")).toBeVisible();
  const link = await sheet.getByTestId("activation-url").inputValue();
  expect(link).toMatch(/\/activate\/[A-Za-z0-9_-]{20,}$/);
  await noSidewaysScroll(page);

  // On the resident's own phone.
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: "zh-CN" });
  const resident = await phone.newPage();
  await resident.goto(link);
  await expect(resident.getByRole("heading", { level: 1, name: "激活账号" })).toBeVisible();
  await expect(resident.getByText("马晓兰，欢迎加入幸福里社区。")).toBeVisible();
  await expectAxeClean(resident, "the activation page at 360 px");
  await resident.getByLabel("新密码").fill("malan-2026-spring");
  await resident.getByRole("button", { name: "设置密码并登录" }).click();
  await expect(resident.getByTestId("current-user")).toHaveText("马晓兰");

  // The link worked once.
  await resident.goto(link);
  await expect(resident.getByText("这个激活链接无效、已用过或已过期。请联系社区工作人员重新生成。")).toBeVisible();

  // Signed out, they sign in with their phone number.
  await resident.goto("/");
  await resident.getByRole("button", { name: "退出登录" }).click();
  await resident.goto("/login");
  await resident.locator('input[name="identifier"]').fill("159 1234 0001");
  await resident.locator('input[name="password"]').fill("malan-2026-spring");
  await resident.locator('main form button[type="submit"]').click();
  await expect(resident.getByTestId("current-user")).toHaveText("马晓兰");
  await phone.close();
});

test("an invitation for a unit shows its QR code, and whoever accepts it lives in that unit", async ({ page, browser }) => {
  await signIn(page, USERS.staff);
  await page.goto("/communities/xingfuli/invites");
  await page.getByLabel("住址（可选）").selectOption({ label: "3号楼 2单元" });
  await page.getByRole("button", { name: "生成邀请链接" }).click();
  const qr = page.getByTestId("invite-qr");
  await expect(qr.locator("svg")).toBeVisible();
  await expect(qr).toHaveAttribute("aria-label", "邀请二维码");
  const url = await page.getByTestId("invite-url").inputValue();
  await noSidewaysScroll(page);

  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: "zh-CN" });
  const invitee = await phone.newPage();
  await invitee.goto(url);
  await expect(invitee.locator('input[name="displayName"]')).toBeVisible();
  await expectAxeClean(invitee, "the invitation page at 360 px");
  await invitee.locator('input[name="displayName"]').fill("蒋新来");
  await invitee.locator('input[name="username"]').fill("jiangxinlai");
  await invitee.locator('input[name="phone"]').fill("15912340099");
  await invitee.locator('input[name="password"]').fill("jiang-2026-spring");
  await invitee.locator("main form button[type=submit]").click();
  await expect(invitee.getByTestId("current-user")).toHaveText("蒋新来");
  await phone.close();

  // The newcomer's membership has the invitation's place (the members page shows it as their home).
  await page.goto("/c/xingfuli/members");
  await expect(page.getByTestId("member").filter({ hasText: "蒋新来" }).getByTestId("member-home")).toContainText("第二网格 / 3号楼 / 2单元");
});
