// A published version as an A4 PDF, made on the server with pdfkit: no browser, no network.
// Chinese is set in a cut of Noto Sans CJK SC committed under assets/fonts (scripts/make-pdf-font.sh
// says how it was made and what it covers). Line breaking is pdfkit's Unicode line breaking
// (UAX #14): a break may fall between any two ideographs, never before closing punctuation
// such as 。，、；：？！」』） nor after opening punctuation such as 「『（ (tests/minutes-pdf.test.ts
// checks both on the extracted lines).
import { readFileSync } from "node:fs";
import path from "node:path";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import type { PublishedMinutes } from "../document";
import { documentName, exportLabels, isDraft, metaLines } from "./labels";
import { cleanMinutes, cleanText, minutesBlocks, safeHref, type Block, type Run } from "./tree";

export const PDF_FONT_PATH = path.resolve(process.cwd(), "assets/fonts/minutes-sans-sc.otf");

/** A4 in points, and the page geometry every part of the layout shares (the QR test reads it too). */
export const PAGE = { width: 595.28, height: 841.89, top: 72, bottom: 64, left: 64, right: 64 } as const;
const CONTENT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
/** The QR code's square on the last page: bottom right, above the footer. */
export const QR_BOX = { size: 96, x: PAGE.width - PAGE.right - 96, y: PAGE.height - PAGE.bottom - 96 } as const;
/** Room the closing block (signatures, QR code, hash) needs on the last page. */
const CLOSING_HEIGHT = 200;

const INK = "#1a1a1a";
const MUTED = "#5f6368";
const ACCENT = "#b3261e"; // the council's red, for rules and the fact bars
const LINK = "#1a4fa0";
const BODY_SIZE = 11;
const LINE_GAP = 4;
const HEADING_SIZE = { 1: 17, 2: 14, 3: 12.5 } as const;

let fontBytes: Buffer | null = null;
/** pdfkit's parsed face (a fontkit font), kept after the first document to skip re-parsing the 7.7 MB font. */
let parsedFace: unknown = null;

/** U+3013 GETA MARK, the typesetter's sign for a character the font lacks (in GB2312, so always set). */
export const MISSING_GLYPH = "〓";

/**
 * The text with every character the face cannot draw replaced by 〓. Without it pdfkit draws the
 * font's empty .notdef glyph and the character silently vanishes from page and extracted text; a
 * name with a hole in it is worse than a visibly marked one (the online version, behind the QR
 * code, has the character).
 */
function drawable(doc: Doc, text: string): string {
  const face = (doc as unknown as { _font?: { font?: { hasGlyphForCodePoint?: (cp: number) => boolean } } })._font?.font;
  if (typeof face?.hasGlyphForCodePoint !== "function") return text;
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += cp < 0x20 || /\s/u.test(ch) || face.hasGlyphForCodePoint(cp) ? ch : MISSING_GLYPH;
  }
  return out;
}

function fontSource(): Buffer | object {
  if (parsedFace) return parsedFace as object;
  fontBytes ??= readFileSync(PDF_FONT_PATH);
  return fontBytes;
}

type Doc = PDFKit.PDFDocument;

/** A vertical bar beside a block that may run over several pages, drawn once the pages are laid out. */
type Bar = { page: number; from: number; to: number; color: string; x: number };

class MinutesPdf {
  readonly doc: Doc;
  private bars: Bar[] = [];
  private openBars: { start: number; page: number; color: string; x: number }[] = [];
  private page = 0;

  constructor(readonly m: PublishedMinutes) {
    this.doc = new PDFDocument({
      size: "A4",
      margins: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right },
      bufferPages: true,
      font: fontSource() as unknown as string, // pdfkit takes a font buffer or a parsed face here; its types say string
      // Dated at publication, not at rendering: the PDF of a version is then the same bytes every time.
      info: {
        Title: `${m.sessionTitle} ${documentName(m)}`,
        Author: m.communityName,
        Subject: m.hash,
        Creator: "Yishi",
        CreationDate: m.publishedAt,
        ModDate: m.publishedAt,
      },
      lang: m.locale,
      displayTitle: true,
    });
    if (!parsedFace) {
      const face = (this.doc as unknown as { _font?: { font?: { layout?: unknown } } })._font?.font;
      if (typeof face?.layout === "function") parsedFace = face;
    }
    this.doc.fontSize(BODY_SIZE).fillColor(INK).lineGap(LINE_GAP);
    this.doc.on("pageAdded", () => {
      // A bar still open runs to the foot of the page it started on and resumes at the top.
      for (const bar of this.openBars) {
        this.bars.push({ page: bar.page, from: bar.start, to: PAGE.height - PAGE.bottom, color: bar.color, x: bar.x });
        bar.page = this.page + 1;
        bar.start = PAGE.top;
      }
      this.page++;
    });
  }

  /** Text from the database (titles, names, reasons): unprintable characters dropped, undrawable ones marked. */
  private safe(text: string): string {
    return drawable(this.doc, cleanText(text));
  }

  private get x0() {
    return PAGE.left;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  private ensureRoom(height: number) {
    if (this.doc.y + height > PAGE.height - PAGE.bottom) this.doc.addPage();
  }

  private runs(runs: Run[], x: number, width: number, size: number, color: string, strong = false) {
    const doc = this.doc;
    // pdfkit joins the pieces of one paragraph with `continued`; hard breaks become newlines.
    const pieces = runs.length ? runs : [{ kind: "text" as const, text: " ", bold: false, italic: false, underline: false, strike: false, href: null }];
    doc.fontSize(size);
    doc.x = x;
    pieces.forEach((run, i) => {
      const last = i === pieces.length - 1;
      const text = run.kind === "break" ? "\n" : drawable(doc, run.text);
      const bold = strong || (run.kind === "text" && run.bold);
      const href = run.kind === "text" ? run.href : null;
      doc.fillColor(href ? LINK : color).strokeColor(href ? LINK : color);
      // One regular face only: bold is the glyph outline stroked over its fill, italic a slant.
      doc.lineWidth(bold ? size * 0.035 : 0);
      doc.text(text, {
        width,
        lineGap: LINE_GAP,
        continued: !last,
        fill: true,
        stroke: bold,
        oblique: run.kind === "text" && run.italic ? 12 : false,
        underline: run.kind === "text" && (run.underline || !!href),
        strike: run.kind === "text" && run.strike,
        link: href,
      });
    });
    doc.fillColor(INK).strokeColor(INK).lineWidth(1);
  }

  private openBar(x: number, color: string) {
    this.openBars.push({ start: this.doc.y, page: this.page, color, x });
  }

  private closeBar() {
    const bar = this.openBars.pop();
    if (bar) this.bars.push({ page: bar.page, from: bar.start, to: this.doc.y, color: bar.color, x: bar.x });
  }

  /** `tight`: inside a list item, where paragraphs sit closer together. */
  blocks(blocks: Block[], indent: number, tight = false) {
    for (const block of blocks) this.block(block, indent, tight);
  }

  private block(block: Block, indent: number, tight: boolean) {
    const doc = this.doc;
    const x = this.x0 + indent;
    const width = CONTENT_WIDTH - indent;
    switch (block.kind) {
      case "paragraph":
        this.runs(block.runs, x, width, BODY_SIZE, INK);
        doc.moveDown(tight ? 0.1 : 0.45);
        break;
      case "heading": {
        const size = HEADING_SIZE[block.level];
        // Keep a heading with at least two lines of what follows it.
        this.ensureRoom(size * 1.6 + BODY_SIZE * 4);
        doc.moveDown(block.level === 1 ? 0.6 : 0.35);
        this.runs(block.runs, x, width, size, block.level === 1 ? ACCENT : INK, true);
        doc.fontSize(BODY_SIZE).moveDown(0.35);
        break;
      }
      case "list": {
        const markerWidth = block.ordered ? 26 : 16;
        block.items.forEach((item, i) => {
          this.ensureRoom(BODY_SIZE * 1.6);
          const y = doc.y;
          if (block.ordered) {
            doc
              .fontSize(BODY_SIZE)
              .fillColor(INK)
              .text(`${block.start + i}.`, x, y, { width: markerWidth - 4, lineBreak: false, align: "right" });
          } else {
            // A drawn dot, not the "•" glyph: Noto CJK shares that glyph with "·" (as in 买买提·吐尔逊),
            // and a PDF maps each glyph to one character, so names would copy out with bullets.
            doc.circle(x + 4, y + BODY_SIZE * 0.62, 1.8).fill(INK);
          }
          doc.y = y;
          this.blocks(item, indent + markerWidth, true);
        });
        if (!tight) doc.moveDown(0.35);
        break;
      }
      case "blockquote":
        this.openBar(x + 2, "#c4c7c5");
        this.blocks(block.blocks, indent + 14, tight);
        this.closeBar();
        doc.moveDown(0.2);
        break;
      case "rule": {
        this.ensureRoom(BODY_SIZE * 2);
        doc.moveDown(0.3);
        doc
          .moveTo(x, doc.y)
          .lineTo(x + width, doc.y)
          .lineWidth(0.6)
          .strokeColor("#c4c7c5")
          .stroke()
          .lineWidth(1)
          .strokeColor(INK);
        doc.moveDown(0.8);
        break;
      }
      case "fact":
        // Facts the system generated (attendance, votes, tasks) carry a red bar in the margin.
        this.openBar(x + 1, ACCENT);
        this.blocks(block.blocks, indent + 12, tight);
        this.closeBar();
        doc.moveDown(0.3);
        break;
    }
  }

  title() {
    const { doc, m } = this;
    const l = exportLabels(m.locale);
    doc
      .fontSize(20)
      .fillColor(INK)
      .lineWidth(0.6)
      .text(this.safe(m.sessionTitle), this.x0, doc.y, { width: CONTENT_WIDTH, align: "center", fill: true, stroke: true });
    doc.lineWidth(1).fontSize(14).fillColor(ACCENT).text(documentName(m), { width: CONTENT_WIDTH, align: "center" });
    doc.moveDown(0.8).fontSize(BODY_SIZE).fillColor(INK);
    for (const [label, value] of metaLines(m)) {
      doc.fillColor(MUTED).text(`${label}：`, this.x0, doc.y, { width: CONTENT_WIDTH, continued: true }).fillColor(INK).text(this.safe(value));
    }
    if (m.version > 1) {
      doc.moveDown(0.6);
      const top = doc.y;
      doc.x = this.x0 + 12;
      doc.fillColor(ACCENT).text(l.correction(m.version), this.x0 + 12, top + 8, { width: CONTENT_WIDTH - 24 });
      doc.fillColor(INK).text(this.safe(m.correctionReason ?? ""), { width: CONTENT_WIDTH - 24 });
      if (m.previousHash)
        doc
          .fontSize(8.5)
          .fillColor(MUTED)
          .text(`${l.previousHash}：${m.previousHash}`, { width: CONTENT_WIDTH - 24 });
      doc.fontSize(BODY_SIZE).fillColor(INK);
      const bottom = doc.y + 6;
      doc
        .rect(this.x0, top, CONTENT_WIDTH, bottom - top)
        .lineWidth(0.8)
        .strokeColor(ACCENT)
        .stroke()
        .lineWidth(1)
        .strokeColor(INK);
      doc.y = bottom;
    }
    doc.moveDown(0.6);
    doc
      .moveTo(this.x0, doc.y)
      .lineTo(this.x0 + CONTENT_WIDTH, doc.y)
      .lineWidth(1.2)
      .strokeColor(ACCENT)
      .stroke()
      .lineWidth(1)
      .strokeColor(INK);
    doc.moveDown(0.8);
  }

  /** Signatures of chair and secretary, then the QR code and hash that lead to the online version. */
  closing() {
    const { doc, m } = this;
    const l = exportLabels(m.locale);
    if (doc.y > PAGE.height - PAGE.bottom - CLOSING_HEIGHT) doc.addPage();
    let y = QR_BOX.y - 108;
    doc.fontSize(BODY_SIZE).fillColor(INK);
    for (const [role, name] of [
      [l.chair, m.chair],
      [l.secretary, m.secretary],
    ] as const) {
      const nameWidth = 150;
      doc.text(this.fit(this.safe(`${role}：${name}`), nameWidth), this.x0, y, { lineBreak: false });
      const sigX = this.x0 + nameWidth + 8;
      doc.text(`${l.signature}：`, sigX, y, { lineBreak: false });
      const sigLine = sigX + doc.widthOfString(`${l.signature}：`);
      doc
        .moveTo(sigLine, y + BODY_SIZE + 2)
        .lineTo(sigLine + 110, y + BODY_SIZE + 2)
        .lineWidth(0.6)
        .stroke();
      const dateX = sigLine + 124;
      doc.text(`${l.date}：`, dateX, y, { lineBreak: false });
      const dateLine = dateX + doc.widthOfString(`${l.date}：`);
      doc
        .moveTo(dateLine, y + BODY_SIZE + 2)
        .lineTo(this.x0 + CONTENT_WIDTH, y + BODY_SIZE + 2)
        .stroke()
        .lineWidth(1);
      y += 34;
    }

    // Only an http(s) address becomes a QR code and a link; the server always passes one.
    const href = safeHref(m.url);
    if (href) {
      const qr = QRCode.create(href, { errorCorrectionLevel: "M" });
      const n = qr.modules.size;
      const cell = QR_BOX.size / n;
      doc.save().fillColor("#000000");
      for (let r = 0; r < n; r++) {
        for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) doc.rect(QR_BOX.x + c * cell, QR_BOX.y + r * cell, cell, cell);
      }
      doc.fill().restore();
    }

    const textWidth = QR_BOX.x - this.x0 - 16;
    doc
      .fontSize(9)
      .fillColor(MUTED)
      .text(l.verify, this.x0, QR_BOX.y + 4, { width: textWidth });
    doc.fillColor(href ? LINK : INK).text(this.safe(href ?? m.url), { width: textWidth, link: href });
    if (!isDraft(m)) {
      doc.moveDown(0.4).fillColor(MUTED).text(`${l.hash}：`, { width: textWidth });
      doc.fillColor(INK).text(m.hash, { width: textWidth });
    }
    doc.fontSize(BODY_SIZE).fillColor(INK);
  }

  /** The text cut with an ellipsis to fit one line of `width` at the current size (pdfkit's own ellipsis needs a height and still wraps). */
  private fit(text: string, width: number): string {
    if (this.doc.widthOfString(text) <= width) return text;
    const chars = Array.from(text);
    let lo = 0;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.doc.widthOfString(`${chars.slice(0, mid).join("")}…`) <= width) lo = mid;
      else hi = mid - 1;
    }
    return `${chars.slice(0, lo).join("")}…`;
  }

  /** Header and "第 n 页 / 共 N 页" on every page, and the bars, once the page count is known. */
  furnish() {
    const { doc, m } = this;
    const l = exportLabels(m.locale);
    const { start, count } = doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      doc.switchToPage(i);
      for (const bar of this.bars.filter((b) => b.page === i)) {
        doc
          .moveTo(bar.x, bar.from)
          .lineTo(bar.x, Math.max(bar.from, bar.to - 4))
          .lineWidth(2)
          .strokeColor(bar.color)
          .stroke();
      }
      if (isDraft(m)) {
        // Across the page, light enough to read through: a draft must never pass for the published minutes.
        doc
          .save()
          .rotate(-35, { origin: [PAGE.width / 2, PAGE.height / 2] })
          .fontSize(110)
          .fillColor("#b3261e", 0.08);
        doc.text(l.draft, 0, PAGE.height / 2 - 70, { width: PAGE.width, align: "center", lineBreak: false });
        doc.restore();
      }
      // Writing in the margins must not make pdfkit open a new page.
      const { bottom } = doc.page.margins;
      doc.page.margins.bottom = 0;
      doc.fontSize(8.5).fillColor(MUTED).lineWidth(0.5).strokeColor("#c4c7c5");
      doc.text(this.fit(this.safe(`${m.communityName} · ${m.sessionTitle} · ${documentName(m)}`), CONTENT_WIDTH), PAGE.left, 36, { lineBreak: false });
      doc
        .moveTo(PAGE.left, 52)
        .lineTo(PAGE.width - PAGE.right, 52)
        .stroke();
      doc.text(l.page(i - start + 1, count), PAGE.left, PAGE.height - 40, { width: CONTENT_WIDTH, align: "center", lineBreak: false });
      doc.page.margins.bottom = bottom;
    }
  }
}

/** The published minutes as an A4 PDF. */
export async function renderMinutesPdf(m: PublishedMinutes): Promise<Buffer> {
  const pdf = new MinutesPdf(cleanMinutes(m));
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    pdf.doc.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.doc.on("error", reject);
  });
  pdf.title();
  pdf.blocks(minutesBlocks(m.content), 0);
  pdf.closing();
  pdf.furnish();
  pdf.doc.end();
  return done;
}
