// A published version as a Word file: street offices file minutes as .docx. Built from the same
// allow-listed tree as the page and the PDF; the docx package writes all text as XML text nodes,
// so nothing typed can become markup. Fonts are named, not embedded: Word on Chinese Windows has
// 宋体 (SimSun), and other systems substitute their own CJK face.
import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  TabStopType,
  TextRun,
  type ILevelsOptions,
  type IParagraphOptions,
} from "docx";
import QRCode from "qrcode";
import type { PublishedMinutes } from "../document";
import { documentName, exportLabels, isDraft, metaLines } from "./labels";
import { cleanMinutes, minutesBlocks, safeHref, type Block, type Run } from "./tree";

const FONT = { ascii: "Calibri", hAnsi: "Calibri", eastAsia: "宋体", cs: "Calibri" };
const ACCENT = "B3261E";
const MUTED = "5F6368";
const HEADINGS = { 1: HeadingLevel.HEADING_2, 2: HeadingLevel.HEADING_3, 3: HeadingLevel.HEADING_4 } as const;
const MAX_LIST_LEVEL = 8; // Word's nine list levels, 0–8

function textRuns(runs: Run[]): (TextRun | ExternalHyperlink)[] {
  return runs.map((run) => {
    if (run.kind === "break") return new TextRun({ break: 1 });
    const style = { text: run.text, bold: run.bold, italics: run.italic, strike: run.strike, underline: run.underline ? {} : undefined };
    if (!run.href) return new TextRun(style);
    return new ExternalHyperlink({ link: run.href, children: [new TextRun({ ...style, style: "Hyperlink" })] });
  });
}

type Frame = { indent: number; list: number; bar: boolean };

class DocxWriter {
  readonly paragraphs: Paragraph[] = [];
  /** One numbering definition per ordered list, so each list restarts at its own start number. */
  readonly orderedStarts: number[] = [];

  private paragraph(options: IParagraphOptions, frame: Frame) {
    this.paragraphs.push(
      new Paragraph({
        ...options,
        indent: frame.indent ? { left: frame.indent } : undefined,
        // Generated facts and quotations carry a bar in the margin, as on the page and in the PDF.
        border: frame.bar ? { left: { style: BorderStyle.SINGLE, size: 12, color: ACCENT, space: 8 } } : undefined,
      }),
    );
  }

  blocks(blocks: Block[], frame: Frame) {
    for (const block of blocks) this.block(block, frame);
  }

  private block(block: Block, frame: Frame) {
    switch (block.kind) {
      case "paragraph":
        return this.paragraph({ children: textRuns(block.runs) }, frame);
      case "heading":
        return this.paragraph({ heading: HEADINGS[block.level], children: textRuns(block.runs) }, frame);
      case "rule":
        return this.paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: "C4C7C5", space: 1 } }, children: [] }, frame);
      case "blockquote":
      case "fact":
        return this.blocks(block.blocks, { ...frame, indent: frame.indent + 240, bar: true });
      case "list": {
        const level = Math.min(frame.list, MAX_LIST_LEVEL);
        const reference = block.ordered ? `ordered-${this.orderedStarts.push(block.start) - 1}` : "bullet";
        for (const item of block.items) {
          item.forEach((inner, i) => {
            if (i === 0 && inner.kind === "paragraph") {
              this.paragraphs.push(new Paragraph({ numbering: { reference, level }, children: textRuns(inner.runs) }));
            } else {
              this.block(inner, { ...frame, indent: 720 * (level + 1), list: frame.list + 1 });
            }
          });
        }
        return;
      }
    }
  }
}

const bulletLevels: ILevelsOptions[] = Array.from({ length: MAX_LIST_LEVEL + 1 }, (_, level) => ({
  level,
  format: LevelFormat.BULLET,
  text: level % 2 ? "◦" : "•",
  alignment: AlignmentType.LEFT,
  style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
}));
const orderedLevels = (start: number): ILevelsOptions[] =>
  Array.from({ length: MAX_LIST_LEVEL + 1 }, (_, level) => ({
    level,
    format: LevelFormat.DECIMAL,
    text: `%${level + 1}.`,
    start: level === 0 ? start : 1,
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
  }));

/** The published minutes as a .docx file. */
export async function renderMinutesDocx(input: PublishedMinutes): Promise<Buffer> {
  const m = cleanMinutes(input);
  const l = exportLabels(m.locale);
  const writer = new DocxWriter();
  writer.blocks(minutesBlocks(m.content), { indent: 0, list: 0, bar: false });

  const title = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: m.sessionTitle, bold: true })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: documentName(m), color: ACCENT, size: 28 })] }),
    ...metaLines(m).map(([label, value]) => new Paragraph({ children: [new TextRun({ text: `${label}：`, color: MUTED }), new TextRun(value)] })),
  ];
  const correction =
    m.version > 1
      ? [
          new Paragraph({
            border: { left: { style: BorderStyle.SINGLE, size: 18, color: ACCENT, space: 8 } },
            children: [
              new TextRun({ text: l.correction(m.version), bold: true, color: ACCENT }),
              new TextRun({ text: m.correctionReason ?? "", break: 1 }),
              ...(m.previousHash ? [new TextRun({ text: `${l.previousHash}：${m.previousHash}`, break: 1, color: MUTED, size: 16 })] : []),
            ],
          }),
        ]
      : [];

  const blank = "\u3000".repeat(8);
  const signatures = [l.chair, l.secretary].map(
    (role, i) =>
      new Paragraph({
        spacing: { before: i === 0 ? 600 : 240 },
        tabStops: [
          { type: TabStopType.LEFT, position: 3200 },
          { type: TabStopType.LEFT, position: 6200 },
        ],
        children: [
          new TextRun(`${role}：${i === 0 ? m.chair : m.secretary}`),
          new TextRun({ text: `\t${l.signature}：` }),
          new TextRun({ text: blank, underline: {} }),
          new TextRun({ text: `\t${l.date}：` }),
          new TextRun({ text: blank, underline: {} }),
        ],
      }),
  );
  // Only an http(s) address becomes a QR code and a link; the server always passes one.
  const href = safeHref(m.url);
  const qr = href ? await QRCode.toBuffer(href, { type: "png", errorCorrectionLevel: "M", margin: 1, width: 240 }) : null;
  const verification = [
    ...(qr
      ? [
          new Paragraph({
            spacing: { before: 480 },
            children: [
              new ImageRun({ type: "png", data: qr, transformation: { width: 96, height: 96 }, altText: { name: "QR", title: href!, description: href! } }),
            ],
          }),
        ]
      : []),
    new Paragraph({ spacing: qr ? undefined : { before: 480 }, children: [new TextRun({ text: l.verify, color: MUTED, size: 18 })] }),
    new Paragraph({
      children: [
        href
          ? new ExternalHyperlink({ link: href, children: [new TextRun({ text: href, style: "Hyperlink", size: 18 })] })
          : new TextRun({ text: m.url, size: 18 }),
      ],
    }),
    ...(isDraft(m)
      ? []
      : [new Paragraph({ children: [new TextRun({ text: `${l.hash}：`, color: MUTED, size: 18 }), new TextRun({ text: m.hash, size: 18 })] })]),
  ];

  const doc = new Document({
    creator: m.communityName,
    title: `${m.sessionTitle} ${documentName(m)}`,
    description: m.hash,
    styles: { default: { document: { run: { font: FONT, size: 22 } } } },
    numbering: {
      config: [
        { reference: "bullet", levels: bulletLevels },
        ...writer.orderedStarts.map((start, i) => ({ reference: `ordered-${i}`, levels: orderedLevels(start) })),
      ],
    },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1440, bottom: 1440, left: 1270, right: 1270 } } }, // A4 in twips
        headers: {
          default: new Header({
            children: [
              new Paragraph({ children: [new TextRun({ text: `${m.communityName} · ${m.sessionTitle} · ${documentName(m)}`, color: MUTED, size: 16 })] }),
            ],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({
                    size: 16,
                    color: MUTED,
                    children:
                      m.locale === "en"
                        ? ["Page ", PageNumber.CURRENT, " of ", PageNumber.TOTAL_PAGES]
                        : ["第 ", PageNumber.CURRENT, " 页 / 共 ", PageNumber.TOTAL_PAGES, " 页"],
                  }),
                ],
              }),
            ],
          }),
        },
        children: [...title, ...correction, ...writer.paragraphs, ...signatures, ...verification],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
