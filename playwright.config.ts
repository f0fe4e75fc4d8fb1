// End-to-end tests: real pages of the production build in Chromium.
// `npm test` builds first (pretest); `npx playwright test` alone expects a fresh `npm run build`.
import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;

// Debian's Chromium (apt-get install chromium) where it exists; otherwise Playwright's
// own browser (`npx playwright install chromium`). PLAYWRIGHT_CHROMIUM_PATH overrides both.
const SYSTEM_CHROMIUM = "/usr/lib/chromium/chromium";
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH || (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined);

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
