// First-run setup in a real browser (a leftover from the last round): a server of its own on an
// empty database without the demo prints a one-time code; /setup with that code creates the
// community and the first staff account and signs them in, at 360 px, axe-clean.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } as const;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

test("a fresh install is set up from the browser with the printed code", async ({ browser }) => {
  test.setTimeout(120_000);
  const port = await freePort();
  const db = path.resolve("tmp/e2e/setup-e2e.db");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(db + suffix, { force: true });
  let server: ChildProcess | undefined;
  try {
    server = spawn(process.execPath, ["build/server.js"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(port),
        DATABASE_URL: `file:${db}`,
        SESSION_SECRET: "e2e-setup-secret",
        YISHI_INSECURE_COOKIES: "1",
        YISHI_DEMO: "0",
        YISHI_RATE_LIMITS: "off",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const code = await new Promise<string>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`no setup code printed:\n${out}`)), 60_000);
      server!.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const m = /one-time code (\S+)/.exec(out);
        if (m && out.includes("listening")) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const context = await browser.newContext({ ...PHONE, baseURL: `http://127.0.0.1:${port}` });
    const page = await context.newPage();
    await page.goto("/login");
    await expect(page).toHaveURL(/\/setup$/);
    await expect(page.getByRole("heading", { level: 1, name: "初始设置" })).toBeVisible();
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    await page.getByLabel("设置码").fill(code);
    await page.getByLabel("社区名称").fill("和平里社区");
    await page.getByLabel("简称（用于链接）").fill("hepingli");
    await page.getByLabel("姓名（他人看到的名字）").fill("赵书记");
    await page.locator("#field-username").fill("zhaoshuji");
    await page.locator("#field-phone").fill("13900000001");
    await page.locator("#field-password").fill("和平里社区议事会2026");
    await page.getByRole("button", { name: "创建社区和我的账号" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId("current-user")).toHaveText("赵书记");
    // Done once: /setup is closed now.
    await page.goto("/setup");
    await expect(page).not.toHaveURL(/\/setup$/);
    await context.close();
  } finally {
    server?.kill("SIGTERM");
  }
});
