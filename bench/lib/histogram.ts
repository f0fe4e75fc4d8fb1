// Latency histogram with logarithmic buckets (1 % wide, from 1 µs to 1000 s):
// small enough to send between processes, exact enough for p50/p95/p99.
const MIN_MS = 0.001;
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
export const BUCKETS = Math.ceil(Math.log(1e6 / MIN_MS) / LOG_GROWTH) + 1;

export type HistogramData = { counts: number[][]; n: number; sum: number; min: number; max: number };

export class Histogram {
  readonly counts = new Uint32Array(BUCKETS);
  n = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  add(ms: number): void {
    const v = Math.max(ms, 0);
    const i = v <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(v / MIN_MS) / LOG_GROWTH));
    this.counts[i]!++;
    this.n++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  merge(other: Histogram | HistogramData): this {
    if (other instanceof Histogram) {
      for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    } else {
      for (const [i, c] of other.counts) this.counts[i!]! += c!;
    }
    this.n += other.n;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    return this;
  }

  /** The value at quantile q (0..1): the upper edge of the bucket holding it, capped by the maximum seen. */
  quantile(q: number): number {
    if (this.n === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, MIN_MS * GROWTH ** i));
    }
    return this.max;
  }

  summary(): LatencySummary {
    return {
      n: this.n,
      mean: this.n ? this.sum / this.n : NaN,
      p50: this.quantile(0.5),
      p95: this.quantile(0.95),
      p99: this.quantile(0.99),
      max: this.n ? this.max : NaN,
    };
  }

  toData(): HistogramData {
    const counts: number[][] = [];
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i]) counts.push([i, this.counts[i]!]);
    return { counts, n: this.n, sum: this.sum, min: this.min, max: this.max };
  }

  static from(data: HistogramData): Histogram {
    return new Histogram().merge(data);
  }
}

export type LatencySummary = { n: number; mean: number; p50: number; p95: number; p99: number; max: number };

/** Percentiles of a plain list of samples (page render times, insert latencies). */
export function summarize(samples: number[]): LatencySummary {
  const h = new Histogram();
  for (const s of samples) h.add(s);
  return h.summary();
}
