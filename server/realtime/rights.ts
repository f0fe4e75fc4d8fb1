// Rights that change take effect at once: the domain calls rightsChanged()
// (app/utils/rights.server.ts); this process re-checks its own live
// connections, and with Redis every other process hears it and does the same.
import { onRightsChanged, type RightsChange } from "~/utils/rights.server";
import { forget } from "./connect-cache";

type Recheck = (change: RightsChange) => Promise<void>;
type Broadcast = { publish(change: RightsChange): void; subscribe(handler: (change: RightsChange) => void): Promise<void> };

/** Sign-in sessions and tokens also end by themselves: every connection is checked again this often. */
export const SWEEP_EVERY_MS = 5 * 60_000;

export async function enforceRightsChanges(rechecks: Recheck[], broadcast?: Broadcast): Promise<() => void> {
  const apply = async (change: RightsChange) => {
    // First: a connection opened from now on is not decided on what was read before the change.
    forget(change);
    await Promise.all(rechecks.map((recheck) => recheck(change).catch((e) => console.error("[rights] re-checking live connections failed", change, e))));
  };
  await broadcast?.subscribe((change) => void apply(change));
  const stop = onRightsChanged((change) => {
    broadcast?.publish(change);
    return apply(change);
  });
  // Each process sweeps its own connections; nothing to tell the others.
  const sweep = setInterval(() => void apply({ everyone: true }), SWEEP_EVERY_MS);
  sweep.unref();
  return () => {
    clearInterval(sweep);
    stop();
  };
}
