// The Compose file, the Dockerfile and the Caddyfile, checked without a container engine (none
// runs on the build machines: the image is never built here, nor `docker compose up` run).
// What can be checked from the files alone is: the services issue 17 names, with what each
// needs; every path the Dockerfile copies and every npm script it runs; every variable the
// Caddyfile reads is given by Compose; and the entry points the containers run are built.
// tests/deploy-topology.test.ts then runs the same topology by hand, processes instead of containers.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

type Service = {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  restart?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }> | string[];
};
type Compose = { services: Record<string, Service>; volumes: Record<string, unknown> };

const composeText = readFileSync("deploy/docker-compose.yml", "utf8");
const compose = parse(composeText, { merge: true }) as Compose;
const services = compose.services;
const caddyfile = readFileSync("deploy/Caddyfile", "utf8");
const packageJson = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };

/** The Dockerfile's instructions, continuation lines joined, comments dropped, with the stage each is in. */
function dockerfileInstructions(): { stage: string; op: string; args: string }[] {
  const lines = readFileSync("Dockerfile", "utf8")
    .split("\n")
    .filter((l) => !/^\s*#/.test(l));
  const joined = lines.join("\n").replace(/\\\n/g, " ");
  let stage = "";
  const out: { stage: string; op: string; args: string }[] = [];
  for (const line of joined.split("\n")) {
    const m = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [, op, args] = m as unknown as [string, string, string];
    if (op === "FROM") stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? "final";
    out.push({ stage, op, args: args.trim() });
  }
  return out;
}

/** The entry points scripts/build-server.mjs compiles into build/ (server, migrate, backup). */
function builtEntryPoints(): string[] {
  const text = readFileSync("scripts/build-server.mjs", "utf8");
  const entries = /entryPoints:\s*\{([^}]*)\}/.exec(text)?.[1] ?? "";
  return [...entries.matchAll(/(\w+):\s*"/g)].map((m) => `build/${m[1]}.js`);
}

/** `${NAME}`, `${NAME:-x}`, `${NAME:?message}` in the Compose file; required = no default. */
function composeVariables(): { name: string; required: boolean }[] {
  return [...composeText.matchAll(/\$\{(\w+)(:?[-?])?/g)].map((m) => ({ name: m[1]!, required: m[2] === ":?" || m[2] === "?" || !m[2] }));
}

describe("deploy/docker-compose.yml", () => {
  it("has exactly the services issue 17 names", () => {
    expect(Object.keys(services).sort()).toEqual(["app1", "app2", "caddy", "migrate", "postgres", "redis"]);
    expect(Object.keys(compose.volumes).sort()).toEqual(["caddyconfig", "caddydata", "files", "pgdata", "redisdata"]);
  });

  it("PostgreSQL keeps its data on a volume and reports healthy only when it accepts connections", () => {
    const pg = services.postgres!;
    expect(pg.image).toMatch(/^postgres:15\b/); // the image's pg_dump is 15 (Dockerfile): it refuses a newer server
    expect(pg.volumes).toContain("pgdata:/var/lib/postgresql/data");
    expect(pg.healthcheck?.test.join(" ")).toMatch(/pg_isready -U yishi -d yishi/);
    expect(pg.environment).toMatchObject({ POSTGRES_USER: "yishi", POSTGRES_DB: "yishi" });
  });

  it("Redis persists to an append-only file on a volume", () => {
    const redis = services.redis!;
    expect(redis.command?.join(" ")).toMatch(/--appendonly yes/);
    expect(redis.volumes).toContain("redisdata:/data");
    expect(redis.healthcheck?.test).toContain("redis-cli");
  });

  it("migrate runs once, from the app image, after PostgreSQL is healthy", () => {
    const migrate = services.migrate!;
    expect(migrate.restart).toBe("no");
    expect(migrate.command).toEqual(["node", "build/migrate.js"]);
    expect(migrate.image).toBe(services.app1!.image);
    expect(migrate.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
    expect(builtEntryPoints()).toContain("build/migrate.js");
  });

  it("two app nodes from one image and one environment, sharing the storage volume, start after the migration", () => {
    const [app1, app2] = [services.app1!, services.app2!];
    expect(app1).toEqual(app2);
    expect(app1.build).toEqual({ context: "..", dockerfile: "Dockerfile" });
    expect(existsSync("Dockerfile")).toBe(true);
    expect(app1.image).toBe("yishi:latest");
    expect(app1.command).toBeUndefined(); // the image's CMD: node build/server.js
    expect(app1.depends_on).toEqual({ migrate: { condition: "service_completed_successfully" }, redis: { condition: "service_healthy" } });
    const env = app1.environment!;
    expect(env.DATABASE_URL).toMatch(/^postgresql:\/\/yishi:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\/yishi$/);
    expect(env.REDIS_URL).toBe("redis://redis:6379");
    expect(env.SESSION_SECRET).toMatch(/^\$\{SESSION_SECRET:\?/);
    // Uploads and generated files live on the volume both nodes mount.
    expect(app1.volumes).toEqual(["files:/data"]);
    expect(env.UPLOADS_DIR?.startsWith("/data/")).toBe(true);
    expect(env.COOKIE_SECURE).toBe("always");
  });

  it("Caddy is the only way in, on 80 and 443, with the repository's Caddyfile and every variable it needs", () => {
    const caddy = services.caddy!;
    expect(caddy.image).toBe("caddy:2");
    expect(caddy.ports).toEqual(expect.arrayContaining(["80:80", "443:443"]));
    for (const [name, s] of Object.entries(services)) if (name !== "caddy") expect(s.ports, name).toBeUndefined();
    expect(caddy.volumes).toContain("./Caddyfile:/etc/caddy/Caddyfile:ro");
    expect(caddy.depends_on).toEqual(["app1", "app2"]);
    // A {$NAME} without a default must come from Compose; those with one default to Compose's shape.
    const needed = [...caddyfile.matchAll(/\{\$(\w+)\}/g)].map((m) => m[1]!);
    expect(needed.sort()).toEqual(["ACME_EMAIL", "YISHI_DOMAIN"]);
    for (const name of needed) expect(caddy.environment?.[name], name).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
    const upstreams = /\{\$YISHI_UPSTREAMS:([^}]*)\}/.exec(caddyfile)?.[1];
    expect(upstreams).toBe("app1:3000 app2:3000");
    expect(readFileSync("Dockerfile", "utf8")).toMatch(/PORT=3000/);
  });

  it("every variable Compose requires is in deploy/yishi.env.example", () => {
    const example = readFileSync("deploy/yishi.env.example", "utf8");
    const required = new Set(
      composeVariables()
        .filter((v) => v.required)
        .map((v) => v.name),
    );
    expect([...required].sort()).toEqual(["ACME_EMAIL", "POSTGRES_PASSWORD", "SESSION_SECRET", "YISHI_DOMAIN"]);
    for (const name of required) expect(example, name).toMatch(new RegExp(`^${name}=`, "m"));
  });
});

describe("Dockerfile", () => {
  const instructions = dockerfileInstructions();

  it("copies only paths that exist: from the repository, or made by the build stage", () => {
    const copies = instructions.filter((i) => i.op === "COPY");
    expect(copies.length).toBeGreaterThan(5);
    const ignored = readFileSync(".dockerignore", "utf8").split("\n").filter(Boolean);
    for (const { args } of copies) {
      const from = /--from=(\S+)/.exec(args)?.[1];
      const parts = args.replace(/--\S+/g, "").trim().split(/\s+/);
      const sources = parts.slice(0, -1);
      for (const source of sources) {
        if (!from) {
          // From the build context (the repository, less .dockerignore).
          if (source === ".") continue;
          expect(existsSync(source), source).toBe(true);
          expect(ignored, source).not.toContain(source);
          continue;
        }
        expect(from).toBe("build");
        const relative = source.replace(/^\/app\//, "");
        expect(relative, source).not.toBe(source); // the build stage's WORKDIR is /app
        // What `npm ci` and `npm run build` make in the build stage; everything else comes from the repository.
        if (relative === "node_modules" || relative === "build") continue;
        expect(existsSync(relative), source).toBe(true);
      }
    }
    // The build stage's WORKDIR is where the final stage copies from.
    expect(instructions.find((i) => i.stage === "build" && i.op === "WORKDIR")?.args).toBe("/app");
    // The lockfile arrives before `npm ci` (which refuses to run without it).
    const build = instructions.filter((i) => i.stage === "build");
    const lockfile = build.findIndex((i) => i.op === "COPY" && i.args.includes("package-lock.json"));
    const ci = build.findIndex((i) => i.op === "RUN" && /\bnpm ci\b/.test(i.args));
    expect(lockfile).toBeGreaterThanOrEqual(0);
    expect(ci).toBeGreaterThan(lockfile);
  });

  it("runs only npm scripts that package.json has, and starts an entry point the build makes", () => {
    const runs = instructions.filter((i) => i.op === "RUN").map((i) => i.args);
    const scripts = runs.flatMap((r) => [...r.matchAll(/\bnpm run ([\w:-]+)/g)].map((m) => m[1]!));
    expect(scripts).toContain("build");
    for (const s of scripts) expect(packageJson.scripts[s], `npm run ${s}`).toBeDefined();
    const cmd = instructions.find((i) => i.stage === "final" && i.op === "CMD")?.args;
    expect(cmd).toBe('["node", "build/server.js"]');
    expect(builtEntryPoints()).toEqual(expect.arrayContaining(["build/server.js", "build/migrate.js", "build/backup.js"]));
    // `npm run backup|restore` in the image run a built file, not tsx (pruned with the dev dependencies).
    expect(packageJson.scripts.backup).toBe("node build/backup.js backup");
    expect(packageJson.scripts.restore).toBe("node build/backup.js restore");
  });

  it("the image has every file the server reads from its working directory", () => {
    // Paths the server resolves against the working directory (/app in the image), from its sources.
    const sources = ["app", "server"].flatMap((root) =>
      readdirSync(root, { recursive: true, encoding: "utf8" })
        .filter((f) => /\.tsx?$/.test(f) && !f.includes("generated"))
        .map((f) => path.join(root, f)),
    );
    const read = new Set<string>();
    for (const file of sources)
      for (const m of readFileSync(file, "utf8").matchAll(/path\.resolve\((?:process\.cwd\(\),\s*)?(?:[^"\n]*?\?\?\s*)?"([^"]+)"\)/g)) read.add(m[1]!);
    expect([...read].sort()).toEqual(["assets/fonts/minutes-sans-sc.otf", "build", "data", "prisma/migrations", "prisma/postgres/migrations"]);
    const copied = instructions
      .filter((i) => i.stage === "final" && i.op === "COPY")
      .map((i) => i.args.split(/\s+/).at(-1)!.replace(/^\.\//, "").replace(/\/$/, ""));
    // `data` is where a node without SESSION_SECRET would keep a generated one: Compose always sets it.
    for (const p of [...read].filter((p) => p !== "data")) {
      expect(
        copied.some((c) => p === c || p.startsWith(`${c}/`)),
        `${p} is read at run time but not copied into the image`,
      ).toBe(true);
      if (p !== "build") expect(existsSync(p), p).toBe(true);
    }
  });

  it("every package the built server imports survives `npm prune --omit=dev`", () => {
    if (!existsSync("build/server/index.js")) throw new Error("run `npm run build` first (npm test does)");
    const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as { packages: Record<string, { dev?: boolean }> };
    const built = [
      "build/server.js",
      "build/migrate.js",
      "build/backup.js",
      "build/server/index.js",
      ...readdirSync("build/server/assets").map((f) => `build/server/assets/${f}`),
    ];
    const imported = new Set<string>();
    for (const file of built.filter((f) => f.endsWith(".js")))
      for (const m of readFileSync(file, "utf8").matchAll(/(?:^|[\n;])\s*import\s+(?:[\w*{}\s,$]+\s+from\s+)?"([^"]+)"|\bimport\("([^"]+)"\)/g)) {
        const spec = (m[1] ?? m[2])!;
        if (spec.startsWith("node:") || spec.startsWith(".")) continue;
        imported.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
      }
    expect(imported.size).toBeGreaterThan(20);
    expect(imported).toContain("@prisma/adapter-pg");
    // vite: server/index.ts imports it only when NODE_ENV is not production (the dev server).
    const missing = [...imported].filter((name) => name !== "vite" && (!lock.packages[`node_modules/${name}`] || lock.packages[`node_modules/${name}`]!.dev));
    expect(missing, "imported by the build but pruned from the image (a devDependency) or not installed").toEqual([]);
  });

  it("keeps secrets and local state out of the build context", () => {
    const ignored = readFileSync(".dockerignore", "utf8").split("\n");
    for (const entry of ["node_modules", "build", ".git", "*.db", "**/.env", "app/generated"]) expect(ignored).toContain(entry);
  });
});
