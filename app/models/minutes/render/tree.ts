// The allow-list walk shared by every renderer of a published version (HTML, PDF, .docx,
// Markdown). Editor JSON goes in, a small closed tree of blocks and styled runs comes out:
// only MINUTES_NODES and MINUTES_MARKS survive, unknown nodes are dropped with their text
// kept, no attribute passes except a heading's clamped level, a list's start number, a
// validated fact key and an http(s) link. Each renderer then only has to escape text for
// its own format, so none of them ever sees the stored JSON.
import { MINUTES_MARKS, MINUTES_NODES, type MinutesFactKey, type MinutesNode, type PublishedMinutes } from "../document";

export type Run = { kind: "text"; text: string; bold: boolean; italic: boolean; underline: boolean; strike: boolean; href: string | null } | { kind: "break" };

export type Block =
  | { kind: "paragraph"; runs: Run[] }
  | { kind: "heading"; level: 1 | 2 | 3; runs: Run[] }
  | { kind: "list"; ordered: boolean; start: number; items: Block[][] }
  | { kind: "blockquote"; blocks: Block[] }
  | { kind: "rule" }
  | { kind: "fact"; key: MinutesFactKey; blocks: Block[] };

/**
 * Beyond this depth the walk stops building structure and keeps only the text, so a
 * hostile document nested thousands deep renders flat instead of overflowing the stack.
 */
export const MAX_NESTING = 24;

const NODES = new Set<string>(MINUTES_NODES);
const MARKS = new Set<string>(MINUTES_MARKS);

/** "header", "attendance", "tasks" or "item:<id>" with an id of letters, digits, _ and - only. */
export function isFactKey(key: unknown): key is MinutesFactKey {
  return typeof key === "string" && /^(?:header|attendance|tasks|item:[A-Za-z0-9_-]{1,64})$/.test(key);
}

/** The link's normalised address when it is an absolute http(s) URL; anything else (javascript:, data:, relative, malformed) is null. */
export function safeHref(href: unknown): string | null {
  if (typeof href !== "string" || href.length > 2048) return null;
  const trimmed = href.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

// C0 controls other than tab and newline, DEL, and lone surrogates: invisible, and some of them
// make XML (the .docx) or a PDF text string invalid.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(text: unknown): string {
  return typeof text === "string" ? text.replace(UNPRINTABLE, "") : "";
}

const isObject = (v: unknown): v is MinutesNode => typeof v === "object" && v !== null && !Array.isArray(v);
const children = (node: MinutesNode): MinutesNode[] => (Array.isArray(node.content) ? node.content.filter(isObject) : []);
const typeOf = (node: MinutesNode): string => (typeof node.type === "string" && NODES.has(node.type) ? node.type : "");

const INLINE_TYPES = new Set(["text", "hardBreak"]);

function textRun(node: MinutesNode): Run | null {
  const text = cleanText(node.text);
  if (!text) return null;
  const run = { kind: "text" as const, text, bold: false, italic: false, underline: false, strike: false, href: null as string | null };
  for (const mark of Array.isArray(node.marks) ? node.marks : []) {
    if (!isObject(mark as unknown) || !MARKS.has(mark.type)) continue;
    if (mark.type === "link") run.href = safeHref(mark.attrs?.href);
    else run[mark.type as "bold" | "italic" | "underline" | "strike"] = true;
  }
  return run;
}

/** All text under a node, iteratively (no recursion, so any depth is safe), as unstyled runs. */
function flatRuns(node: MinutesNode): Run[] {
  const runs: Run[] = [];
  const stack: MinutesNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === "text") {
      const text = cleanText(n.text);
      if (text) runs.push({ kind: "text", text, bold: false, italic: false, underline: false, strike: false, href: null });
    } else if (n.type === "hardBreak") runs.push({ kind: "break" });
    const c = children(n);
    for (let i = c.length - 1; i >= 0; i--) stack.push(c[i]!);
  }
  return runs;
}

/** Inline content: text and breaks kept with their marks; anything else contributes its text only. */
function inlineRuns(nodes: MinutesNode[], depth: number): Run[] {
  const runs: Run[] = [];
  for (const node of nodes) {
    const type = typeOf(node);
    if (type === "text") {
      const run = textRun(node);
      if (run) runs.push(run);
    } else if (type === "hardBreak") runs.push({ kind: "break" });
    else if (depth >= MAX_NESTING) runs.push(...flatRuns(node));
    else runs.push(...inlineRuns(children(node), depth + 1));
  }
  return runs;
}

const hasText = (runs: Run[]) => runs.some((r) => r.kind === "text" && r.text.trim() !== "");

/** Block content: inline nodes found at block level are gathered into paragraphs. */
function blocks(nodes: MinutesNode[], depth: number): Block[] {
  const out: Block[] = [];
  let loose: MinutesNode[] = [];
  const flushLoose = () => {
    if (loose.length) {
      const runs = inlineRuns(loose, depth);
      if (hasText(runs)) out.push({ kind: "paragraph", runs });
      loose = [];
    }
  };
  for (const node of nodes) {
    if (INLINE_TYPES.has(typeOf(node))) {
      loose.push(node);
      continue;
    }
    flushLoose();
    out.push(...block(node, depth));
  }
  flushLoose();
  return out;
}

function block(node: MinutesNode, depth: number): Block[] {
  if (depth >= MAX_NESTING) {
    const runs = flatRuns(node);
    return hasText(runs) ? [{ kind: "paragraph", runs }] : [];
  }
  const inner = children(node);
  switch (typeOf(node)) {
    case "paragraph":
      return [{ kind: "paragraph", runs: inlineRuns(inner, depth + 1) }];
    case "heading": {
      const level = Math.min(3, Math.max(1, Math.trunc(Number(node.attrs?.level)) || 2)) as 1 | 2 | 3;
      return [{ kind: "heading", level, runs: inlineRuns(inner, depth + 1) }];
    }
    case "bulletList":
    case "orderedList": {
      const start = Math.trunc(Number(node.attrs?.start));
      const items = inner.map((item) => blocks(typeOf(item) === "listItem" ? children(item) : [item], depth + 2)).filter((b) => b.length > 0);
      if (!items.length) return [];
      return [{ kind: "list", ordered: node.type === "orderedList", start: start >= 1 && start <= 99999 ? start : 1, items }];
    }
    case "blockquote":
      return [{ kind: "blockquote", blocks: blocks(inner, depth + 1) }];
    case "horizontalRule":
      return [{ kind: "rule" }];
    case "minutesFact": {
      const content = blocks(inner, depth + 1);
      return isFactKey(node.attrs?.key) ? [{ kind: "fact", key: node.attrs.key, blocks: content }] : content;
    }
    default:
      // doc, listItem out of place, or a node the allow-list does not know: keep what it holds.
      return blocks(inner, depth + 1);
  }
}

/** The published content as allow-listed blocks. Never throws, whatever the JSON holds. */
export function minutesBlocks(content: MinutesNode): Block[] {
  return isObject(content) ? blocks(typeOf(content) === "doc" ? children(content) : [content], 0) : [];
}

/** A run list's text, breaks as newlines. */
export function runsText(runs: Run[]): string {
  return runs.map((r) => (r.kind === "break" ? "\n" : r.text)).join("");
}

/** The version's own strings (titles, names, place, reason, address, hash) without unprintable characters, which would make a .docx invalid XML. */
export function cleanMinutes(m: PublishedMinutes): PublishedMinutes {
  return {
    ...m,
    communityName: cleanText(m.communityName),
    sessionTitle: cleanText(m.sessionTitle),
    place: cleanText(m.place),
    chair: cleanText(m.chair),
    secretary: cleanText(m.secretary),
    correctionReason: m.correctionReason === null ? null : cleanText(m.correctionReason),
    hash: cleanText(m.hash),
    previousHash: m.previousHash === null ? null : cleanText(m.previousHash),
    url: cleanText(m.url),
  };
}
