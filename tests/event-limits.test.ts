// The live-event and Yjs-connection limiters on a driven clock: what a real
// client does stays under them, a flood does not, and they forget people who
// have left (server/realtime/event-limits.ts; over real sockets: live-limits.test.ts).
import { describe, expect, it } from "vitest";
import { EVENT_LIMITS, eventLimiter, upgradeLimiter } from "../server/realtime/event-limits";

describe("live events per connection and per person", () => {
  it("lets a reconnect's burst and a fast chair through, and refuses a flood", () => {
    let t = 0;
    const limiter = eventLimiter(() => t);
    const chair = limiter.connection("chair");
    // A reconnect: join, a few topics, a handful of queued ballots, all at once.
    for (let i = 0; i < 12; i++) expect(chair.admit()).toBe("ok");
    // Then a minute of clicking five times a second.
    for (let s = 0; s < 60 * 5; s++) {
      t += 200;
      expect(chair.admit()).toBe("ok");
    }
    // A flood: the burst, then refusals, then (still flooding) the end of the connection.
    const flood = limiter.connection("flooder");
    const verdicts = Array.from({ length: EVENT_LIMITS.perConnectionBurst + EVENT_LIMITS.disconnectAfterRefusals + 1 }, () => flood.admit());
    expect(verdicts.filter((v) => v === "ok")).toHaveLength(EVENT_LIMITS.perConnectionBurst);
    expect(verdicts.at(-2)).toBe("refuse");
    expect(verdicts.at(-1)).toBe("disconnect");
  });

  it("shares one budget among a person's connections, and forgets the person when the last one ends", () => {
    let t = 0;
    const limiter = eventLimiter(() => t);
    const tabs = Array.from({ length: 6 }, () => limiter.connection("u"));
    const ok = tabs.flatMap((tab) => Array.from({ length: EVENT_LIMITS.perConnectionBurst }, () => tab.admit())).filter((v) => v === "ok").length;
    expect(ok).toBe(EVENT_LIMITS.perUserBurst);
    // Someone else is untouched.
    expect(limiter.connection("v").admit()).toBe("ok");
    t += 1000;
    expect(tabs[0]!.admit()).toBe("ok"); // refilled
    tabs.forEach((tab) => (tab.release(), tab.release())); // releasing twice is harmless
    expect(limiter.size()).toBe(1);
  });
});

describe("Yjs connections per person", () => {
  it("caps open connections and the rate of new ones, and gives a slot back when one closes", () => {
    let t = 0;
    const limiter = upgradeLimiter(() => t);
    const slots = Array.from({ length: EVENT_LIMITS.yjsConnectionsPerUser }, () => limiter.reserve("u"));
    expect(slots.every((s) => "release" in s)).toBe(true);
    expect(limiter.reserve("u")).toEqual({ refused: "tooMany" });
    expect("release" in limiter.reserve("v")).toBe(true);
    (slots[0] as { release: () => void }).release();
    (slots[0] as { release: () => void }).release();
    expect(limiter.open("u")).toBe(EVENT_LIMITS.yjsConnectionsPerUser - 1);
    expect("release" in limiter.reserve("u")).toBe(true);
    // A reconnect loop: closed at once, reopened at once.
    const loop = Array.from({ length: 50 }, () => {
      const r = limiter.reserve("w");
      if ("release" in r) r.release();
      return "release" in r;
    });
    expect(loop.filter(Boolean)).toHaveLength(EVENT_LIMITS.yjsUpgradeBurst);
    expect(limiter.reserve("w")).toEqual({ refused: "tooFast" });
    t += 1000 / EVENT_LIMITS.yjsUpgradesPerSecond;
    expect("release" in limiter.reserve("w")).toBe(true);
  });
});
