// Compiles the Node entry (server/) to build/server.js for production; the
// Remix build (build/server/index.js, build/client) comes from `remix vite:build`.
import { build } from "esbuild";

await build({
  // build/migrate.js: migrations only, for a deployment's one-shot migration step (deploy/).
  entryPoints: { server: "server/index.ts", migrate: "server/migrate-cli.ts" },
  outdir: "build",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
