// Every string on screen goes through i18n: each key the code asks for exists
// in both languages, and the two languages have the same keys.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resources } from "~/i18n";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? (f === "generated" ? [] : files(p)) : /\.(tsx?|ts)$/.test(f) ? [p] : [];
  });
}

function keys(obj: object, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === "string" ? [prefix + k] : keys(v as object, `${prefix}${k}.`)));
}

describe("translations", () => {
  const zh = new Set(keys(resources["zh-CN"].translation));
  const en = new Set(keys(resources.en.translation));

  it("zh-CN and en have the same keys", () => {
    expect([...zh].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !zh.has(k))).toEqual([]);
  });

  it("every literal key used in the app and in error messages exists", () => {
    const used = new Set<string>();
    for (const file of [...files("app"), ...files("server")]) {
      const src = readFileSync(file, "utf8");
      for (const m of src.matchAll(/\bt\(\s*"([a-zA-Z]+\.[a-zA-Z0-9_.-]+)"/g)) used.add(m[1]!);
      for (const m of src.matchAll(/"((?:errors|login|invite)\.[a-zA-Z]+)"/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((k) => !zh.has(k))).toEqual([]);
  });
});
