// A published version as Markdown, for archives and for pasting elsewhere. Text is escaped so
// that nothing a secretary typed becomes Markdown syntax (or raw HTML, which Markdown passes
// through): what reads as text in the minutes reads as the same text after any renderer.
import type { PublishedMinutes } from "../document";
import { documentName, exportLabels, isDraft, metaLines } from "./labels";
import { cleanMinutes, minutesBlocks, safeHref, type Block, type Run } from "./tree";

// Characters that mean something anywhere in a line (emphasis, code, links, raw HTML, entities,
// tables, strikethrough). CommonMark lets any ASCII punctuation be backslash-escaped.
const INLINE_SPECIALS = /[\\`*_[\]{}()<>~|&!#]/g;

/** Text escaped so CommonMark/GFM shows it literally, wherever in a line it stands. */
export function escapeMarkdown(text: string): string {
  return text.replace(INLINE_SPECIALS, "\\$&");
}

/** What only means something at the start of a line: block quotes, list markers, setext underlines, ordered markers. */
function escapeLineStart(text: string): string {
  return text
    .replace(/^[ \t]+/, "")
    .replace(/^([>+=-])|^(\d+)([.)])/, (_m, mark: string | undefined, digits: string, dot: string) => (mark ? `\\${mark}` : `${digits}\\${dot}`));
}

function runMarkdown(run: Run & { kind: "text" }, atLineStart: boolean): string {
  // Spaces stay outside emphasis markers, and so do punctuation and symbols at either end: a `**`
  // between "，" and a following ideograph is not a closing delimiter in CommonMark, so
  // "**多年，**经" would show its asterisks. Chinese text puts punctuation there all the time.
  const emphasised = run.bold || run.italic || run.strike;
  const edge = emphasised ? /^([\s\p{P}\p{S}]*)([\s\S]*?)([\s\p{P}\p{S}]*)$/u : /^(\s*)([\s\S]*?)(\s*)$/;
  const [, before = "", core = "", after = ""] = edge.exec(run.text) ?? [];
  let md = escapeMarkdown(core);
  if (core) {
    if (run.bold) md = `**${md}**`;
    if (run.italic) md = `*${md}*`;
    if (run.strike) md = `~~${md}~~`;
  }
  md = escapeMarkdown(before) + md + escapeMarkdown(after);
  // Leading spaces would make an indented code block or hide a line-start marker from the escaping.
  if (atLineStart) md = escapeLineStart(md);
  if (run.href && md.trim()) md = `[${md}](<${run.href}>)`;
  // Underline has no Markdown form; the words are kept.
  return md;
}

function runsMarkdown(runs: Run[]): string {
  let out = "";
  let atLineStart = true;
  for (const run of runs) {
    if (run.kind === "break") {
      out += "\\\n";
      atLineStart = true;
      continue;
    }
    // A newline typed inside a text node is only whitespace in the editor's model.
    const text = { ...run, text: run.text.replace(/\s*\n\s*/g, " ") };
    const md = runMarkdown(text, atLineStart);
    out += md;
    if (md) atLineStart = false;
  }
  return out;
}

const indentLines = (text: string, first: string, rest: string) =>
  text
    .split("\n")
    .map((line, i) => (i === 0 ? first : line ? rest : "") + line)
    .join("\n");

function blockMarkdown(block: Block): string {
  switch (block.kind) {
    case "paragraph":
      return runsMarkdown(block.runs);
    case "heading":
      // The document's own title is the only level-1 heading.
      return `${"#".repeat(block.level + 1)} ${runsMarkdown(block.runs)}`;
    case "list":
      return block.items
        .map((item, i) => {
          const marker = block.ordered ? `${block.start + i}. ` : "- ";
          return indentLines(item.map(blockMarkdown).join("\n\n"), marker, " ".repeat(marker.length));
        })
        .join("\n");
    case "blockquote":
      return block.blocks
        .map(blockMarkdown)
        .join("\n\n")
        .split("\n")
        .map((line) => (line ? `> ${line}` : ">"))
        .join("\n");
    case "rule":
      return "---";
    case "fact":
      return block.blocks.map(blockMarkdown).join("\n\n");
  }
}

/** The published minutes as a Markdown file: title, facts of the session, content, signatures, hash and address. */
export function renderMinutesMarkdown(input: PublishedMinutes): string {
  const m = cleanMinutes(input);
  const l = exportLabels(m.locale);
  const parts: string[] = [`# ${escapeMarkdown(`${m.sessionTitle} ${documentName(m)}`)}`, `**${escapeMarkdown(m.communityName)}**`];
  parts.push(
    metaLines(m)
      .map(([label, value]) => `- ${escapeMarkdown(label)}：${escapeMarkdown(value)}`)
      .join("\n"),
  );
  if (m.version > 1) {
    const lines = [`**${escapeMarkdown(l.correction(m.version))}**`, escapeLineStart(escapeMarkdown(m.correctionReason ?? ""))];
    if (m.previousHash) lines.push(`${escapeMarkdown(l.previousHash)}：\`${m.previousHash.replace(/[^0-9a-f]/gi, "")}\``);
    parts.push(lines.map((line) => `> ${line}`).join("\\\n"));
  }
  parts.push("---");
  for (const block of minutesBlocks(m.content)) {
    const md = blockMarkdown(block);
    if (md.trim()) parts.push(md);
  }
  parts.push("---");
  parts.push(`${escapeMarkdown(l.chair)}：${escapeMarkdown(m.chair)}\\\n${escapeMarkdown(l.secretary)}：${escapeMarkdown(m.secretary)}`);
  const address = `<${safeHref(m.url) ?? ""}>`;
  parts.push(isDraft(m) ? address : `${escapeMarkdown(l.hash)}：\`${m.hash.replace(/[^0-9a-f]/gi, "")}\`\\\n${address}`);
  return `${parts.join("\n\n")}\n`;
}
