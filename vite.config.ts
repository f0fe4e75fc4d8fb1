/// <reference types="vitest/config" />
import path from "node:path";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  plugins: process.env.VITEST
    ? []
    : [
        remix({
          buildDirectory: process.env.YISHI_BUILD_DIR ?? "build",
          ignoredRouteFiles: ["**/*.css", "**/*.test.*"],
          future: {
            v3_fetcherPersist: true,
            v3_relativeSplatPath: true,
            v3_throwAbortReason: true,
            v3_singleFetch: true,
            v3_lazyRouteDiscovery: true,
          },
        }),
      ],
  // A cold dev cache would otherwise re-optimise on the first page that opens an editor.
  optimizeDeps: {
    // Server-only packages reachable from route modules: never bundle them for the browser.
    exclude: ["@node-rs/argon2", "better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/client"],
    include: [
      "@tiptap/react",
      "@tiptap/starter-kit",
      "@tiptap/extension-collaboration",
      "@tiptap/extension-collaboration-caret",
      "yjs",
      "y-websocket",
      "socket.io-client",
      "i18next",
      "react-i18next",
      "zod",
      "@remix-run/node",
    ],
  },
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    fileParallelism: false,
    setupFiles: ["tests/setup.ts"],
  },
});
