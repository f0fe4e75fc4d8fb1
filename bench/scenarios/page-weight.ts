// Page weight: a session with 200 agenda items. How long the server takes to
// render GET /sessions/<id> (signed in with a bearer token), and how much
// JavaScript a phone downloads for that page, gzip as the server sends it.
import http from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { now } from "../lib/clock";
import type { Context } from "../lib/context";
import { summarize, type LatencySummary } from "../lib/histogram";
import { build, startYishi } from "../lib/servers";

type Fetched = { status: number; ttfbMs: number; totalMs: number; wireBytes: number; body: Buffer; encoding: string };

/** GET over loopback, recording the bytes on the wire (compressed) and the decoded body. */
function get(url: string, headers: Record<string, string> = {}): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const req = http.get(url, { headers: { "accept-encoding": "gzip", ...headers }, timeout: 30_000 }, (res) => {
      const ttfbMs = now() - t0;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const wire = Buffer.concat(chunks);
        const encoding = String(res.headers["content-encoding"] ?? "identity");
        const body = encoding === "gzip" ? gunzipSync(wire) : wire;
        resolve({ status: res.statusCode ?? 0, ttfbMs, totalMs: now() - t0, wireBytes: wire.length, body, encoding });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on("error", reject);
  });
}

export type Asset = { path: string; how: string; rawBytes: number; gzipWireBytes: number; gzip9Bytes: number };

export type PageWeightResult = {
  sessionId: string;
  agendaItems: number;
  requests: number;
  renderMs: LatencySummary;
  ttfbMs: LatencySummary;
  html: { rawBytes: number; gzipWireBytes: number; itemsListed: number };
  referenced: Asset[];
  lazy: Asset[];
  referencedGzipBytes: number;
  lazyGzipBytes: number;
  totalGzipBytes: number;
  editorChunkReferenced: boolean;
  editorChunkLazy: boolean;
  itemPage: { referencedGzipBytes: number; editorChunkReferencedOrLazy: boolean } | null;
};

const ASSET = String.raw`\/assets\/[A-Za-z0-9._-]+\.js`;

/** The scripts an HTML page makes the browser fetch before it runs: script src, modulepreload, imports in inline modules. */
export function scriptsReferencedBy(html: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of html.matchAll(new RegExp(String.raw`<script\b[^>]*\bsrc="(${ASSET})"`, "g"))) found.set(m[1]!, "script src");
  for (const m of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = m[0];
    const href = new RegExp(`href="(${ASSET})"`).exec(tag)?.[1];
    if (href && /rel="modulepreload"/.test(tag) && !found.has(href)) found.set(href, "modulepreload");
  }
  for (const m of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
    for (const i of m[1]!.matchAll(new RegExp(String.raw`(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](${ASSET})["']`, "g"))) {
      if (!found.has(i[1]!)) found.set(i[1]!, "inline module import");
    }
  }
  return found;
}

/** Chunks a built chunk imports: static (`from"./x.js"`, `import"./x.js"`) and dynamic (`import("./x.js")`). */
function importsOf(source: string): { staticImports: string[]; dynamicImports: string[] } {
  const staticImports = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*)["']\.\/([A-Za-z0-9._-]+\.js)["']/g)].map((m) => `/assets/${m[1]}`);
  const dynamicImports = [...source.matchAll(/\bimport\(\s*["']\.\/([A-Za-z0-9._-]+\.js)["']\s*\)/g)].map((m) => `/assets/${m[1]}`);
  return { staticImports, dynamicImports };
}

async function weigh(base: string, paths: Map<string, string>): Promise<Asset[]> {
  const assets: Asset[] = [];
  for (const [p, how] of paths) {
    const res = await get(`${base}${p}`);
    if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}`);
    assets.push({ path: p, how, rawBytes: res.body.length, gzipWireBytes: res.wireBytes, gzip9Bytes: gzipSync(res.body, { level: 9 }).length });
  }
  return assets;
}

/** Everything the referenced scripts pull in: static imports must already be preloaded; dynamic ones load later. */
function closure(referenced: Map<string, string>): { missingStatic: Map<string, string>; lazy: Map<string, string> } {
  const clientDir = path.join(build.dir, "client");
  const seen = new Set(referenced.keys());
  const missingStatic = new Map<string, string>();
  const lazy = new Map<string, string>();
  const queue = [...referenced.keys()];
  while (queue.length > 0) {
    const p = queue.shift()!;
    let source: string;
    try {
      source = readFileSync(path.join(clientDir, p), "utf8");
    } catch {
      continue;
    }
    const { staticImports, dynamicImports } = importsOf(source);
    for (const s of staticImports) {
      if (seen.has(s)) continue;
      seen.add(s);
      queue.push(s);
      (lazy.has(p) ? lazy : missingStatic).set(s, `static import of ${p}`);
    }
    for (const d of dynamicImports) {
      if (seen.has(d)) continue;
      seen.add(d);
      queue.push(d);
      lazy.set(d, `import() in ${p}`);
    }
  }
  return { missingStatic, lazy };
}

const sum = (assets: Asset[]) => assets.reduce((a, x) => a + x.gzipWireBytes, 0);
const isEditorChunk = (p: string) => /\/collaborative-editor-[^/]*\.js$/.test(p);

export async function runPageWeight(ctx: Context): Promise<PageWeightResult> {
  const { requests, warmup } = ctx.sizes.page;
  const sessionId = ctx.setup.page.sessionId;
  ctx.log(`page weight on Yishi: GET /sessions/<id> with ${ctx.setup.page.items} agenda items, ${requests} requests`);
  const server = await startYishi({ tmpDir: ctx.tmpDir, databaseUrl: ctx.databaseUrl, label: "page" });
  try {
    const headers = { authorization: `Bearer ${ctx.tokens.resident1}` };
    const url = `${server.httpBase}/sessions/${sessionId}`;
    let page: Fetched | undefined;
    for (let i = 0; i < warmup; i++) page = await get(url, headers);
    if (!page || page.status !== 200) throw new Error(`GET /sessions/${sessionId} answered ${page?.status}`);
    const totals: number[] = [];
    const ttfbs: number[] = [];
    for (let i = 0; i < requests; i++) {
      const res = await get(url, headers);
      if (res.status !== 200) throw new Error(`GET /sessions/${sessionId} answered ${res.status} on request ${i}`);
      totals.push(res.totalMs);
      ttfbs.push(res.ttfbMs);
      page = res;
    }
    const html = page.body.toString("utf8");
    const itemsListed = (html.match(/data-testid="agenda-item-link"/g) ?? []).length;
    const referencedPaths = scriptsReferencedBy(html);
    const { missingStatic, lazy: lazyPaths } = closure(referencedPaths);
    for (const [p, why] of missingStatic) referencedPaths.set(p, `not preloaded: ${why}`);
    const referenced = await weigh(server.httpBase, referencedPaths);
    const lazy = await weigh(server.httpBase, lazyPaths);

    // The agenda item page, for comparison: the one that should carry the editor.
    let itemPage: PageWeightResult["itemPage"] = null;
    const itemLink = /href="(\/sessions\/[^"]+\/items\/[^"]+)"/.exec(html)?.[1];
    if (itemLink) {
      const item = await get(`${server.httpBase}${itemLink}`, headers);
      if (item.status === 200) {
        const refs = scriptsReferencedBy(item.body.toString("utf8"));
        const c = closure(refs);
        for (const [p, why] of c.missingStatic) refs.set(p, why);
        const weighed = await weigh(server.httpBase, refs);
        itemPage = { referencedGzipBytes: sum(weighed), editorChunkReferencedOrLazy: [...refs.keys(), ...c.lazy.keys()].some(isEditorChunk) };
      }
    }

    const result: PageWeightResult = {
      sessionId,
      agendaItems: ctx.setup.page.items,
      requests,
      renderMs: summarize(totals),
      ttfbMs: summarize(ttfbs),
      html: { rawBytes: page.body.length, gzipWireBytes: page.wireBytes, itemsListed },
      referenced,
      lazy,
      referencedGzipBytes: sum(referenced),
      lazyGzipBytes: sum(lazy),
      totalGzipBytes: sum(referenced) + sum(lazy),
      editorChunkReferenced: referenced.some((a) => isEditorChunk(a.path)),
      editorChunkLazy: lazy.some((a) => isEditorChunk(a.path)),
      itemPage,
    };
    ctx.log(
      `  render p50 ${result.renderMs.p50.toFixed(1)} ms, p95 ${result.renderMs.p95.toFixed(1)} ms; HTML ${(page.wireBytes / 1024).toFixed(1)} KB gzip; ` +
        `JS ${(result.referencedGzipBytes / 1024).toFixed(1)} KB gzip referenced + ${(result.lazyGzipBytes / 1024).toFixed(1)} KB loaded lazily`,
    );
    return result;
  } finally {
    await server.stop();
  }
}
