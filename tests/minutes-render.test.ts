// The renderers of a published minutes version that need no server tools: the allow-list HTML
// against hostile editor JSON, the Markdown escaping, the roll-call CSV, the .docx's text.
import { parse } from "csv-parse/sync";
import { micromark } from "micromark";
import { describe, expect, it } from "vitest";
import type { MinutesNode, RollCallRow } from "~/models/minutes/document";
import { rollCallCsv } from "~/models/minutes/render/csv.server";
import { renderMinutesDocx } from "~/models/minutes/render/docx.server";
import { renderMinutesHtml } from "~/models/minutes/render/html";
import { renderMinutesMarkdown } from "~/models/minutes/render/markdown";
import { isFactKey, MAX_NESTING, minutesBlocks, safeHref } from "~/models/minutes/render/tree";
import { sampleMinutes } from "./fixtures/minutes";
import { zipEntries } from "./fixtures/zip";

const doc = (...content: unknown[]): MinutesNode => ({ type: "doc", content: content as MinutesNode[] });
const p = (...content: unknown[]): MinutesNode => ({ type: "paragraph", content: content as MinutesNode[] });
const t = (text: string, marks?: unknown[]): MinutesNode => ({ type: "text", text, ...(marks ? { marks: marks as MinutesNode["marks"] } : {}) });
const link = (href: unknown) => [{ type: "link", attrs: { href, target: "_blank", onclick: "alert(1)" } }];

/** Every tag the output may contain, with its attributes: the allow-list and nothing else. */
const ALLOWED_TAG =
  /^<\/?(?:p|h[123]|ul|li|blockquote|strong|em|u|s|br|hr|ol(?: start="\d+")?|section(?: class="minutes-fact" data-fact="(?:header|attendance|tasks|item:[A-Za-z0-9_-]+)")?|a(?: href="https?:\/\/[^"<>\s]*" rel="noopener noreferrer nofollow")?)>$/;

function expectOnlyAllowedMarkup(html: string) {
  for (const tag of html.match(/<[^>]*>?/g) ?? []) expect(tag).toMatch(ALLOWED_TAG);
  // No raw '<' or '>' outside tags (text is escaped), no script-capable URL in any tag.
  expect(html.replace(/<[^>]*>/g, "")).not.toMatch(/[<>]/);
  for (const tag of html.match(/<[^>]*>/g) ?? []) expect(tag).not.toMatch(/\son\w+\s*=|javascript:|vbscript:|data:/i);
}

describe("renderMinutesHtml", () => {
  it("renders the allow-listed structure", () => {
    const html = renderMinutesHtml(
      doc(
        { type: "heading", attrs: { level: 1 }, content: [t("第三次议事会 会议纪要")] },
        p(t("主持人："), t("王喆", [{ type: "bold" }]), { type: "hardBreak" }, t("记录人：李堃", [{ type: "italic" }, { type: "underline" }])),
        {
          type: "bulletList",
          content: [
            { type: "listItem", content: [p(t("一"))] },
            { type: "listItem", content: [p(t("二", [{ type: "strike" }]))] },
          ],
        },
        { type: "orderedList", attrs: { start: 3 }, content: [{ type: "listItem", content: [p(t("三"))] }] },
        { type: "blockquote", content: [p(t("引文"))] },
        { type: "horizontalRule" },
        { type: "minutesFact", attrs: { key: "item:ck9x_1-a" }, content: [p(t("表决结果：通过"))] },
        p(t("详见", []), t("公示", link("https://yishi.example/c/x?a=1&b=2"))),
      ),
    );
    expect(html).toBe(
      "<h1>第三次议事会 会议纪要</h1>" +
        "<p>主持人：<strong>王喆</strong><br><u><em>记录人：李堃</em></u></p>" +
        "<ul><li><p>一</p></li><li><p><s>二</s></p></li></ul>" +
        '<ol start="3"><li><p>三</p></li></ol>' +
        "<blockquote><p>引文</p></blockquote><hr>" +
        '<section class="minutes-fact" data-fact="item:ck9x_1-a"><p>表决结果：通过</p></section>' +
        '<p>详见<a href="https://yishi.example/c/x?a=1&amp;b=2" rel="noopener noreferrer nofollow">公示</a></p>',
    );
  });

  it("clamps heading levels to 1–3", () => {
    const levels = [0, -2, 1, 3, 4, 6, 99, "2", "x", null, 2.7];
    const html = renderMinutesHtml(doc(...levels.map((level) => ({ type: "heading", attrs: { level }, content: [t("h")] }))));
    expect(html.match(/<h(\d)>/g)).toEqual(["<h2>", "<h1>", "<h1>", "<h3>", "<h3>", "<h3>", "<h3>", "<h2>", "<h2>", "<h2>", "<h2>"]);
  });

  const payloads: [string, MinutesNode][] = [
    ["<script> in text", doc(p(t("<script>alert(1)</script>")))],
    ["img onerror in text", doc(p(t('<img src=x onerror="alert(1)">')))],
    ["quotes breaking out of an attribute", doc(p(t('x" onmouseover="alert(1)', link('https://a.example/"><script>alert(1)</script>'))))],
    ["javascript: link", doc(p(t("点我", link("javascript:alert(1)"))))],
    [
      "JavaScript: with case, spaces and entities",
      doc(p(t("a", link(" JaVaScRiPt:alert(1)")), t("b", link("java\nscript:alert(1)")), t("c", link("&#106;avascript:alert(1)")))),
    ],
    ["data: and vbscript: links", doc(p(t("a", link("data:text/html,<script>alert(1)</script>")), t("b", link("vbscript:msgbox(1)"))))],
    ["protocol-relative and relative links", doc(p(t("a", link("//evil.example/x")), t("b", link("/c/x")), t("c", link(42))))],
    ["an http link whose address carries markup", doc(p(t("a", link('http://x.example/?q="><img src=x onerror=alert(1)>'))))],
    [
      "raw HTML node types",
      doc(
        { type: "html", content: [t("<b>x</b>")] },
        { type: "script", text: "alert(1)", content: [t("kept")] },
        { type: "iframe", attrs: { src: "javascript:alert(1)" } },
      ),
    ],
    [
      "attributes on allowed nodes",
      doc({ type: "paragraph", attrs: { style: "background:url(javascript:alert(1))", class: "x", onclick: "alert(1)" }, content: [t("p")] }),
    ],
    [
      "unknown marks",
      doc(p(t("m", [{ type: "code" }, { type: "textStyle", attrs: { color: "red;background:url(x)" } }, { type: "highlight", attrs: { onmouseover: "x" } }]))),
    ],
    [
      "a fact key that is not a key",
      doc(
        { type: "minutesFact", attrs: { key: 'item:1" onclick="alert(1)' }, content: [p(t("正文保留"))] },
        { type: "minutesFact", attrs: { key: "<script>" }, content: [p(t("b"))] },
      ),
    ],
    [
      "nested unknown nodes",
      doc({
        type: "details",
        content: [
          { type: "summary", content: [t("<svg onload=alert(1)>")] },
          { type: "div", content: [p(t("inner"))] },
        ],
      }),
    ],
    [
      "non-string text and broken shapes",
      doc(p({ type: "text", text: { toString: "x" } }, null, 5, "str", { type: "text" }), { type: 7 }, { content: "nope" }, [] as unknown as MinutesNode),
    ],
    ["control characters", doc(p(t("a\u0000b\u0008c\u001bd\ud800e")))],
  ];

  it.each(payloads)("neutralises %s", (_name, content) => {
    const html = renderMinutesHtml(content);
    expectOnlyAllowedMarkup(html);
  });

  it("keeps the text of what it drops, escaped", () => {
    expect(renderMinutesHtml(payloads[0]![1])).toBe("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    expect(renderMinutesHtml(payloads[3]![1])).toBe("<p>点我</p>");
    expect(renderMinutesHtml(payloads[8]![1])).toBe("<p>&lt;b&gt;x&lt;/b&gt;</p><p>kept</p>");
    expect(renderMinutesHtml(payloads[9]![1])).toBe("<p>p</p>");
    expect(renderMinutesHtml(payloads[10]![1])).toBe("<p>m</p>");
    expect(renderMinutesHtml(payloads[11]![1])).toBe("<p>正文保留</p><p>b</p>");
    expect(renderMinutesHtml(payloads[12]![1])).toBe("<p>&lt;svg onload=alert(1)&gt;</p><p>inner</p>");
    expect(renderMinutesHtml(payloads[14]![1])).toBe("<p>abcde</p>");
    // The quote in the address is percent-encoded by URL normalisation, and the text is escaped.
    expect(renderMinutesHtml(payloads[2]![1])).toBe(
      '<p><a href="https://a.example/%22%3E%3Cscript%3Ealert(1)%3C/script%3E" rel="noopener noreferrer nofollow">x&quot; onmouseover=&quot;alert(1)</a></p>',
    );
  });

  it("renders any depth of nesting flat beyond MAX_NESTING without overflowing the stack", () => {
    let node: MinutesNode = p(t("最深处"));
    for (let i = 0; i < 100_000; i++) node = { type: i % 2 ? "blockquote" : "bulletList", content: [i % 2 ? node : { type: "listItem", content: [node] }] };
    const html = renderMinutesHtml(doc(node));
    expect(html).toContain("最深处");
    expectOnlyAllowedMarkup(html);
    expect((html.match(/<blockquote>/g) ?? []).length).toBeLessThanOrEqual(MAX_NESTING);

    let inline: MinutesNode = t("深");
    for (let i = 0; i < 100_000; i++) inline = { type: "span", content: [inline] };
    expect(renderMinutesHtml(doc(p(inline)))).toBe("<p>深</p>");
  });

  it("validates fact keys and link addresses", () => {
    for (const key of ["header", "attendance", "tasks", "item:abc123", "item:a_b-C"]) expect(isFactKey(key)).toBe(true);
    for (const key of ["item:", "item:a b", 'item:a"', "Header", "votes", 1, null, `item:${"x".repeat(65)}`]) expect(isFactKey(key)).toBe(false);
    expect(safeHref("HTTPS://Example.COM/a b")).toBe("https://example.com/a%20b");
    expect(safeHref("ftp://example.com")).toBeNull();
    expect(safeHref("mailto:a@b.c")).toBeNull();
  });

  it("never throws on input that is not a document", () => {
    for (const input of [null, undefined, 1, "x", [], { type: "doc", content: "x" }, { type: "doc", content: [null] }]) {
      expect(() => minutesBlocks(input as unknown as MinutesNode)).not.toThrow();
      expect(renderMinutesHtml(input as unknown as MinutesNode)).toBe("");
    }
  });
});

const hostile = [
  "# 不是标题",
  "- 不是列表",
  "1. 不是编号",
  "> 不是引用",
  "**不是粗体** _不是斜体_ ~~不是删除线~~ `不是代码`",
  "[不是链接](javascript:alert(1)) ![不是图片](x.png)",
  "<script>alert(1)</script> <img src=x onerror=alert(1)> &amp; &lt;",
  "| 不是 | 表格 |",
  "\\ 反斜杠 \\* 已转义的星号",
  "---",
  "    四个空格不是代码块",
  "=====",
];

/** micromark's HTML, tags stripped and entities decoded: what a reader of the Markdown would see. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

describe("renderMinutesMarkdown", () => {
  it("escapes every Markdown special in text so each line reads literally", () => {
    for (const line of hostile) {
      const md = renderMinutesMarkdown(sampleMinutes(0, { content: doc(p(t(line))) }));
      const body = md.split("\n---\n")[1]!.trim();
      const html = micromark(body);
      // One paragraph holding exactly the typed text (leading spaces dropped), and no other element.
      expect(html, line).toBe(`<p>${escapeHtmlText(line.trimStart())}</p>`);
      expect(visibleText(html)).toBe(line.trimStart());
    }
  });

  it("keeps emphasis working next to Chinese punctuation and renders the structure", () => {
    const md = renderMinutesMarkdown(
      sampleMinutes(0, {
        content: doc(
          { type: "heading", attrs: { level: 1 }, content: [t("议题")] },
          p(
            t("提出人说"),
            t("「停车难」", [{ type: "bold" }]),
            t("问题，"),
            t("已持续多年，", [{ type: "italic" }]),
            t("详见"),
            t("公示*栏*", link("https://yishi.example/a_(b)")),
          ),
          {
            type: "orderedList",
            attrs: { start: 2 },
            content: [{ type: "listItem", content: [p(t("甲")), { type: "bulletList", content: [{ type: "listItem", content: [p(t("乙"))] }] }] }],
          },
          { type: "blockquote", content: [p(t("引文"))] },
        ),
      }),
    );
    const html = micromark(md.split("\n---\n")[1]!);
    expect(html).toContain("<h2>议题</h2>");
    expect(html).toContain('<p>提出人说「<strong>停车难</strong>」问题，<em>已持续多年</em>，详见<a href="https://yishi.example/a_(b)">公示*栏*</a></p>');
    expect(html).toMatch(/<ol start="2">\s*<li>\s*<p>甲<\/p>\s*<ul>\s*<li>乙<\/li>\s*<\/ul>\s*<\/li>\s*<\/ol>/);
    expect(html).toMatch(/<blockquote>\s*<p>引文<\/p>\s*<\/blockquote>/);
  });

  it("opens with the session's facts and closes with signatures, hash and address", () => {
    const m = sampleMinutes(1, { version: 2, correctionReason: "更正 *票数*", previousHash: "c".repeat(64) });
    const md = renderMinutesMarkdown(m);
    expect(md.startsWith("# 2026 年第 4 次红色议事会 会议纪要\n")).toBe(true);
    for (const s of ["主持人：王喆", "记录人：李堃", "更正说明（第 2 版）", "更正 \\*票数\\*", "c".repeat(64), m.hash, `<${m.url}>`, "赵䶮", "毖谰耪锨"])
      expect(md).toContain(s);
  });
});

const escapeHtmlText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

describe("drafts (version 0) in the Markdown and Word files", () => {
  it("are named drafts and carry no publication, notice period or hash", async () => {
    const m = sampleMinutes(1, { version: 0, hash: "" });
    const md = renderMinutesMarkdown(m);
    expect(md.startsWith("# 2026 年第 4 次红色议事会 会议纪要（草稿）\n")).toBe(true);
    for (const absent of ["发布时间：", "公示期：", "版本哈希"]) expect(md).not.toContain(absent);
    const xml = zipEntries(await renderMinutesDocx(m))
      .get("word/document.xml")!
      .toString("utf8");
    expect(xml).toContain("会议纪要（草稿）");
    for (const absent of ["发布时间：", "公示期：", "版本哈希"]) expect(xml).not.toContain(absent);
  });
});

describe("the version's own fields", () => {
  it("lose unprintable characters, and only an http(s) address becomes a link or a QR code", async () => {
    const m = sampleMinutes(0, { sessionTitle: "第\u0000四次\u0008议事会", chair: "王\u001b喆", url: "javascript:alert(1)" });
    const files = zipEntries(await renderMinutesDocx(m));
    const xml = files.get("word/document.xml")!.toString("utf8");
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).toContain("第四次议事会");
    expect(xml).toContain("主持人：王喆");
    expect([...files.keys()].some((name) => name.startsWith("word/media/"))).toBe(false);
    expect(files.get("word/_rels/document.xml.rels")!.toString()).not.toContain("javascript");
    const md = renderMinutesMarkdown(m);
    expect(md).toContain("# 第四次议事会 会议纪要");
    expect(md).not.toContain("javascript");
  });
});

describe("rollCallCsv", () => {
  const castAt = new Date("2026-11-20T11:05:03Z");
  const rows: RollCallRow[] = [
    { agendaItem: "议题一", motion: "动议 1-1", voter: "王喆", constituency: "第一选区", choice: "yes", byProxyFor: null, castAt },
    {
      agendaItem: "议题,二",
      motion: '他说"好"\n第二行',
      voter: '=HYPERLINK("http://x","点")',
      constituency: " 第二选区",
      choice: "abstain",
      byProxyFor: "赵䶮",
      castAt,
    },
    { agendaItem: "议题三", motion: "动议", voter: "+1", constituency: "-2", choice: "no", byProxyFor: "@x", castAt },
  ];

  it("is UTF-8 with a BOM and CRLF rows, Chinese headers in zh-CN, and round-trips through a CSV parser", () => {
    const csv = rollCallCsv(rows, "zh-CN");
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.slice(1).split("\r\n")[0]).toBe("议题,表决事项,投票人,选区,选择,代投人（受托人）,表决结束时间");
    const parsed = parse(csv, { bom: true }) as string[][];
    expect(parsed).toEqual([
      ["议题", "表决事项", "投票人", "选区", "选择", "代投人（受托人）", "表决结束时间"],
      ["议题一", "动议 1-1", "王喆", "第一选区", "赞成", "", "2026-11-20 19:05:03"],
      ["议题,二", '他说"好"\n第二行', '\'=HYPERLINK("http://x","点")', " 第二选区", "弃权", "赵䶮", "2026-11-20 19:05:03"],
      ["议题三", "动议", "'+1", "'-2", "反对", "'@x", "2026-11-20 19:05:03"],
    ]);
    expect(csv).toContain('"议题,二","他说""好""\n第二行"');
  });

  it("uses English headers and choices in en", () => {
    const [header, first] = parse(rollCallCsv(rows.slice(0, 1), "en"), { bom: true }) as string[][];
    expect(header).toEqual(["Agenda item", "Motion", "Voter", "Constituency", "Choice", "Cast by proxy holder", "Vote closed at"]);
    expect(first![4]).toBe("Yes");
  });
});

describe("renderMinutesDocx", () => {
  it("is a Word file whose document.xml holds the text, the signatures, the hash and the address", async () => {
    const m = sampleMinutes(2, {
      version: 2,
      correctionReason: "更正第 1 项票数",
      previousHash: "d".repeat(64),
      content: doc(...(sampleMinutes(2).content.content ?? []), p(t("</w:t><w:r><w:t>注入\"&'<>")), p(t("链接", link("javascript:alert(1)")))),
    });
    const files = zipEntries(await renderMinutesDocx(m));
    const xml = files.get("word/document.xml")!.toString("utf8");
    const text = [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((x) => x[1]).join("");
    for (const s of [
      m.sessionTitle,
      "会议纪要",
      "王喆",
      "李堃",
      "赵䶮",
      "毖谰耪锨",
      "出席情况",
      "1. 关于小区东门停车位重新划线的议案（第 1 项）",
      "结果：通过",
      "任务 3：由李堃负责落实，限期三十日。",
      "更正说明（第 2 版）",
      "更正第 1 项票数",
      "d".repeat(64),
      "主持人：王喆",
      "记录人：李堃",
      "签名：",
      "日期：",
      m.hash,
      m.url,
    ]) {
      expect(text, s).toContain(s);
    }
    // Hostile text stays text: escaped inside one <w:t>, never a new run.
    expect(text).toContain("&lt;/w:t&gt;&lt;w:r&gt;&lt;w:t&gt;注入&quot;&amp;&apos;&lt;&gt;");
    expect(xml).not.toContain("javascript:");
    expect(files.get("word/_rels/document.xml.rels")!.toString()).toContain(`Target="${m.url}"`);
    expect(files.get("word/_rels/document.xml.rels")!.toString()).not.toContain("javascript:");
    // The footer numbers pages with Word's own fields, the header names the community.
    const footer = [...files.entries()].find(([name]) => /^word\/footer\d+\.xml$/.test(name))![1].toString();
    expect(footer).toMatch(/PAGE[\s\S]*NUMPAGES/);
    expect([...files.entries()].find(([name]) => /^word\/header\d+\.xml$/.test(name))![1].toString()).toContain("幸福里社区");
    // The QR code is an embedded PNG.
    const png = [...files.entries()].find(([name]) => name.startsWith("word/media/"))![1];
    expect(png.subarray(1, 4).toString()).toBe("PNG");
  });
});
