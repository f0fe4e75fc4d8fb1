// The minutes PDF as a reader gets it: its text extracted with poppler's pdftotext (as a search
// engine or a screen reader would), its pages counted and numbered, its Chinese lines wrapped by
// the rules of Chinese typesetting, and its QR code read back from a rendering of the page.
// Needs poppler-utils (pdftotext, pdftoppm, pdfinfo); .ci/run installs it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import QRCode from "qrcode";
import { afterAll, describe, expect, it } from "vitest";
import type { MinutesNode, PublishedMinutes } from "~/models/minutes/document";
import { MISSING_GLYPH, PAGE, QR_BOX, renderMinutesPdf } from "~/models/minutes/render/pdf.server";
import { sampleMinutes } from "./fixtures/minutes";

const dir = mkdtempSync(path.join(os.tmpdir(), "yishi-minutes-pdf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function save(pdf: Buffer): string {
  const file = path.join(dir, `m${++files}.pdf`);
  writeFileSync(file, pdf);
  return file;
}
/** The text of each page, in pdftotext's reading order. */
function pageTexts(pdf: Buffer): string[] {
  const text = execFileSync("pdftotext", ["-enc", "UTF-8", save(pdf), "-"], { encoding: "utf8" });
  return text.split("\f").slice(0, -1); // pdftotext ends every page, the last included, with a form feed
}
function pageCount(pdf: Buffer): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [save(pdf)], { encoding: "utf8" }))![1]);
}
/** Only whitespace and line breaks are normalised away: Chinese has no spaces between words. */
const squash = (s: string) => s.replace(/\s+/g, "");

const t = (text: string, marks?: MinutesNode["marks"]): MinutesNode => ({ type: "text", text, ...(marks ? { marks } : {}) });
const p = (...content: MinutesNode[]): MinutesNode => ({ type: "paragraph", content });
const doc = (...content: MinutesNode[]): MinutesNode => ({ type: "doc", content });

describe("renderMinutesPdf", () => {
  it("holds exactly the expected text, rare name characters included", async () => {
    const m: PublishedMinutes = sampleMinutes(0, {
      version: 2,
      correctionReason: "更正出席名单：补记吴锨。",
      previousHash: "0123456789abcdef".repeat(4),
      content: doc(
        {
          type: "minutesFact",
          attrs: { key: "attendance" },
          content: [
            { type: "heading", attrs: { level: 2 }, content: [t("出席情况")] },
            {
              type: "bulletList",
              content: [
                { type: "listItem", content: [p(t("第一选区：王喆、李堃、赵䶮、陶𫖮"))] },
                { type: "listItem", content: [p(t("第二选区：孙毖、钱谰、周耪、吴锨、石𬌗"))] },
              ],
            },
          ],
        },
        { type: "heading", attrs: { level: 1 }, content: [t("议题与表决")] },
        p(
          t("王喆", [{ type: "bold" }]),
          t("提出："),
          { type: "hardBreak" },
          t("关于"),
          t("公示栏", [{ type: "link", attrs: { href: "https://yishi.example.cn/c/x" } }]),
          t("的议案。", [{ type: "italic" }]),
        ),
        {
          type: "orderedList",
          attrs: { start: 3 },
          content: [
            { type: "listItem", content: [p(t("同意 7 票"))] },
            { type: "listItem", content: [p(t("反对 0 票"))] },
          ],
        },
        { type: "blockquote", content: [p(t("依法依规，公开透明。"))] },
        { type: "horizontalRule" },
        p(t("<script>alert(1)</script>", [{ type: "link", attrs: { href: "javascript:alert(1)" } }])),
        { type: "iframe", attrs: { src: "https://evil.example" }, content: [t("未知节点里的文字")] },
      ),
    });
    const pdf = await renderMinutesPdf(m);
    // The closing block (signatures, QR code, hash) keeps to the foot of a page: here the second.
    const pages = pageTexts(pdf);
    expect(pages).toHaveLength(2);
    const header = squash("幸福里社区 · 2026 年第 4 次红色议事会 · 会议纪要");
    const body = pages.map((text, i) => {
      const page = squash(text);
      const footer = squash(`第 ${i + 1} 页 / 共 2 页`);
      expect(page.startsWith(header)).toBe(true);
      expect(page.endsWith(footer)).toBe(true);
      return page.slice(header.length, -footer.length);
    });
    const expected = [
      "2026 年第 4 次红色议事会",
      "会议纪要",
      "时间：2026年11月20日 19:00 – 2026年11月20日 21:30",
      "地点：社区党群服务中心二楼会议室",
      "主持人：王喆",
      "记录人：李堃",
      "发布时间：2026年11月22日 10:00（第 2 版）",
      "公示期：2026年11月22日 至 2026年11月29日",
      "更正说明（第 2 版）",
      "更正出席名单：补记吴锨。",
      `上一版本哈希：${"0123456789abcdef".repeat(4)}`,
      "出席情况",
      "第一选区：王喆、李堃、赵䶮、陶𫖮",
      "第二选区：孙毖、钱谰、周耪、吴锨、石𬌗",
      "议题与表决",
      "王喆提出：",
      "关于公示栏的议案。",
      "3. 同意 7 票",
      "4. 反对 0 票",
      "依法依规，公开透明。",
      "<script>alert(1)</script>",
      "未知节点里的文字",
      "主持人：王喆 签名： 日期：",
      "记录人：李堃 签名： 日期：",
      "扫描二维码或访问以下地址，核对线上版本：",
      m.url,
      "版本哈希（SHA-256）：",
      m.hash,
    ].join("\n");
    expect(body.join("")).toBe(squash(expected));
    for (const rare of ["喆", "堃", "䶮", "毖", "谰", "耪", "锨", "𫖮", "𬌗"]) expect(pages[0]).toContain(rare);

    // Only the http(s) link became a link annotation.
    const raw = pdf.toString("latin1");
    expect(raw).toContain("/URI (https://yishi.example.cn/c/x)");
    expect(raw).not.toMatch(/javascript/i);
  });

  it("is the same bytes every time for the same version, and dated at publication", async () => {
    const m = sampleMinutes(2);
    const [a, b] = [await renderMinutesPdf(m), await renderMinutesPdf(m)];
    expect(a.equals(b)).toBe(true);
    const info = execFileSync("pdfinfo", ["-isodates", save(a)], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
    expect(info).toMatch(/CreationDate:\s+2026-11-22T02:00:00Z/);
    expect(info).toMatch(/Title:\s+2026 年第 4 次红色议事会 会议纪要/);
    expect((await renderMinutesPdf({ ...m, hash: "f".repeat(64) })).equals(a)).toBe(false);
  });

  it("marks a draft (version 0, no hash) as a draft on every page and shows no publication, notice period or hash", async () => {
    const pdf = await renderMinutesPdf(sampleMinutes(12, { version: 0, hash: "", publishedAt: new Date("2026-11-21T00:00:00Z") }));
    const pages = pageTexts(pdf);
    expect(pages.length).toBeGreaterThan(1);
    for (const text of pages) {
      expect(squash(text)).toContain(squash("2026 年第 4 次红色议事会 · 会议纪要（草稿）"));
      expect(text).toContain("草稿");
    }
    const all = pages.join("");
    for (const absent of ["发布时间：", "公示期：", "版本哈希", "（第 0 版）"]) expect(all).not.toContain(absent);
    expect(all).toContain("扫描二维码");
  });

  it("sets every one of GB2312's 6 763 hanzi, and extracts each as itself", async () => {
    // Rows 0xB0–0xF7 of GB2312 (GBK decodes it); row 0xD7 ends at 0xF9, the five cells after it are empty in GB2312.
    const gbk = new TextDecoder("gbk");
    const hanzi: string[] = [];
    for (let row = 0xb0; row <= 0xf7; row++) {
      for (let cell = 0xa1; cell <= (row === 0xd7 ? 0xf9 : 0xfe); cell++) hanzi.push(gbk.decode(Uint8Array.of(row, cell)));
    }
    expect(hanzi).toHaveLength(6763);
    expect(hanzi).not.toContain("\ufffd");
    const lines = Array.from({ length: Math.ceil(hanzi.length / 100) }, (_, i) => hanzi.slice(i * 100, (i + 1) * 100).join(""));
    const pdf = await renderMinutesPdf(sampleMinutes(0, { content: doc(...lines.map((line) => p(t(line)))) }));
    // Without each page's header and footer, the body is the hanzi in order, none missing or altered.
    const pages = pageTexts(pdf);
    const header = squash("幸福里社区 · 2026 年第 4 次红色议事会 · 会议纪要");
    const body = pages
      .map((text, i) => {
        const page = squash(text);
        const footer = squash(`第 ${i + 1} 页 / 共 ${pages.length} 页`);
        expect(page.startsWith(header) && page.endsWith(footer)).toBe(true);
        return page.slice(header.length, -footer.length);
      })
      .join("");
    const from = body.indexOf("啊阿埃");
    expect(from).toBeGreaterThan(0);
    expect(body.slice(from, from + hanzi.length)).toBe(hanzi.join(""));
  });

  it("shows no correction notice on a first version", async () => {
    const [text] = pageTexts(await renderMinutesPdf(sampleMinutes(0)));
    expect(text).not.toContain("更正说明");
    expect(text).not.toContain("上一版本哈希");
    expect(text).toContain("（第 1 版）");
  });

  it("breaks Chinese lines between any two characters but never before 。，、；：？！」』） nor after 「『（", async () => {
    const closing = "。，、；：？！」』）";
    const opening = "「『（";
    // Each paragraph puts one punctuation mark at a different column, so that across them every mark
    // falls where a naive wrapper would start (or end) a line with it. A line holds about 42 ideographs.
    const paragraphs: string[] = [];
    for (const mark of closing) for (let k = 38; k <= 46; k++) paragraphs.push(`${"议".repeat(k)}${mark}${"事".repeat(30)}`);
    for (const mark of opening) for (let k = 38; k <= 46; k++) paragraphs.push(`${"议".repeat(k)}${mark}${"事".repeat(30)}`);
    paragraphs.push("议事".repeat(100));
    paragraphs.push(`居民代表在 deliberation council 会议上讨论了 participatory budgeting 与 neighbourhood governance 的关系，${"议".repeat(20)}`);
    const pdf = await renderMinutesPdf(sampleMinutes(0, { content: doc(...paragraphs.map((s) => p(t(s)))) }));
    const body = pageTexts(pdf).join("\n");
    const alphabet = new Set(Array.from(paragraphs.join("")));
    const lines = body.split("\n").filter((line) => line.trim() && Array.from(line.replace(/\s/g, "")).every((c) => alphabet.has(c)));

    // Nothing lost or reordered: the paragraphs' text is the lines' text.
    expect(squash(lines.join(""))).toBe(squash(paragraphs.join("")));
    const broken = lines.filter((line) => closing.includes(line[0]!) || opening.includes(line.at(-1)!));
    expect(broken).toEqual([]);
    // Without spaces the only break opportunities are between ideographs: full lines of the long
    // unpunctuated paragraph hold the same number of characters.
    const full = lines.filter((line) => /^(议事|事议)+$/.test(line.trim()) && line.trim().length > 10);
    expect(full.length).toBeGreaterThanOrEqual(4);
    const widths = new Set(full.slice(0, -1).map((line) => line.trim().length));
    expect(widths.size).toBe(1);
    expect([...widths][0]).toBeGreaterThanOrEqual(40);
    // Latin words are never cut.
    const bodyLines = body.split("\n");
    for (const word of ["deliberation", "council", "participatory", "budgeting", "neighbourhood", "governance"]) {
      expect(
        bodyLines.some((line) => line.includes(word)),
        word,
      ).toBe(true);
    }
  });

  it("sets a 30-item session on 15 numbered pages with the header on each", async () => {
    const m = sampleMinutes(30);
    const pdf = await renderMinutesPdf(m);
    // Measured layout: the title block and attendance take the first page; each item (heading, a
    // three-line paragraph, two motions with their votes and results: 12 lines) takes a bit under
    // half a page; the tasks and the closing block need the last page. 30 items → 15 pages.
    expect(pageCount(pdf)).toBe(15);
    const pages = pageTexts(pdf);
    expect(pages).toHaveLength(15);
    pages.forEach((text, i) => {
      expect(squash(text)).toContain(squash(`幸福里社区 · 2026 年第 4 次红色议事会 · 会议纪要`));
      expect(squash(text)).toContain(squash(`第 ${i + 1} 页 / 共 15 页`));
    });
    const all = squash(pages.join(""));
    for (let i = 1; i <= 30; i++) expect(all).toContain(`动议${i}-2：由社区居委会在三十日内公示实施细则。`);
    // The signatures and the verification block close the last page.
    expect(squash(pages[14]!)).toMatch(/主持人：王喆签名：日期：记录人：李堃签名：日期：/);
    expect(squash(pages[14]!)).toContain(m.hash);
  });

  it("numbers pages in English for English minutes", async () => {
    const pages = pageTexts(await renderMinutesPdf(sampleMinutes(12, { locale: "en" })));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((text, i) => expect(text).toContain(`Page ${i + 1} of ${pages.length}`));
    expect(pages.at(-1)).toContain("Version hash (SHA-256)");
  });

  it("draws a QR code that encodes the version's address, with a quiet zone", async () => {
    const m = sampleMinutes(3);
    const pdf = await renderMinutesPdf(m);
    const last = pageCount(pdf);
    const dpi = 300;
    const out = path.join(dir, "qr");
    execFileSync("pdftoppm", ["-gray", "-r", String(dpi), "-f", String(last), "-l", String(last), "-singlefile", save(pdf), out]);
    const image = readPgm(readFileSync(`${out}.pgm`));
    const scale = dpi / 72;
    expect(Math.abs(image.width - PAGE.width * scale)).toBeLessThan(2);

    // Read every module back at its centre and compare with what the address encodes.
    const expected = QRCode.create(m.url, { errorCorrectionLevel: "M" }).modules;
    const n = expected.size;
    const cell = QR_BOX.size / n;
    const dark = (row: number, col: number) => image.at((QR_BOX.x + (col + 0.5) * cell) * scale, (QR_BOX.y + (row + 0.5) * cell) * scale) < 128;
    let wrong = 0;
    for (let r = -4; r < n + 4; r++) {
      for (let c = -4; c < n + 4; c++) {
        const inside = r >= 0 && c >= 0 && r < n && c < n;
        if (dark(r, c) !== (inside ? !!expected.get(r, c) : false)) wrong++;
      }
    }
    expect(wrong).toBe(0);
    // And a different address would not match: the comparison can fail.
    const other = QRCode.create(`${m.url}x`, { errorCorrectionLevel: "M" }).modules;
    let differs = 0;
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (dark(r, c) !== !!other.get(r, c)) differs++;
    expect(differs).toBeGreaterThan(0);
  });

  it("renders hostile and degenerate content without failing", async () => {
    let deep: MinutesNode = p(t("最深处的文字"));
    for (let i = 0; i < 5000; i++) deep = { type: i % 2 ? "blockquote" : "minutesFact", attrs: { key: "tasks" }, content: [deep] };
    const longWord = "x".repeat(3000);
    const m = sampleMinutes(0, {
      sessionTitle: "标题".repeat(80),
      url: "javascript:alert(1)",
      correctionReason: null,
      version: 3,
      previousHash: null,
      content: doc(deep, p(t(longWord)), p(t("\u0000\u0007控制字符\ud800")), p(t("表情😀与𪚥字")), { type: "heading", attrs: { level: 9 }, content: [] }, p()),
    });
    const pdf = await renderMinutesPdf(m);
    const text = squash(pageTexts(pdf).join(""));
    expect(text).toContain("最深处的文字");
    // Cut across lines and pages, but all there (the address has three x of its own).
    expect(text.replaceAll(m.url, "").match(/x/g)).toHaveLength(longWord.length);
    expect(text).toContain("控制字符");
    expect(pdf.toString("latin1")).not.toMatch(/javascript/i); // neither a link nor a QR code for that address
    // Characters the font lacks are marked, not dropped (𪚥 U+2A6A5 is in Extension B but not in the face).
    expect(text).toContain(`表情${MISSING_GLYPH}与${MISSING_GLYPH}字`);
    expect(text).toContain("更正说明（第3版）");
  });
});

/** A binary PGM (P5, 8-bit) as pdftoppm -gray writes it. */
function readPgm(buf: Buffer) {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.toString("latin1", 0, 64));
  if (!header) throw new Error("not a binary PGM");
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = buf.subarray(header[0].length);
  return { width, height, at: (x: number, y: number) => pixels[Math.floor(y) * width + Math.floor(x)]! };
}
