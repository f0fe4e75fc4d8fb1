// End-to-end tests: real pages of the production build in Chromium.
// `npm test` builds first (pretest); `npx playwright test` alone expects a fresh `npm run build`.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium, defineConfig, devices } from "@playwright/test";

// This file is loaded by the runner and again by each worker: what is decided here once
// (port, browser) is passed on through the environment, which the workers inherit.
const inRunner = !process.env.TEST_WORKER_INDEX;

/** A port free now (E2E_PORT overrides): a server left running on a fixed port must not break the suite. */
function freePort(): string {
  const script = `const s=require("net").createServer().listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})`;
  return execFileSync(process.execPath, ["-e", script], { encoding: "utf8" });
}
process.env.E2E_PORT ||= freePort();
const PORT = Number(process.env.E2E_PORT);
const baseURL = `http://127.0.0.1:${PORT}`;

/**
 * The browser: PLAYWRIGHT_CHROMIUM_PATH, else Debian's Chromium (apt-get install chromium), else
 * Playwright's own, installed now if it is missing (where the network allows it). Says which.
 */
function findChromium(): string | undefined {
  const SYSTEM_CHROMIUM = "/usr/lib/chromium/chromium";
  if (process.env.PLAYWRIGHT_CHROMIUM_PATH) return process.env.PLAYWRIGHT_CHROMIUM_PATH;
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  if (!existsSync(chromium.executablePath())) {
    console.log("[e2e] no Chromium found: installing Playwright's own (npx playwright install chromium)");
    try {
      execFileSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" });
    } catch {
      throw new Error("[e2e] no browser: install Debian's Chromium (apt-get install chromium) or set PLAYWRIGHT_CHROMIUM_PATH");
    }
  }
  return undefined; // Playwright's own
}
const executablePath = findChromium();
if (inRunner) console.log(`[e2e] Chromium: ${executablePath ?? chromium.executablePath()} · server on port ${PORT}`);
if (executablePath) process.env.PLAYWRIGHT_CHROMIUM_PATH = executablePath;

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "test-results",
  // One server and one database for the whole run: tests use separate accounts and
  // agenda items, and run one at a time in file order so runs are repeatable.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    baseURL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: {
    command: "node tests/e2e/server.mjs",
    url: `${baseURL}/login`,
    // Never attach to a server started earlier: its database would not be fresh.
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(PORT),
      DATABASE_URL: "file:./tmp/e2e/yishi-e2e.db",
      SESSION_SECRET: "e2e-only-session-secret-not-for-production",
      // The session cookie is Secure in production; the tests speak plain http.
      YISHI_INSECURE_COOKIES: "1",
      YISHI_DEMO: "1",
      // Every test signs in from 127.0.0.1; the request limits have their own tests (tests/auth-limits.test.ts).
      YISHI_RATE_LIMITS: "off",
    },
  },
});
