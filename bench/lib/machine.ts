// What the figures were measured on.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { ROOT } from "./servers";

const run = (cmd: string, args: string[]) => {
  try {
    return execFileSync(cmd, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
};

export type Machine = {
  nproc: number;
  memoryGiB: number;
  cpuModel: string;
  node: string;
  kernel: string;
  tmpFilesystem: string;
  /** 1-minute load average when the run started: above about half of nproc, other work competed with the benchmark. */
  loadAverageAtStart: number;
  git: { commit: string; dirty: boolean };
};

export function machine(tmpDir: string): Machine {
  let cpuModel = "";
  try {
    cpuModel = /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? "";
  } catch {
    // not Linux: the model stays unknown
  }
  return {
    nproc: Number(run("nproc", [])) || os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    cpuModel: cpuModel || os.cpus()[0]?.model || "unknown",
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    loadAverageAtStart: Math.round(os.loadavg()[0]! * 100) / 100,
    tmpFilesystem: run("df", ["--output=fstype", tmpDir]).split("\n").pop()?.trim() || "unknown",
    git: { commit: run("git", ["rev-parse", "--short", "HEAD"]), dirty: run("git", ["status", "--porcelain", "--", "app", "server", "prisma"]) !== "" },
  };
}
