// Issue 11 end to end, all on phones (360 px): the street office's super-user creates a community
// that is not in the seed, with its first staff member; that staff member builds its grids,
// buildings, units and homes on the places page, creates the property company, invites a
// resident and records their home, imports a roster from an .xlsx, seats a newly imported
// resident (for their building) and themself on the new council; the imported resident activates
// their account, signs in by phone and votes from it in a live session of that council.
import { mkdirSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { expect, test, type Page } from "@playwright/test";
import { PASSWORD, submitSignIn } from "./support";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;
const fromPage = (page: Page) => ({ Origin: new URL(page.url()).origin });
const SUFFIX = Date.now().toString(36).slice(-5);
const COMMUNITY = { name: `新苑社区${SUFFIX}`, slug: `xinyuan-${SUFFIX}` };
const STAFF = { name: "马丽", username: `mali${SUFFIX}`, phone: `139${String(Date.now()).slice(-8)}`, password: "xinyuan-staff-2026" };
const RESIDENT = { name: "赵一", username: `zhaoyi${SUFFIX}`, password: "zhaoyi-resident-2026" };
/** From the roster: the resident who will vote, and a neighbour. */
const VOTER = { name: "钱二", phone: `158${String(Date.now()).slice(-8)}`, password: "qianer-voter-2026" };
const NEIGHBOUR = { name: "孙三", phone: `157${String(Date.now()).slice(-8)}` };

async function writeRoster(rows: string[][]): Promise<string> {
  const dir = path.resolve("tmp/e2e");
  mkdirSync(dir, { recursive: true });
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("花名册");
  sheet.addRow(["姓名", "手机号", "楼栋", "单元", "房号", "角色"]);
  for (const r of rows) sheet.addRow(r);
  const file = path.join(dir, `community-setup-${SUFFIX}.xlsx`);
  await workbook.xlsx.writeFile(file);
  return file;
}

async function api(page: Page, method: "GET" | "POST" | "DELETE", path: string, data?: unknown): Promise<Record<string, unknown>> {
  const response = await page.request.fetch(path, { method, headers: fromPage(page), data });
  expect(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as Record<string, unknown>;
}

async function fitsPhone(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.viewport.width);
}

async function signInAs(page: Page, identifier: string, password: string, name: string) {
  await page.goto("/login");
  await submitSignIn(page, identifier, password);
  await expect(page.getByTestId("current-user")).toHaveText(name);
}

/** Opens one "new …" section of the places page and submits it. */
async function addPlace(page: Page, kind: "grid" | "building" | "unit" | "household", name: string, parent?: string) {
  const section = page.getByTestId(`create-${kind}`);
  if (!(await section.evaluate((d) => (d as HTMLDetailsElement).open))) await section.locator("summary").click();
  if (parent) await section.locator("select[name=parentId]").selectOption({ label: parent });
  await section.locator("input[name=name]").fill(name);
  await section.locator("button[type=submit]").click();
  await expect(page.getByRole("status")).toHaveText("已新建。");
}

test("a street office sets up a new community from the pages, and its council holds a live vote", async ({ browser }) => {
  const office = await browser.newContext(PHONE);
  const staffContext = await browser.newContext(PHONE);
  const residentContext = await browser.newContext(PHONE);
  const voterContext = await browser.newContext(PHONE);
  try {
    // ——— The street office's super-user creates the community and its first staff member ———
    const jiedao = await office.newPage();
    await signInAs(jiedao, "jiedao", PASSWORD, "金凤区街道办");
    await jiedao.getByTestId("district-link").click();
    await expect(jiedao).toHaveURL(/\/district$/);
    await expect(jiedao.getByRole("heading", { level: 1 })).toHaveText("街道：银川市 金凤区");
    await expect(jiedao.getByTestId("district-community")).toHaveCount(1); // 幸福里 only: 春华 is another district
    await jiedao.getByLabel("社区名称").fill(COMMUNITY.name);
    await jiedao.getByLabel("简称").fill(COMMUNITY.slug);
    await jiedao.getByLabel("姓名").fill(STAFF.name);
    await jiedao.getByLabel("用户名").fill(STAFF.username);
    await jiedao.getByLabel("手机号").fill(STAFF.phone);
    await jiedao.getByLabel("设置密码").fill(STAFF.password);
    const create = jiedao.getByRole("button", { name: "新建社区" });
    expect((await create.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await create.click();
    await expect(jiedao.getByRole("status")).toHaveText(`已新建 ${COMMUNITY.name}，${STAFF.name} 是社区工作者。`);
    await expect(jiedao.locator(`[data-testid=district-community][data-slug="${COMMUNITY.slug}"]`)).toContainText(STAFF.name);
    await fitsPhone(jiedao);

    // ——— Its staff member signs in by phone and builds the places ———
    const staff = await staffContext.newPage();
    await signInAs(staff, STAFF.phone, STAFF.password, STAFF.name);
    await staff.getByRole("link", { name: "网格与楼栋" }).click();
    await expect(staff).toHaveURL(new RegExp(`/c/${COMMUNITY.slug}/places$`));
    await expect(staff.getByText("还没有网格或楼栋")).toBeVisible();
    await addPlace(staff, "grid", "第一网格");
    await addPlace(staff, "grid", "第二网格");
    await addPlace(staff, "building", "1号楼", "第一网格");
    await addPlace(staff, "building", "2号楼", "第二网格");
    await addPlace(staff, "building", "二号楼", "第二网格");
    await addPlace(staff, "unit", "1单元", "1号楼");
    await addPlace(staff, "household", "101", "1号楼 / 1单元");
    const tree = staff.getByTestId("place-tree");
    const first = tree.locator('[data-testid=grid][data-name="第一网格"]');
    await expect(first.locator('[data-testid=building][data-name="1号楼"] [data-testid=unit][data-name="1单元"] [data-testid=household]')).toHaveAttribute(
      "data-name",
      "101",
    );
    // The same building entered twice: merge 二号楼 into 2号楼, then archive the second grid's spare name.
    const twice = tree.locator('[data-testid=building][data-name="二号楼"]');
    await twice.locator(".place-actions > summary").click();
    await twice.getByLabel("合并到", { exact: true }).selectOption({ label: "2号楼" });
    await twice.getByRole("button", { name: "合并", exact: true }).click();
    await expect(staff.getByRole("status")).toContainText("已合并");
    await expect(tree.locator('[data-testid=building][data-name="二号楼"]')).toHaveCount(0);
    await fitsPhone(staff);

    // ——— The property company ———
    await staff.goto("/");
    await staff.getByRole("link", { name: "组织与单位" }).click();
    await staff.getByTestId("create-organization").locator("summary").click();
    await staff.getByLabel("类别").selectOption("propertyCompany");
    await staff.getByLabel("名称", { exact: true }).fill("新苑物业服务有限公司");
    await staff.getByTestId("create-organization").getByRole("button", { name: "新建组织" }).click();
    await expect(staff.getByRole("status")).toHaveText("已新建。");
    await expect(staff.locator('[data-testid=organization][data-name="新苑物业服务有限公司"]')).toContainText("物业公司");
    await fitsPhone(staff);

    // ——— A resident joins through an invitation and records their home ———
    await staff.goto("/");
    await staff.getByRole("link", { name: "邀请成员" }).click();
    await staff.getByRole("button", { name: "生成邀请链接" }).click();
    const inviteUrl = await staff.getByTestId("invite-url").inputValue();
    const resident = await residentContext.newPage();
    await resident.goto(new URL(inviteUrl).pathname);
    await resident.getByLabel("姓名").fill(RESIDENT.name);
    await resident.getByLabel("用户名").fill(RESIDENT.username);
    await resident.getByLabel("设置密码").fill(RESIDENT.password);
    await resident.getByRole("button", { name: "创建账号并加入" }).click();
    await expect(resident.getByTestId("current-user")).toHaveText(RESIDENT.name);

    await staff.goto(`/c/${COMMUNITY.slug}/members`);
    await staff.getByTestId("home-form").locator("summary").click();
    await staff.locator("#home-member").selectOption({ label: RESIDENT.name });
    await staff.locator("#home-place").selectOption({ label: "住户 · 第一网格 / 1号楼 / 1单元 / 101" });
    await staff.getByRole("button", { name: "保存住处" }).click();
    await expect(staff.getByRole("status")).toHaveText("住处已保存，所属网格随之更新。");
    await expect(staff.getByTestId("member").filter({ hasText: RESIDENT.name }).getByTestId("member-home")).toHaveText("住处: 第一网格 / 1号楼 / 1单元 / 101");

    // ——— A roster from an .xlsx: two more residents of 1号楼, imported all or nothing ———
    await staff.getByRole("link", { name: "导入花名册" }).click();
    await staff.getByLabel("花名册文件（.xlsx 或 .csv，最大 5 MB、1 万行）").setInputFiles(
      await writeRoster([
        [VOTER.name, VOTER.phone, "1号楼", "1单元", "102", "居民"],
        [NEIGHBOUR.name, NEIGHBOUR.phone, "1号楼", "1单元", "101", ""],
      ]),
    );
    await staff.getByRole("button", { name: "检查文件" }).click();
    await expect(staff.getByTestId("roster-summary")).toContainText("共 2 行：新增 2 人");
    await expect(staff.getByTestId("roster-problem")).toHaveCount(0);
    await staff.getByRole("button", { name: "确认导入 2 人" }).click();
    await expect(staff.getByTestId("roster-done")).toContainText("已导入 2 人，其中新建账号 2 人");
    await fitsPhone(staff);
    await staff.getByRole("link", { name: "新居民需要激活账号：去打印激活单" }).click();
    await staff.getByRole("button", { name: `生成 ${VOTER.name} 的激活链接` }).click();
    const activation = await staff.getByTestId("activation-sheet").getByTestId("activation-url").inputValue();

    // The imported resident activates on their own phone, then signs in with their phone number.
    const voter = await voterContext.newPage();
    await voter.goto(new URL(activation).pathname);
    await expect(voter.getByText(`${VOTER.name}，欢迎加入${COMMUNITY.name}。`)).toBeVisible();
    await voter.getByLabel("新密码").fill(VOTER.password);
    await voter.getByRole("button", { name: "设置密码并登录" }).click();
    await expect(voter.getByTestId("current-user")).toHaveText(VOTER.name);
    await voter.getByRole("button", { name: "退出登录" }).click();
    await signInAs(voter, VOTER.phone, VOTER.password, VOTER.name);
    // The roster's 1号楼 / 1单元 / 102 is their home: a new home under the unit built on the places page.
    const voterMe = (await api(voter, "GET", "/api/v1/me")) as { memberships: { role: string; place: { label: string } | null }[] };
    expect(voterMe.memberships).toEqual([
      expect.objectContaining({ role: "resident", place: expect.objectContaining({ label: "第一网格 / 1号楼 / 1单元 / 102" }) }),
    ]);

    // ——— The council: the imported resident for 1号楼, the staff member for the community ———
    await staff.goto("/");
    await staff.getByRole("link", { name: "议事会席位" }).click();
    await expect(staff.getByRole("heading", { level: 2, name: `${COMMUNITY.name}议事会` })).toBeVisible();
    await staff.getByLabel("社区成员").selectOption({ label: VOTER.name });
    await staff.getByLabel("代表方面").selectOption("resident");
    await staff.getByLabel("代表的楼栋或网格").selectOption({ label: "楼栋 · 第一网格 / 1号楼" });
    await staff.getByRole("button", { name: "入席", exact: true }).click();
    await expect(staff.getByRole("status")).toHaveText("已入席，此人现在可以在会议中表决。");
    await expect(staff.getByTestId("current-seats").locator("li").filter({ hasText: VOTER.name })).toContainText("代表 1号楼");
    await staff.getByLabel("社区成员").selectOption({ label: STAFF.name });
    await staff.getByLabel("代表方面").selectOption("communityStaff");
    // A place is only for resident seats: with one, the seat is refused with the reason.
    await staff.getByLabel("代表的楼栋或网格").selectOption({ label: "楼栋 · 第一网格 / 1号楼" });
    await staff.getByRole("button", { name: "入席", exact: true }).click();
    await expect(staff.getByRole("alert")).toHaveText("只有居民代表席位可以指定楼栋或网格。");
    await staff.getByLabel("代表的楼栋或网格").selectOption({ label: "不指定" });
    await staff.getByRole("button", { name: "入席", exact: true }).click();
    await expect(staff.getByTestId("current-seats").locator("li")).toHaveCount(2);
    await expect(staff.getByRole("status")).toHaveText("已入席，此人现在可以在会议中表决。");
    await fitsPhone(staff);

    // ——— A live session of the new council: the imported resident votes from their phone ———
    const councilId = ((await api(staff, "GET", `/api/v1/communities/${COMMUNITY.slug}/councils`)).councils as { id: string }[])[0]!.id;
    const { id: sessionId } = (await api(staff, "POST", "/api/v1/sessions", {
      councilId,
      title: `${COMMUNITY.name}第一次议事会`,
      scheduledAt: "2030-03-01T19:00",
      place: "社区服务站",
      mode: "inPerson",
    })) as { id: string };
    const { agendaItemId } = (await api(staff, "POST", `/api/v1/sessions/${sessionId}/agenda`, { title: "1号楼加装电梯" })) as { agendaItemId: string };
    await api(staff, "POST", "/api/v1/live/session:open", { sessionId });
    const me = (await api(staff, "GET", "/api/v1/me")) as { id: string };
    const residentMe = (await api(voter, "GET", "/api/v1/me")) as { id: string; seats: { councilId: string }[] };
    expect(residentMe.seats.map((s) => s.councilId)).toEqual([councilId]);
    for (const userId of [me.id, residentMe.id]) await api(staff, "POST", "/api/v1/live/session:checkIn", { sessionId, userId });
    await api(staff, "POST", "/api/v1/live/session:openItem", { sessionId, itemId: agendaItemId });
    const { id: motionId } = (await api(staff, "POST", "/api/v1/live/motion:propose", {
      sessionId,
      agendaItemId,
      text: "同意1号楼启动加装电梯意见征集",
      ballot: "open",
      passRule: "majorityCast",
      constituencies: [],
      hideResults: false,
    })) as { id: string };
    await voter.goto(`/sessions/${sessionId}/live`);
    await expect(voter.getByTestId("my-check-in")).toHaveText("你已签到（议事会成员）");
    const motion = voter.getByTestId("motion").last();
    await motion.getByTestId("second").click();
    await expect(motion.getByTestId("motion-status")).toHaveText("已附议，待表决");
    await api(staff, "POST", "/api/v1/live/vote:open", { motionId });
    await motion.getByTestId("vote-buttons").locator('[data-choice="yes"]').click();
    await expect.poll(async () => ((await api(staff, "GET", `/api/v1/sessions/${sessionId}/live`)).tally as { cast: number } | null)?.cast).toBe(1);
    const result = (await api(staff, "POST", "/api/v1/live/vote:close", { motionId })) as { roll: { name: string; choice: string }[]; eligible?: number };
    expect(result.roll).toEqual([expect.objectContaining({ name: VOTER.name, choice: "yes" })]);
    await fitsPhone(voter);
    await api(staff, "POST", "/api/v1/live/session:adjourn", { sessionId });

    // ——— Everything is in the new community's audit log ———
    await staff.goto(`/c/${COMMUNITY.slug}/audit`);
    const log = staff.getByTestId("audit");
    for (const action of ["新建社区", "新建地点", "合并地点", "新建组织", "修改住址", "导入花名册", "入席"]) await expect(log).toContainText(action);
  } finally {
    await office.close();
    await staffContext.close();
    await residentContext.close();
    await voterContext.close();
  }
});
