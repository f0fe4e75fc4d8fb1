// The renderers of a published minutes version that need no server tools: the allow-list HTML
// against hostile editor JSON, the Markdown escaping, the roll-call CSV, the .docx's text.
import { describe, expect, it } from "vitest";
import type { MinutesNode } from "~/models/minutes/document";
import { renderMinutesHtml } from "~/models/minutes/render/html";
import { isFactKey, MAX_NESTING, minutesBlocks, safeHref } from "~/models/minutes/render/tree";

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
