// CPU and memory of a server process, read from /proc/<pid>/stat and status
// (Linux). All threads of the process count: libuv's pool, V8's GC helpers.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { now } from "./clock";

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export type ProcSample = { t: number; cpuSeconds: number; rssKb: number };

export function readProc(pid: number): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return { t: now(), cpuSeconds: (utime + stime) / ticksPerSecond(), rssKb };
  } catch {
    return null;
  }
}

export type Window = {
  cpuPercent: number;
  cpuPeakPercent: number;
  rssStartMb: number;
  rssEndMb: number;
  rssPeakMb: number;
  rssMedianMb: number;
  samples: number;
};

/** Samples a process at a fixed interval until stopped; summarizes any time window of it. */
export class ProcSampler {
  readonly samples: ProcSample[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly pid: number,
    private readonly everyMs = 250,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    return this;
  }

  sample(): ProcSample | null {
    const s = readProc(this.pid);
    if (s) this.samples.push(s);
    return s;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  window(from: number, to: number): Window {
    const inside = this.samples.filter((s) => s.t >= from && s.t <= to);
    if (inside.length < 2)
      return { cpuPercent: NaN, cpuPeakPercent: NaN, rssStartMb: NaN, rssEndMb: NaN, rssPeakMb: NaN, rssMedianMb: NaN, samples: inside.length };
    const first = inside[0]!;
    const last = inside[inside.length - 1]!;
    let peak = 0;
    for (let i = 1; i < inside.length; i++) {
      const a = inside[i - 1]!;
      const b = inside[i]!;
      const dt = (b.t - a.t) / 1000;
      if (dt > 0) peak = Math.max(peak, ((b.cpuSeconds - a.cpuSeconds) / dt) * 100);
    }
    const rss = inside.map((s) => s.rssKb).sort((a, b) => a - b);
    return {
      cpuPercent: ((last.cpuSeconds - first.cpuSeconds) / ((last.t - first.t) / 1000)) * 100,
      cpuPeakPercent: peak,
      rssStartMb: first.rssKb / 1024,
      rssEndMb: last.rssKb / 1024,
      rssPeakMb: rss[rss.length - 1]! / 1024,
      rssMedianMb: rss[Math.floor(rss.length / 2)]! / 1024,
      samples: inside.length,
    };
  }
}
