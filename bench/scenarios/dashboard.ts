// 看板: the community dashboard's query-and-count and its SVG charts on a community of many
// topics and tasks (bench/setup/dashboard-data.ts, on its own database beside the others).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Context } from "../lib/context";
import { BENCH_DIR, ROOT } from "../lib/servers";

export type DashboardSizes = { topics: number; tasks: number; reps: number };
export const DASHBOARD_FULL: DashboardSizes = { topics: 10_000, tasks: 5_000, reps: 20 };
export const DASHBOARD_QUICK: DashboardSizes = { topics: 1_000, tasks: 500, reps: 3 };

type Summary = { p50: number; p95: number; max: number };
export type DashboardResult = DashboardSizes & {
  generationSeconds: number;
  /** The monthly roll-up job's first run over the generated year. */
  rollupSeconds: number;
  dashboardMs: Summary;
  /** The process's CPU time per render (user + system): what the render costs when the machine is shared. */
  dashboardCpuMs: Summary;
  svgMs: Summary;
  charts: number;
  svgBytes: number;
  topicsRaised: number;
  tasksClosed: number;
  consistent: boolean;
};

export async function runDashboard(ctx: Context, sizes: DashboardSizes): Promise<DashboardResult> {
  ctx.log(`dashboard: a community of ${sizes.topics} topics and ${sizes.tasks} tasks over a year, ${sizes.reps} renders`);
  const out = path.join(ctx.tmpDir, "dashboard.json");
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(BENCH_DIR, "setup/dashboard-data.ts"), out, String(sizes.topics), String(sizes.tasks), String(sizes.reps)],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: `file:${path.join(ctx.tmpDir, "dashboard.db")}` }, encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`dashboard-data.ts failed (${r.status ?? r.signal}):\n${r.stderr || r.stdout}`);
  const result = { ...sizes, ...(JSON.parse(readFileSync(out, "utf8")) as Omit<DashboardResult, keyof DashboardSizes>) };
  ctx.log(
    `  dashboard p50 ${result.dashboardMs.p50.toFixed(0)} ms, p95 ${result.dashboardMs.p95.toFixed(0)} ms; ${result.charts} SVG charts p50 ${result.svgMs.p50.toFixed(0)} ms`,
  );
  return result;
}

// ——— The city (issue 14): 300 communities, 6 000 grids, 200 000 topics, 150 000 tasks, 1 000 000 events ———

export type CitySizes = { scale: number; reps: number };
export const CITY_FULL: CitySizes = { scale: 1, reps: 10 };
export const CITY_QUICK: CitySizes = { scale: 0.02, reps: 3 };
export type CityResult = CitySizes & {
  cached: boolean;
  database: string;
  generationSeconds: number;
  rollupSeconds: number;
  rolledUpMonths: number;
  stored: { communities: number; grids: number; topics: number; tasks: number; events: number; verdicts: number; rollupRows: number };
  communityTopics: number;
  communityMs: Summary;
  communityCpuMs: Summary;
  cityMs: Summary;
  cityCpuMs: Summary;
  consistent: boolean;
};

export async function runDashboardCity(ctx: Context, sizes: CitySizes): Promise<CityResult> {
  ctx.log(`dashboard-city: scale ${sizes.scale} of the issue's city (cached under .cache/bench/ between runs), ${sizes.reps} renders`);
  const out = path.join(ctx.tmpDir, "dashboard-city.json");
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(BENCH_DIR, "setup/dashboard-city.ts"), out, String(sizes.scale), String(sizes.reps)], {
    cwd: ROOT,
    env: process.env,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`dashboard-city.ts failed (${r.status ?? r.signal}):\n${r.stderr || r.stdout}`);
  const result = { ...sizes, ...(JSON.parse(readFileSync(out, "utf8")) as Omit<CityResult, keyof CitySizes>) };
  ctx.log(
    `  community p95 ${result.communityMs.p95.toFixed(0)} ms, city p95 ${result.cityMs.p95.toFixed(0)} ms (${result.cached ? "cached data" : `generated in ${result.generationSeconds.toFixed(0)} s, rolled up in ${result.rollupSeconds.toFixed(0)} s`})`,
  );
  return result;
}
