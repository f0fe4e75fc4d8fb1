// The fixed words of the exported files (PDF, .docx, Markdown, CSV). These files leave the app,
// so they are set in the language the minutes were published in, not the reader's; both
// languages must name the same keys (the type enforces it).
import type { PublishedMinutes } from "../document";

const zhCN = {
  minutes: "会议纪要",
  draftMinutes: "会议纪要（草稿）",
  draft: "草稿",
  time: "时间",
  place: "地点",
  chair: "主持人",
  secretary: "记录人",
  version: (v: number) => `第 ${v} 版`,
  published: "发布时间",
  notice: "公示期",
  correction: (v: number) => `更正说明（第 ${v} 版）`,
  previousHash: "上一版本哈希",
  signature: "签名",
  date: "日期",
  verify: "扫描二维码或访问以下地址，核对线上版本：",
  hash: "版本哈希（SHA-256）",
  page: (n: number, total: number) => `第 ${n} 页 / 共 ${total} 页`,
  to: "至",
  ongoing: "未结束",
  csv: {
    agendaItem: "议题",
    motion: "表决事项",
    voter: "投票人",
    constituency: "选区",
    choice: "选择",
    byProxyFor: "代投人（受托人）",
    castAt: "表决结束时间",
  },
  choices: { yes: "赞成", no: "反对", abstain: "弃权" },
};

type Labels = typeof zhCN;

const en: Labels = {
  minutes: "Minutes",
  draftMinutes: "Minutes (draft)",
  draft: "DRAFT",
  time: "Time",
  place: "Place",
  chair: "Chair",
  secretary: "Secretary",
  version: (v) => `Version ${v}`,
  published: "Published",
  notice: "Notice period",
  correction: (v) => `Correction notice (version ${v})`,
  previousHash: "Previous version hash",
  signature: "Signature",
  date: "Date",
  verify: "Scan the QR code or open this address to check the online version:",
  hash: "Version hash (SHA-256)",
  page: (n, total) => `Page ${n} of ${total}`,
  to: "to",
  ongoing: "not ended",
  csv: {
    agendaItem: "Agenda item",
    motion: "Motion",
    voter: "Voter",
    constituency: "Constituency",
    choice: "Choice",
    byProxyFor: "Cast by proxy holder",
    castAt: "Vote closed at",
  },
  choices: { yes: "Yes", no: "No", abstain: "Abstain" },
};

export const exportLabels = (locale: PublishedMinutes["locale"]): Labels => (locale === "en" ? en : zhCN);

// Building an Intl.DateTimeFormat costs far more than formatting with one (it was a tenth of a
// cold PDF render), so each is made once per locale.
const formats = new Map<string, Intl.DateTimeFormat>();
function beijing(locale: PublishedMinutes["locale"], withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}:${withTime}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone: "Asia/Shanghai",
      year: "numeric",
      month: "long",
      day: "numeric",
      ...(withTime ? { hour: "2-digit", minute: "2-digit", hour12: false } : {}),
    });
    formats.set(key, format);
  }
  return format;
}

/** A moment in Beijing time, as the community reads it: "2026年11月20日 19:00" or "20 November 2026 at 19:00". */
export const exportDateTime = (value: Date, locale: PublishedMinutes["locale"]): string => beijing(locale, true).format(value);

/** A Beijing calendar day: "2026年11月20日" or "20 November 2026". */
export const exportDate = (value: Date, locale: PublishedMinutes["locale"]): string => beijing(locale, false).format(value);

/**
 * A version below 1 is the draft as it stands (staff may download it before publication): it is
 * named a draft, and has no publication, notice period or hash to show.
 */
export const isDraft = (m: PublishedMinutes): boolean => m.version < 1;

/** "会议纪要", or "会议纪要（草稿）" for a draft. */
export const documentName = (m: PublishedMinutes): string => (isDraft(m) ? exportLabels(m.locale).draftMinutes : exportLabels(m.locale).minutes);

/** The header lines every export opens with, label and value. */
export function metaLines(m: PublishedMinutes): [string, string][] {
  const l = exportLabels(m.locale);
  const time = `${exportDateTime(m.startsAt, m.locale)} – ${m.endedAt ? exportDateTime(m.endedAt, m.locale) : l.ongoing}`;
  const lines: [string, string][] = [
    [l.time, time],
    [l.place, m.place],
    [l.chair, m.chair],
    [l.secretary, m.secretary],
  ];
  if (isDraft(m)) return lines;
  return [
    ...lines,
    [
      l.published,
      m.locale === "en"
        ? `${exportDateTime(m.publishedAt, m.locale)} (${l.version(m.version)})`
        : `${exportDateTime(m.publishedAt, m.locale)}（${l.version(m.version)}）`,
    ],
    [l.notice, `${exportDate(m.noticeFrom, m.locale)} ${l.to} ${exportDate(m.noticeTo, m.locale)}`],
  ];
}
