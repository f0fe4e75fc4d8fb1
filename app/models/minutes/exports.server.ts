// Files of the minutes (rendered by app/models/minutes/render/, the minutes-export work): a
// published version for any member of the community, a draft PDF for staff only, and every
// open vote's roll call as CSV.
import { prisma } from "~/utils/db.server";
import type { MinutesFile } from "~/utils/minutes-schemas";
import { minutesDocumentName } from "~/utils/domain";
import { Refusal } from "~/utils/errors";
import { NotFound, can, loadMinutesResource, requirePermission, type Actor } from "~/utils/permissions.server";
import { publishedVersion } from "../minutes.server";
import type { PublishedMinutes, RollCallRow } from "./document";
import { documents } from "./live-doc.server";
import { rollCallCsv } from "./render/csv.server";
import { renderMinutesDocx } from "./render/docx.server";
import { renderMinutesMarkdown } from "./render/markdown";
import { renderMinutesPdf } from "./render/pdf.server";
import { readMinutesJson } from "./ydoc";

const TYPES: Record<MinutesFile, string> = {
  "minutes.pdf": "application/pdf",
  "minutes.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "minutes.md": "text/markdown; charset=utf-8",
  "roll-call.csv": "text/csv; charset=utf-8",
};

function fileResponse(body: Buffer | string, file: MinutesFile, name: string): Response {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": TYPES[file],
      "Content-Length": String(bytes.length),
      // RFC 6266: an ASCII fallback and the UTF-8 name (the session's title is Chinese).
      "Content-Disposition": `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** Every open vote's roll call of a session (secret ballots keep no names, so they have no rows). */
export async function rollCallRows(sessionId: string): Promise<RollCallRow[]> {
  const motions = await prisma.motion.findMany({
    where: { sessionId, status: "closed", ballot: "open" },
    orderBy: { closedAt: "asc" },
    select: {
      id: true,
      text: true,
      closedAt: true,
      agendaItem: { select: { position: true, title: true } },
      ballots: { select: { voterKey: true, choice: true, constituency: true, proxy: true, castById: true } },
    },
  });
  const ids = [...new Set(motions.flatMap((m) => m.ballots.flatMap((b) => [b.voterKey, b.castById ?? ""])))].filter(Boolean);
  const names = new Map(
    (await prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } })).map((u) => [u.id, u.displayName]),
  );
  return motions.flatMap((m) =>
    m.ballots.map((b) => ({
      agendaItem: `${m.agendaItem.position}. ${m.agendaItem.title}`,
      motion: m.text,
      voter: names.get(b.voterKey) ?? "?",
      constituency: b.constituency,
      choice: (["yes", "no", "abstain"].includes(b.choice) ? b.choice : "abstain") as RollCallRow["choice"],
      byProxyFor: b.proxy ? (names.get(b.castById ?? "") ?? "?") : null,
      // Ballots keep no time of their own (a changed mind overwrites the row): the vote's close is
      // when they became final, and the column says so.
      castAt: m.closedAt ?? new Date(0),
    })),
  );
}

/** A published version's file, for any member of the community. */
export async function publishedFile(actor: Actor, minutesId: string, file: MinutesFile, version: number | undefined, origin: string): Promise<Response> {
  const v = await publishedVersion(actor, minutesId, version, origin);
  if (!v.readable) throw new NotFound("version");
  const p = v.published;
  const base = `${p.sessionTitle}-v${p.version}`;
  switch (file) {
    case "minutes.pdf":
      return fileResponse(await renderMinutesPdf(p), file, `${base}.pdf`);
    case "minutes.docx":
      return fileResponse(await renderMinutesDocx(p), file, `${base}.docx`);
    case "minutes.md":
      return fileResponse(renderMinutesMarkdown(p), file, `${base}.md`);
    case "roll-call.csv":
      return fileResponse(rollCallCsv(await rollCallRows(v.sessionId), p.locale), file, `${p.sessionTitle}-roll-call.csv`);
  }
}

/** The minutes as they stand now, as a PDF marked as a draft (version 0, no hash): staff only. */
export async function draftPdf(actor: Actor, sessionId: string, origin: string): Promise<Response> {
  const r = await loadMinutesResource(sessionId);
  if (!r) throw new NotFound("session");
  requirePermission(actor, "minutes:view", r);
  if (!can(actor, "minutes:downloadDraft", r)) throw new Refusal(403, "errors.minutesDraftDownload");
  const s = await prisma.councilSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: {
      title: true,
      scheduledAt: true,
      openedAt: true,
      adjournedAt: true,
      place: true,
      chairId: true,
      secretaryId: true,
      council: { select: { community: { select: { name: true } } } },
      minutes: { select: { id: true } },
    },
  });
  if (!s.minutes) throw new NotFound("minutes");
  const people = new Map(
    (await prisma.user.findMany({ where: { id: { in: [s.chairId ?? "", s.secretaryId ?? ""] } }, select: { id: true, displayName: true } })).map((u) => [
      u.id,
      u.displayName,
    ]),
  );
  const now = new Date();
  const draft: PublishedMinutes = {
    locale: "zh-CN",
    communityName: s.council.community.name,
    sessionTitle: s.title,
    startsAt: s.openedAt ?? s.scheduledAt,
    endedAt: s.adjournedAt,
    place: s.place,
    chair: people.get(s.chairId ?? "") ?? "",
    secretary: people.get(s.secretaryId ?? "") ?? "",
    version: 0,
    correctionReason: null,
    publishedAt: now,
    noticeFrom: now,
    noticeTo: now,
    hash: "",
    previousHash: null,
    url: `${origin}/sessions/${sessionId}/minutes`,
    content: await documents().read(minutesDocumentName(sessionId), readMinutesJson),
  };
  return fileResponse(await renderMinutesPdf(draft), "minutes.pdf", `${s.title}-draft.pdf`);
}
