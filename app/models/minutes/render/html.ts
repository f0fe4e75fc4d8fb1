// A published version as HTML for the minutes page and the public notice board. Built only from
// the allow-listed tree (tree.ts): every character of text is escaped, the only attributes
// written are our own, and a link's address is an http(s) URL the walk has already normalised.
import type { MinutesNode } from "../document";
import { minutesBlocks, type Block, type Run } from "./tree";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function runHtml(run: Run): string {
  if (run.kind === "break") return "<br>";
  let html = escapeHtml(run.text);
  if (run.bold) html = `<strong>${html}</strong>`;
  if (run.italic) html = `<em>${html}</em>`;
  if (run.underline) html = `<u>${html}</u>`;
  if (run.strike) html = `<s>${html}</s>`;
  if (run.href) html = `<a href="${escapeHtml(run.href)}" rel="noopener noreferrer nofollow">${html}</a>`;
  return html;
}

const runsHtml = (runs: Run[]) => runs.map(runHtml).join("");

function blockHtml(block: Block): string {
  switch (block.kind) {
    case "paragraph":
      return `<p>${runsHtml(block.runs)}</p>`;
    case "heading":
      return `<h${block.level}>${runsHtml(block.runs)}</h${block.level}>`;
    case "list": {
      const items = block.items.map((item) => `<li>${item.map(blockHtml).join("")}</li>`).join("");
      if (!block.ordered) return `<ul>${items}</ul>`;
      return block.start === 1 ? `<ol>${items}</ol>` : `<ol start="${block.start}">${items}</ol>`;
    }
    case "blockquote":
      return `<blockquote>${block.blocks.map(blockHtml).join("")}</blockquote>`;
    case "rule":
      return "<hr>";
    case "fact":
      return `<section class="minutes-fact" data-fact="${escapeHtml(block.key)}">${block.blocks.map(blockHtml).join("")}</section>`;
  }
}

/** The minutes' content as safe HTML: only the allow-list's elements, no attribute from the input but a validated fact key and an http(s) link. */
export function renderMinutesHtml(content: MinutesNode): string {
  return minutesBlocks(content).map(blockHtml).join("");
}
