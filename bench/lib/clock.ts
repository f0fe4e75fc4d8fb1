// One clock for every process on this machine: process.hrtime reads
// CLOCK_MONOTONIC, which is system-wide on Linux, so a timestamp taken in one
// worker can be compared with one taken in another (or in the orchestrator).
export function now(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value, or throws after `timeoutMs`. Bounded by construction. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = now() + timeoutMs;
  let lastError: unknown;
  while (now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ""}`);
}
