// The contract between the minutes editor (Tiptap over Yjs), the generated fact blocks, and the
// renderers of a published version (HTML, PDF, .docx, Markdown). Isomorphic: no server imports.
//
// A published version stores the editor's ProseMirror JSON. Renderers walk it through an
// allow-list: only the node and mark types below are rendered, anything else is dropped (its
// text kept), and no attribute is copied through except those named here. No user HTML ever
// reaches a page or a file.

/** Block nodes the minutes editor allows (StarterKit without code blocks, plus the fact block). */
export const MINUTES_NODES = [
  "doc",
  "paragraph",
  "heading", // attrs.level 1–3
  "bulletList",
  "orderedList",
  "listItem",
  "blockquote",
  "horizontalRule",
  "hardBreak",
  "text",
  "minutesFact", // attrs.key: a generated block kept current from the database (see below)
] as const;
export type MinutesNodeType = (typeof MINUTES_NODES)[number];

export const MINUTES_MARKS = ["bold", "italic", "underline", "strike", "link"] as const; // link: attrs.href, http(s) only
export type MinutesMarkType = (typeof MINUTES_MARKS)[number];

/** ProseMirror JSON as Tiptap's getJSON() and y-tiptap's yXmlFragmentToProsemirrorJSON() produce it. */
export type MinutesNode = {
  type: string;
  attrs?: Record<string, unknown>;
  content?: MinutesNode[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
};

/**
 * A generated fact block: `{ type: "minutesFact", attrs: { key }, content: [...] }`.
 * Keys name what the block states, one block per key per minutes:
 *   "header"                 title, time, place, chair, secretary
 *   "attendance"             present by constituency, absent, by proxy; the quorum
 *   "item:<agendaItemId>"    the item's motions, their votes and results, its resolution
 *   "tasks"                  the tasks created from the session's resolutions
 * The server rewrites a block's content in place when its facts change; the secretary's own
 * text lives outside fact blocks and is never touched.
 */
export type MinutesFactKey = "header" | "attendance" | "tasks" | `item:${string}`;

/** Everything a renderer needs to produce a published version as a page, PDF, Word file or Markdown. */
export type PublishedMinutes = {
  locale: "zh-CN" | "en";
  communityName: string;
  sessionTitle: string;
  startsAt: Date;
  endedAt: Date | null;
  place: string;
  chair: string; // display name
  secretary: string; // display name
  version: number; // 1, 2, … (2+ are corrections)
  correctionReason: string | null;
  publishedAt: Date;
  noticeFrom: Date;
  noticeTo: Date;
  /** SHA-256 (hex) of this version's canonical form chained to the previous version's hash. */
  hash: string;
  previousHash: string | null;
  /** Absolute URL of this version online (the QR code in the PDF leads here). */
  url: string;
  content: MinutesNode;
};

/** One row of a vote's roll call (CSV export). Secret ballots have no rows. */
export type RollCallRow = {
  agendaItem: string;
  motion: string;
  voter: string;
  constituency: string;
  choice: "yes" | "no" | "abstain";
  byProxyFor: string | null;
  castAt: Date;
};
