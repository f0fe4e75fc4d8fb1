// The tamper evidence of published minutes: a version's hash is the SHA-256 of a canonical
// form of what was published, chained to the previous version's hash, so changing any stored
// byte of any version (or dropping one) shows at verification and names the version.
// Pure (node:crypto only): table-tested in tests/minutes.test.ts.
import { createHash } from "node:crypto";

/**
 * Stable JSON: object keys sorted, strings NFC-normalised, no whitespace, undefined dropped,
 * dates as ISO strings. Two equal documents always give the same bytes, whatever the key order
 * or the Unicode composition the editor happened to produce.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === "string") return JSON.stringify(value.normalize("NFC"));
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error("canonicalJson: non-finite number");
    return JSON.stringify(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k.normalize("NFC"), v] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  throw new Error(`canonicalJson: cannot encode ${typeof value}`);
}

export type HashInput = { content: unknown; metadata: unknown; version: number; previousHash: string | null };

export function versionHash(input: HashInput): string {
  return createHash("sha256")
    .update(canonicalJson({ content: input.content, metadata: input.metadata, version: input.version, previousHash: input.previousHash }), "utf8")
    .digest("hex");
}

/** A version as stored: content and metadata are the stored JSON text, read back byte for byte. */
export type StoredVersion = { version: number; content: string; metadata: string; hash: string; previousHash: string | null };

export type VersionCheck = {
  version: number;
  hash: string;
  ok: boolean;
  /** Why it fails: its stored JSON no longer parses, its hash does not match its content, or its link to the previous version is broken. */
  problem: "unreadable" | "hashMismatch" | "brokenLink" | "missingVersion" | null;
};

export type ChainReport = { ok: boolean; versions: VersionCheck[]; firstBad: number | null };

/** Recomputes every version's hash from its stored content and checks each link of the chain. */
export function verifyChain(stored: StoredVersion[]): ChainReport {
  const sorted = [...stored].sort((a, b) => a.version - b.version);
  const versions: VersionCheck[] = [];
  let previous: StoredVersion | null = null;
  for (const [i, v] of sorted.entries()) {
    let problem: VersionCheck["problem"] = null;
    if (v.version !== i + 1) problem = "missingVersion";
    else if (v.previousHash !== (previous ? previous.hash : null)) problem = "brokenLink";
    else {
      try {
        const recomputed = versionHash({ content: JSON.parse(v.content), metadata: JSON.parse(v.metadata), version: v.version, previousHash: v.previousHash });
        if (recomputed !== v.hash) problem = "hashMismatch";
      } catch {
        problem = "unreadable";
      }
    }
    versions.push({ version: v.version, hash: v.hash, ok: problem === null, problem });
    previous = v;
  }
  const bad = versions.find((v) => !v.ok);
  return { ok: !bad, versions, firstBad: bad?.version ?? null };
}

export const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** What a hash someone holds (printed on a PDF, in a link) says about the minutes. */
export type HashLookup =
  { status: "current"; version: number } | { status: "stale"; version: number; latest: number } | { status: "unknown" } | { status: "malformed" };

export function lookUpHash(given: string, chain: { version: number; hash: string }[]): HashLookup {
  const h = given.trim().toLowerCase();
  if (!HASH_PATTERN.test(h)) return { status: "malformed" };
  const latest = chain.reduce((n, v) => Math.max(n, v.version), 0);
  const match = chain.find((v) => v.hash === h);
  if (!match) return { status: "unknown" };
  return match.version === latest ? { status: "current", version: match.version } : { status: "stale", version: match.version, latest };
}
