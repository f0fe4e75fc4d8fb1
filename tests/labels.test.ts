// Nothing the domain can say reaches the screen as a raw key: every status, timeline step,
// notification, session word and refusal renders as words in both languages. The lists come
// from the domain's enumerations (app/utils/domain.ts, topic-states.ts, vote-rules.ts) and the
// refusal keys the code uses, so a status added later is covered without touching this test.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { describe, expect, it } from "vitest";
import { TopicTimeline } from "~/components/topic-timeline";
import { notificationText, ProblemText, StatusPill, topicStatusLabel } from "~/components/topic-ui";
import { createI18n, resources } from "~/i18n";
import { TOPIC_MOVES } from "~/models/topic-states";
import { PASS_RULES } from "~/models/vote-rules";
import {
  CONSTITUENCIES,
  LOCALES,
  MOTION_STATUSES,
  NOTIFICATION_TYPES,
  ROLES,
  SESSION_MODES,
  SESSION_STATUSES,
  TOPIC_EVENT_KINDS,
  TOPIC_STATUSES,
} from "~/utils/domain";

/** A key's shape ("topicStatus.resolved"), a leftover placeholder, or an enumeration's bare value. */
const RAW_KEY = /\b(?:topicStatus|timeline|notifications|errors|statuses|modes|roles|constituencies|organizationKinds|moves|live|ux)\.[a-zA-Z]/;
function expectWords(text: string, value?: string, { placeholders = false } = {}) {
  expect(text, text).not.toMatch(RAW_KEY);
  if (!placeholders) expect(text, text).not.toContain("{{");
  expect(text.trim().length).toBeGreaterThan(0);
  if (value) expect(text.trim(), `"${value}" shown raw`).not.toBe(value);
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? (f === "generated" ? [] : files(p)) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

/** Every refusal key: those the translations hold and those the code names (app/, server/). */
function errorKeys(): string[] {
  const keys = new Set<string>();
  for (const locale of LOCALES) for (const k of Object.keys(resources[locale].translation.errors)) keys.add(`errors.${k}`);
  for (const file of [...files("app"), ...files("server")])
    for (const m of readFileSync(file, "utf8").matchAll(/["'`](errors\.[a-zA-Z]+)["'`]/g)) keys.add(m[1]!);
  return [...keys];
}

describe.each(LOCALES)("in %s nothing shows a raw key", (locale) => {
  const i18n = createI18n(locale);
  const t = i18n.t;
  const render = (el: ReactElement) => renderToStaticMarkup(createElement(I18nextProvider, { i18n }, el));

  it.each(TOPIC_STATUSES)("topic status %s (pill, filter, notification)", (status) => {
    expectWords(render(createElement(StatusPill, { status })).replace(/<[^>]+>/g, ""), status);
    expectWords(topicStatusLabel(t, status), status);
    expectWords(notificationText(t, { type: "topicMoved", data: { title: "T", status }, topic: null, session: null }), status);
  });

  it.each(TOPIC_EVENT_KINDS)("timeline step %s (history, notification)", (kind) => {
    const html = render(
      createElement(TopicTimeline, {
        events: [{ id: "e", type: kind, createdAt: new Date(0), actor: null, data: { motion: "M", onBehalfOf: "N", coSigns: 3 } }],
      }),
    );
    const label = /<strong>([^<]*)<\/strong>/.exec(html)![1]!;
    expectWords(label, kind);
    expect(label).not.toBe(t("timeline.unknown"));
    expectWords(html.replace(/<[^>]+>/g, " "));
    expectWords(notificationText(t, { type: "topicMoved", data: { title: "T", status: kind }, topic: null, session: null }), kind);
  });

  it.each(NOTIFICATION_TYPES)("notification %s", (type) => {
    const text = notificationText(t, { type, data: { title: "T", status: "raised", move: "accept", coSigns: 3 }, topic: null, session: null });
    expectWords(text, type);
    expect(text).not.toBe(t("notifications.types.other", { title: "T" }));
  });

  it("session statuses, modes, motion statuses, pass rules, moves, roles, constituencies", () => {
    for (const s of SESSION_STATUSES) expectWords(t(`statuses.${s}`), s);
    for (const m of SESSION_MODES) expectWords(t(`modes.${m}`), m);
    for (const s of MOTION_STATUSES) expectWords(t(`live.motionStatus.${s}`), s);
    for (const r of PASS_RULES) expectWords(t(`live.rules.${r}`), r);
    for (const m of Object.keys(TOPIC_MOVES)) if (m !== "resolve") expectWords(t(`moves.${m}.label`), m);
    for (const r of ROLES) expectWords(t(`roles.${r}`), r);
    for (const c of CONSTITUENCIES) expectWords(t(`constituencies.${c}`), c);
  });

  it("every refusal key", () => {
    const keys = errorKeys();
    expect(keys.length).toBeGreaterThan(30);
    const values = { status: "resolved", max: 1, min: 1, count: 1, field: "x", name: "N", limit: 1, minutes: 1, seconds: 1, size: "1 MB" };
    for (const key of keys) {
      const text = render(createElement(ProblemText, { problem: { key, values } })).replace(/<[^>]+>/g, "");
      expect(text, `${key} in ${locale}`).not.toBe(key);
      // A refusal's values differ key by key; what matters here is that the key became words.
      expectWords(text, undefined, { placeholders: true });
    }
  });
});
