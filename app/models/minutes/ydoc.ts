// The minutes' Y.Doc as the server touches it: fact blocks written in place as Y.XmlElements
// (the shape y-tiptap gives Tiptap nodes: element per node, attributes per attr, XmlText with
// formatting per mark), and the document read back as ProseMirror JSON for publishing.
// Only the children of top-level minutesFact elements are ever replaced; every other node (the
// secretary's text) is left alone, so a concurrent edit there merges as usual in Yjs.
import { yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import type { MinutesFactKey, MinutesNode } from "./document";
import { canonicalJson } from "./hash";

export const MINUTES_FRAGMENT = "default";
export const FACT_NODE = "minutesFact";

/** Merges runs of text nodes into one XmlText (marks as formatting attributes), as y-prosemirror does. */
function childrenToY(content: MinutesNode[] | undefined): (Y.XmlElement | Y.XmlText)[] {
  const out: (Y.XmlElement | Y.XmlText)[] = [];
  let run: MinutesNode[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const t = new Y.XmlText();
    let at = 0;
    for (const n of run) {
      const attrs = Object.fromEntries((n.marks ?? []).map((m) => [m.type, m.attrs ?? {}]));
      t.insert(at, n.text ?? "", attrs);
      at += (n.text ?? "").length;
    }
    out.push(t);
    run = [];
  };
  for (const node of content ?? []) {
    if (node.type === "text") run.push(node);
    else {
      flush();
      out.push(nodeToY(node));
    }
  }
  flush();
  return out;
}

export function nodeToY(node: MinutesNode): Y.XmlElement {
  const el = new Y.XmlElement(node.type);
  for (const [k, v] of Object.entries(node.attrs ?? {})) if (v !== null && v !== undefined) el.setAttribute(k, v as string);
  const children = childrenToY(node.content);
  if (children.length) el.insert(0, children);
  return el;
}

/** ProseMirror JSON without the empty `attrs: {}` y-tiptap puts on marks, so equal documents compare equal. */
export function normalizeNode(node: MinutesNode): MinutesNode {
  const out: MinutesNode = { type: node.type };
  if (node.attrs && Object.keys(node.attrs).length) out.attrs = node.attrs;
  if (node.text !== undefined) out.text = node.text;
  if (node.marks?.length) out.marks = node.marks.map((m) => (m.attrs && Object.keys(m.attrs).length ? { type: m.type, attrs: m.attrs } : { type: m.type }));
  if (node.content?.length) out.content = node.content.map(normalizeNode);
  return out;
}

/** The whole minutes as ProseMirror JSON (what a published version stores). */
export function readMinutesJson(doc: Y.Doc): MinutesNode {
  return normalizeNode(yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(MINUTES_FRAGMENT)) as MinutesNode);
}

function elementContent(el: Y.XmlElement): MinutesNode[] {
  return (normalizeNode(yXmlFragmentToProsemirrorJSON(el as unknown as Y.XmlFragment) as MinutesNode).content ?? []).map(normalizeNode);
}

/** The fact blocks now in the document, by key (the first block of a key wins). */
export function factElements(doc: Y.Doc): Map<string, Y.XmlElement> {
  const found = new Map<string, Y.XmlElement>();
  for (const n of doc.getXmlFragment(MINUTES_FRAGMENT).toArray()) {
    if (n instanceof Y.XmlElement && n.nodeName === FACT_NODE) {
      const key = n.getAttribute("key");
      if (typeof key === "string" && !found.has(key)) found.set(key, n);
    }
  }
  return found;
}

/**
 * Writes fact blocks in one transaction: a block whose content changed gets its children
 * replaced, a missing one is inserted before the next block in `order` (or at the end) with
 * an empty paragraph after it for the secretary, and, when `order` is complete, blocks whose
 * key is no longer a fact (an item left the agenda) are removed. Nothing else is touched.
 * Returns the keys it changed.
 */
export function writeFactBlocks(
  doc: Y.Doc,
  blocks: Map<MinutesFactKey, MinutesNode[]>,
  order: MinutesFactKey[],
  { complete = false, origin }: { complete?: boolean; origin?: unknown } = {},
): MinutesFactKey[] {
  const changed: MinutesFactKey[] = [];
  doc.transact(() => {
    const fragment = doc.getXmlFragment(MINUTES_FRAGMENT);
    const existing = factElements(doc);
    for (const [key, content] of blocks) {
      const el = existing.get(key);
      if (el) {
        if (canonicalJson(elementContent(el)) === canonicalJson(content.map(normalizeNode))) continue;
        if (el.length) el.delete(0, el.length);
        const children = childrenToY(content);
        if (children.length) el.insert(0, children);
        changed.push(key);
        continue;
      }
      const fresh = nodeToY({ type: FACT_NODE, attrs: { key }, content });
      const next = order
        .slice(order.indexOf(key) + 1)
        .map((k) => existing.get(k))
        .find(Boolean);
      const at = next ? fragment.toArray().indexOf(next) : fragment.length;
      fragment.insert(at, [fresh, new Y.XmlElement("paragraph")]);
      existing.set(key, fresh);
      changed.push(key);
    }
    if (complete) {
      for (const [key, el] of existing) {
        if ((order as string[]).includes(key)) continue;
        const i = fragment.toArray().indexOf(el);
        if (i >= 0) fragment.delete(i, 1);
        changed.push(key as MinutesFactKey);
      }
    }
  }, origin);
  return changed;
}
