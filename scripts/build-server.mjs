// Compiles the Node entry (server/) to build/server.js for production; the
// Remix build (build/server/index.js, build/client) comes from `remix vite:build`.
import { build } from "esbuild";

await build({
  entryPoints: ["server/index.ts"],
  outfile: "build/server.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
