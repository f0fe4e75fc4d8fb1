// The generated fact blocks of the minutes (document.ts: header, attendance, item:<id>, tasks)
// as ProseMirror JSON, built from facts read out of the database. Pure: the same facts always
// give the same blocks, so the server rewrites a block only when its facts really changed.
import type { MinutesFactKey, MinutesNode } from "./document";

export type MotionFacts = {
  text: string;
  status: string; // proposed | seconded | voting | closed | withdrawn
  ballot: string; // open | secret
  /** Set once the vote has closed: counts per choice, whether it carried. */
  result: { counts: Record<string, number>; passed: boolean; winner: string | null; cast: number; present: number; eligible: number } | null;
};

export type SessionFacts = {
  title: string;
  community: string;
  scheduledAt: Date;
  openedAt: Date | null;
  endedAt: Date | null;
  place: string;
  chair: string;
  secretary: string;
  attendance: {
    byConstituency: { constituency: string; present: string[]; absent: string[] }[];
    observers: string[];
    proxies: { grantor: string; proxy: string }[];
    quorum: { seated: number; present: number; required: number; met: boolean };
  };
  items: { id: string; position: number; title: string; motions: MotionFacts[]; resolution: string | null }[];
  /** 联办任务 made from this session's resolutions (top-level tasks only; sub-tasks belong to their parent). */
  tasks: { itemPosition: number; title: string; organization: string; owner: string; deadline: Date }[];
};

/** Translates a minutes.fact.* key (the caller binds the community's language). */
export type FactText = (key: string, values?: Record<string, string | number>) => string;
/** Formats a date-time for the minutes (Beijing time in the caller's language). */
export type FactDate = (d: Date) => string;

const text = (t: string, bold = false): MinutesNode => (bold ? { type: "text", text: t, marks: [{ type: "bold" }] } : { type: "text", text: t });
const para = (...parts: (MinutesNode | string)[]): MinutesNode => {
  const content = parts.map((p) => (typeof p === "string" ? text(p) : p)).filter((n) => n.text !== "");
  return content.length ? { type: "paragraph", content } : { type: "paragraph" };
};
const heading = (level: number, t: string): MinutesNode => ({ type: "heading", attrs: { level }, content: t ? [text(t)] : undefined });

/** Every fact key of a session's minutes, in document order. */
export function factKeys(facts: Pick<SessionFacts, "items">): MinutesFactKey[] {
  return ["header", "attendance", ...[...facts.items].sort((a, b) => a.position - b.position).map((i) => `item:${i.id}` as const), "tasks"];
}

export function factBlock(key: MinutesFactKey, facts: SessionFacts, t: FactText, date: FactDate): MinutesNode[] {
  const none = t("minutes.fact.none");
  const list = (names: string[]) => (names.length ? names.join(t("minutes.fact.listSeparator")) : none);
  if (key === "header") {
    return [
      heading(1, facts.title),
      para(text(t("minutes.fact.community"), true), facts.community),
      para(
        text(t("minutes.fact.time"), true),
        facts.openedAt ? date(facts.openedAt) : date(facts.scheduledAt),
        facts.endedAt ? ` – ${date(facts.endedAt)}` : "",
      ),
      para(text(t("minutes.fact.place"), true), facts.place || none),
      para(text(t("minutes.fact.chair"), true), facts.chair || none),
      para(text(t("minutes.fact.secretary"), true), facts.secretary || none),
    ];
  }
  if (key === "attendance") {
    const a = facts.attendance;
    const q = a.quorum;
    return [
      heading(2, t("minutes.fact.attendanceHeading")),
      ...a.byConstituency.map((c) =>
        para(
          text(`${t(`constituencies.${c.constituency}`)}（${c.present.length}/${c.present.length + c.absent.length}）`, true),
          t("minutes.fact.presentList", { names: list(c.present) }),
          t("minutes.fact.absentList", { names: list(c.absent) }),
        ),
      ),
      para(text(t("minutes.fact.observers"), true), list(a.observers)),
      para(
        text(t("minutes.fact.proxies"), true),
        a.proxies.length ? a.proxies.map((p) => t("minutes.fact.proxy", p)).join(t("minutes.fact.listSeparator")) : none,
      ),
      para(
        text(t("minutes.fact.quorum"), true),
        t(q.met ? "minutes.fact.quorumMet" : "minutes.fact.quorumNotMet", { seated: q.seated, present: q.present, required: q.required }),
      ),
    ];
  }
  if (key === "tasks") {
    if (facts.tasks.length === 0) return [heading(2, t("minutes.fact.tasksHeading")), para(t("minutes.fact.tasksNone"))];
    return [
      heading(2, t("minutes.fact.tasksHeading")),
      {
        type: "bulletList",
        content: facts.tasks.map((task) => ({
          type: "listItem",
          content: [
            para(
              text(t("minutes.fact.taskTitle", { n: task.itemPosition, title: task.title }), true),
              t("minutes.fact.taskDetail", { organization: task.organization, owner: task.owner || none, deadline: date(task.deadline) }),
            ),
          ],
        })),
      },
    ];
  }
  const item = facts.items.find((i) => `item:${i.id}` === key);
  if (!item) return [];
  const blocks: MinutesNode[] = [heading(2, t("minutes.fact.itemHeading", { n: item.position, title: item.title }))];
  if (item.motions.length === 0) blocks.push(para(t("minutes.fact.noMotions")));
  item.motions.forEach((m, i) => {
    blocks.push(para(text(t("minutes.fact.motion", { n: i + 1 }), true), m.text));
    if (m.result) {
      const counts = Object.entries(m.result.counts)
        .map(([choice, n]) => `${t(`minutes.fact.choice.${choice}`, { defaultValue: choice })} ${n}`)
        .join(t("minutes.fact.listSeparator"));
      blocks.push(
        para(
          text(t("minutes.fact.result"), true),
          t("minutes.fact.resultLine", { counts, cast: m.result.cast, present: m.result.present, eligible: m.result.eligible }),
          text(t(m.result.passed ? "minutes.fact.passed" : "minutes.fact.failed"), true),
          m.ballot === "secret" ? t("minutes.fact.secretBallot") : "",
        ),
      );
    } else blocks.push(para(text(t("minutes.fact.status"), true), t(`minutes.fact.motionStatus.${m.status}`, { defaultValue: m.status })));
  });
  if (item.resolution) blocks.push(para(text(t("minutes.fact.resolution"), true), item.resolution));
  return blocks;
}
