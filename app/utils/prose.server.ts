// The server's view of a Tiptap document stored in Yjs: the editor keeps its
// ProseMirror tree in the XmlFragment "default" (y-prosemirror's layout), so
// the server can render it and build it without running an editor.
import * as Y from "yjs";

export const PROSE_FIELD = "default";

/**
 * The most of a rendered copy (HTML or text, in characters) the server writes
 * or embeds in a page: five times a long agenda item. server/yjs/limits.ts lists it
 * with the other co-editing limits.
 */
export const MAX_RENDERED_CHARS = 256 * 1024;

const BLOCK_TAGS: Record<string, string> = {
  paragraph: "p",
  blockquote: "blockquote",
  bulletList: "ul",
  orderedList: "ol",
  listItem: "li",
  codeBlock: "pre",
};
const MARK_TAGS: Record<string, string> = { bold: "strong", italic: "em", strike: "s", code: "code", underline: "u" };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

type Delta = { insert: string | object; attributes?: Record<string, unknown> }[];

function renderText(text: Y.XmlText): { html: string; plain: string } {
  let html = "";
  let plain = "";
  for (const op of text.toDelta() as Delta) {
    if (typeof op.insert !== "string") continue;
    plain += op.insert;
    let piece = escapeHtml(op.insert);
    for (const [mark, value] of Object.entries(op.attributes ?? {})) {
      if (mark === "link") {
        const href = String((value as { href?: unknown })?.href ?? "");
        if (/^(https?:|mailto:|\/)/i.test(href)) piece = `<a href="${escapeHtml(href)}" rel="noopener nofollow">${piece}</a>`;
      } else if (MARK_TAGS[mark]) {
        piece = `<${MARK_TAGS[mark]}>${piece}</${MARK_TAGS[mark]}>`;
      }
    }
    html += piece;
  }
  return { html, plain };
}

function renderNode(node: Y.XmlElement | Y.XmlText | Y.XmlHook): { html: string; plain: string; block: boolean } {
  if (node instanceof Y.XmlText) return { ...renderText(node), block: false };
  if (!(node instanceof Y.XmlElement)) return { html: "", plain: "", block: false };
  const name = node.nodeName;
  if (name === "hardBreak") return { html: "<br>", plain: "\n", block: false };
  if (name === "horizontalRule") return { html: "<hr>", plain: "", block: true };
  const children = node.toArray().map((c) => renderNode(c as Y.XmlElement | Y.XmlText));
  const inner = children.map((c) => c.html).join("");
  const childBlocks = children.some((c) => c.block);
  const plain = children.map((c) => c.plain).join(childBlocks ? "\n" : "");
  let tag = BLOCK_TAGS[name];
  if (name === "heading") {
    const level = Math.min(6, Math.max(1, Number(node.getAttribute("level")) || 2));
    tag = `h${level}`;
  }
  if (!tag) return { html: inner, plain, block: childBlocks };
  const html = name === "codeBlock" ? `<pre><code>${inner}</code></pre>` : `<${tag}>${inner}</${tag}>`;
  return { html, plain, block: true };
}

/**
 * The rendered copy kept beside each co-edited document: safe HTML and plain
 * text for lists and search. With `maxChars`, rendering stops at the first
 * top-level block that would take the HTML past it (HTML is never cut inside a
 * tag), and the text is cut at `maxChars`; `truncated` says so.
 */
export function renderProse(doc: Y.Doc, maxChars = Infinity): { html: string; text: string; truncated: boolean } {
  let html = "";
  const plain: string[] = [];
  let plainLength = 0;
  let truncated = false;
  for (const node of doc.getXmlFragment(PROSE_FIELD).toArray()) {
    const part = renderNode(node as Y.XmlElement | Y.XmlText);
    if (html.length + part.html.length > maxChars || plainLength + part.plain.length > maxChars) {
      plain.push(part.plain);
      truncated = true;
      break;
    }
    html += part.html;
    plain.push(part.plain);
    plainLength += part.plain.length + 1;
  }
  const text = plain.join("\n").trim();
  return { html, text: truncated ? text.slice(0, maxChars) : text, truncated };
}

/** A new document whose prose is the given paragraphs: its first Yjs update and its rendered copy. */
export function proseFromText(text: string): { update: Uint8Array; html: string; text: string } {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(PROSE_FIELD);
  const paragraphs = text.split(/\n+/).map((line) => {
    const p = new Y.XmlElement("paragraph");
    if (line) p.insert(0, [new Y.XmlText(line)]);
    return p;
  });
  fragment.insert(0, paragraphs);
  const result = { update: Y.encodeStateAsUpdate(doc), ...renderProse(doc) };
  doc.destroy();
  return result;
}
