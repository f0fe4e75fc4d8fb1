// Compiles the Node entry (server/) to build/server.js for production; the
// Remix build (build/server/index.js, build/client) comes from `remix vite:build`.
import { build } from "esbuild";

await build({
  // build/migrate.js: migrations only, for a deployment's one-shot migration step (deploy/).
  // build/backup.js: `npm run backup|restore` with plain node, so they also work in the image,
  // which prunes tsx and has no scripts/ folder.
  entryPoints: { server: "server/index.ts", migrate: "server/migrate-cli.ts", backup: "scripts/backup.ts" },
  outdir: "build",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
