// Lint rules the tools enforce (npm run lint, part of npm test and CI), so
// review can talk about design. Formatting is Prettier's (npm run format).
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "app/generated/", "node_modules/", "tmp/", "test-results/", "playwright-report/", "bench/results/", "public/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // What runs in the browser never imports server-only code (types are erased, so they may).
    files: ["app/components/**", "app/i18n/**", "app/utils/**"],
    ignores: ["**/*.server.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/*.server"], allowTypeImports: true, message: "server-only: use it from loaders, actions, *.server.ts or server/" }] },
      ],
    },
  },
  {
    // Shared utilities sit below the models: the models use them, never the other way round.
    files: ["app/utils/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["~/models/*", "../models/*"], message: "app/utils must not import models" }] }],
    },
  },
  {
    // The live state is computed from the database alone: the commands and the ballot pipeline call it, never the reverse.
    files: ["app/models/live-state.server.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["./live-session.server", "./live-ballots.server", "./live-actions.server"], message: "live state must not import the commands" },
          ],
        },
      ],
    },
  },
  {
    // The Node entry stays out of the app's module graph (docs/decisions/0004-one-module-graph.md).
    files: ["server/index.ts", "server/http-upgrade.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["~/*", "../app/*", "**/app/**"], message: "server/index.ts reaches the app only through the Remix build" }] },
      ],
    },
  },
  prettier,
);
