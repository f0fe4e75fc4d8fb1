// The minutes (issue 12) at the model level against real SQLite and a real Room: fact blocks
// generated into the Y.Doc through the room's store-then-relay path, including while the
// secretary types in the same section; the review permissions; the hash chain; forged and
// stale hashes.
import * as decoding from "lib0/decoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { castBallot } from "~/models/live-ballots.server";
import { adjournSession, checkIn, closeVote, openItem, openSession, openVote, proposeMotion, secondMotion } from "~/models/live-session.server";
import {
  answerObjection,
  approveMinutes,
  commentOnMinutes,
  correctMinutes,
  getMinutes,
  listNotices,
  publishMinutes,
  publishedVersion,
  raiseObjection,
  resolveComment,
  submitForReview,
  verifyMinutes,
} from "~/models/minutes.server";
import { draftPdf, publishedFile, rollCallRows } from "~/models/minutes/exports.server";
import { createTaskFromResolution } from "~/models/task.server";
import { minutesFactsChanged } from "~/models/minutes/facts.server";
import { canonicalJson, lookUpHash, verifyChain, versionHash } from "~/models/minutes/hash";
import { attachDocumentAccessor } from "~/models/minutes/live-doc.server";
import { factElements, readMinutesJson, writeFactBlocks } from "~/models/minutes/ydoc";
import type { MinutesNode } from "~/models/minutes/document";
import { prisma } from "~/utils/db.server";
import { minutesDocumentName } from "~/utils/domain";
import { can, documentAccess, loadMinutesResource, type Action, type Actor } from "~/utils/permissions.server";
import { minutesCorrectSchema } from "~/utils/minutes-schemas";
import { MESSAGE_SYNC, SYNC_STEP2, SYNC_UPDATE } from "../server/yjs/protocol";
import type { Peer, Room } from "../server/yjs/room";
import { Rooms } from "../server/yjs/rooms";
import { PrismaDocumentStore } from "../server/yjs/store";
import { actorOf, demo } from "./fixtures/demo";

const rooms = new Rooms(new PrismaDocumentStore(prisma));
let sessionId: string;
let items: { id: string; title: string }[];
const who: Record<string, Actor> = {};
let n = 0;
const ballot = (motionId: string, choice: string) => ({ motionId, clientBallotId: `minutes-ballot-${++n}`, seq: n, choice });

/** A client on the room, as the endpoint would connect one: it applies what the server sends (or holds it, to make edits concurrent). */
function client(name: string, userId: string) {
  const doc = new Y.Doc();
  const held: Uint8Array[] = [];
  let holding = false;
  const apply = (u: Uint8Array) => Y.applyUpdate(doc, u, "server");
  const peer: Peer = {
    user: { id: userId, name },
    readOnly: false,
    send(message) {
      const d = decoding.createDecoder(message);
      if (decoding.readVarUint(d) !== MESSAGE_SYNC) return;
      const kind = decoding.readVarUint(d);
      if (kind !== SYNC_STEP2 && kind !== SYNC_UPDATE) return;
      const update = decoding.readVarUint8Array(d);
      if (holding) held.push(update);
      else apply(update);
    },
    close() {},
  };
  let room: Room;
  const outbox: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array, origin: unknown) => origin !== "server" && outbox.push(u));
  return {
    doc,
    peer,
    async connect() {
      room = await rooms.open(minutesDocumentName(sessionId));
      room.join(peer);
      room.answerSyncStep1(peer, Y.encodeStateVector(doc));
      await room.durable();
    },
    /** Sends the local edits made since the last send. */
    flush() {
      for (const u of outbox.splice(0)) room.acceptUpdate(peer, u);
    },
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const u of held.splice(0)) apply(u);
    },
    leave() {
      room.leave(peer);
    },
  };
}

const textOf = (node: MinutesNode): string => (node.text ?? "") + (node.content ?? []).map(textOf).join("");
function section(doc: Y.Doc, key: string): string {
  const json = readMinutesJson(doc);
  const fact = json.content!.find((b) => b.type === "minutesFact" && b.attrs?.key === key);
  return fact ? textOf(fact) : "";
}
function topLevelIndexOf(doc: Y.Doc, key: string): number {
  return doc
    .getXmlFragment("default")
    .toArray()
    .findIndex((n) => n instanceof Y.XmlElement && n.nodeName === "minutesFact" && n.getAttribute("key") === key);
}
/** The secretary types into the paragraph right after a fact block, as the editor would. */
function typeAfter(doc: Y.Doc, key: string, text: string): void {
  const para = doc.getXmlFragment("default").get(topLevelIndexOf(doc, key) + 1) as Y.XmlElement;
  let t = para.get(0) as Y.XmlText | undefined;
  if (!(t instanceof Y.XmlText)) {
    t = new Y.XmlText();
    para.insert(0, [t]);
  }
  t.insert(t.length, text);
}
function paragraphAfter(doc: Y.Doc, key: string): string {
  const para = doc.getXmlFragment("default").get(topLevelIndexOf(doc, key) + 1) as Y.XmlElement;
  return para
    .toArray()
    .map((c) => (c instanceof Y.XmlText ? c.toString() : ""))
    .join("");
}

beforeAll(async () => {
  const d = await demo();
  sessionId = d.session.id;
  items = d.items;
  for (const u of ["staff", "secretary", "grid1", "wuye", "yeweihui", "resident1", "resident2", "resident3", "observer", "outsider"]) who[u] = await actorOf(u);
  attachDocumentAccessor({ change: (name, fn) => rooms.change(name, fn), read: (name, fn) => rooms.read(name, fn) });
});
afterAll(async () => {
  attachDocumentAccessor(null);
  await rooms.closeAll();
});

describe("fact blocks in the minutes document", () => {
  it("writes blocks in place, adds a missing one in order, removes a stale one, and leaves everything else alone", () => {
    const doc = new Y.Doc();
    const p = (t: string): MinutesNode[] => [{ type: "paragraph", content: [{ type: "text", text: t }] }];
    const order = ["header", "item:a", "item:b", "tasks"] as const;
    writeFactBlocks(
      doc,
      new Map([
        ["header", p("H")],
        ["item:a", p("A")],
        ["tasks", p("T")],
      ]),
      [...order],
      { complete: true },
    );
    // The secretary writes after item a.
    const frag = doc.getXmlFragment("default");
    const mine = new Y.XmlElement("paragraph");
    mine.insert(0, [new Y.XmlText("我的记录")]);
    frag.insert(topLevelIndexOf(doc, "item:a") + 1, [mine]);
    const again = writeFactBlocks(
      doc,
      new Map([
        ["header", p("H")],
        ["item:a", p("A2")],
        ["item:b", p("B")],
        ["tasks", p("T")],
      ]),
      [...order],
      { complete: true },
    );
    expect(again.sort()).toEqual(["item:a", "item:b"]);
    expect(section(doc, "item:a")).toBe("A2");
    // b lands between a's section and tasks; the secretary's paragraph stays right after a.
    expect(topLevelIndexOf(doc, "item:b")).toBeGreaterThan(topLevelIndexOf(doc, "item:a"));
    expect(topLevelIndexOf(doc, "item:b")).toBeLessThan(topLevelIndexOf(doc, "tasks"));
    expect(paragraphAfter(doc, "item:a")).toBe("我的记录");
    // Unchanged facts write nothing.
    expect(writeFactBlocks(doc, new Map([["item:a", p("A2")]]), [...order])).toEqual([]);
    // An item that left the agenda loses its block, not the secretary's text.
    writeFactBlocks(
      doc,
      new Map([
        ["header", p("H")],
        ["item:b", p("B")],
        ["tasks", p("T")],
      ]),
      ["header", "item:b", "tasks"],
      { complete: true },
    );
    expect([...factElements(doc).keys()]).toEqual(["header", "item:b", "tasks"]);
    expect(readMinutesJson(doc).content!.some((b) => textOf(b) === "我的记录")).toBe(true);
  });

  it("are created when the session opens: header, attendance by constituency, every item, tasks", async () => {
    expect(await documentAccess(who.secretary!, minutesDocumentName(sessionId))).toBe("missing"); // not open yet
    await openSession(who.staff!, sessionId);
    await minutesFactsChanged(sessionId);
    const doc = await rooms.read(minutesDocumentName(sessionId), (d) => {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(d));
      return copy;
    });
    expect([...factElements(doc).keys()]).toEqual(["header", "attendance", ...items.map((i) => `item:${i.id}`), "tasks"]);
    expect(section(doc, "header")).toContain("李敏"); // the secretary
    expect(section(doc, "attendance")).toContain("缺席");
    expect(section(doc, "tasks")).toContain("尚未产生联办任务");
    expect(await prisma.minutes.count({ where: { sessionId } })).toBe(1);
  });

  it("puts a closed vote's result in its item's section on every screen, leaving the secretary's text intact, also when she types there at that moment", async () => {
    const item = items[0]!;
    const key = `item:${item.id}` as const;
    const secretary = client("secretary", who.secretary!.userId);
    const reader = client("resident3", who.resident3!.userId);
    await secretary.connect();
    await reader.connect();
    // Check-ins reach the attendance block.
    for (const u of ["grid1", "wuye", "yeweihui", "resident1"]) await checkIn(who.staff!, sessionId, { userId: who[u]!.userId });
    await minutesFactsChanged(sessionId, ["attendance"]);
    expect(section(secretary.doc, "attendance")).toContain("张伟");

    typeAfter(secretary.doc, key, "秘书记录：大家同意在三号楼划线。");
    secretary.flush();
    await openItem(who.staff!, sessionId, item.id);
    const { id: motionId } = await proposeMotion(who.staff!, sessionId, {
      agendaItemId: item.id,
      text: "在三号楼消防通道两侧划禁停线",
      ballot: "open",
      passRule: "majorityCast",
      constituencies: [],
      hideResults: false,
    });
    await secondMotion(who.grid1!, motionId);
    await openVote(who.staff!, motionId);
    for (const u of ["grid1", "wuye", "yeweihui"]) await castBallot(who[u]!, ballot(motionId, "yes"));
    await castBallot(who.resident1!, ballot(motionId, "no"));

    // Concurrent: the secretary types in the same section while the server writes the result;
    // neither side has seen the other's change when it makes its own.
    secretary.hold();
    typeAfter(secretary.doc, key, "补充：物业负责施工。");
    const before = section(secretary.doc, `item:${items[1]!.id}`);
    await closeVote(who.staff!, motionId);
    await minutesFactsChanged(sessionId, [key]);
    expect(section(secretary.doc, key)).not.toContain("通过"); // not yet delivered to her
    secretary.flush();
    secretary.release();
    const room = await rooms.open(minutesDocumentName(sessionId));
    await room.durable();

    for (const doc of [secretary.doc, reader.doc, room.doc]) {
      expect(section(doc, key)).toContain("在三号楼消防通道两侧划禁停线");
      expect(section(doc, key)).toContain("赞成 3");
      expect(section(doc, key)).toContain("通过");
      expect(section(doc, key)).toContain("决议");
      expect(paragraphAfter(doc, key)).toBe("秘书记录：大家同意在三号楼划线。补充：物业负责施工。");
      expect(section(doc, `item:${items[1]!.id}`)).toBe(before);
    }
    expect(canonicalJson(readMinutesJson(secretary.doc))).toBe(canonicalJson(readMinutesJson(room.doc)));
    expect(canonicalJson(readMinutesJson(reader.doc))).toBe(canonicalJson(readMinutesJson(room.doc)));
    // Stored, not only in memory: a fresh load has both.
    const stored = new Y.Doc();
    for (const u of await new PrismaDocumentStore(prisma).load(minutesDocumentName(sessionId))) Y.applyUpdate(stored, u);
    expect(section(stored, key)).toContain("通过");
    expect(paragraphAfter(stored, key)).toContain("补充：物业负责施工。");

    // The resolution becomes a 联办任务: the minutes' tasks block lists it on every screen, and the secretary's text stays.
    const property = await prisma.organization.findFirstOrThrow({ where: { kind: "propertyCompany", community: { slug: "xingfuli" } } });
    const task = await createTaskFromResolution(who.staff!, {
      motionId,
      title: "三号楼消防通道划线",
      organizationId: property.id,
      deadline: new Date(Date.now() + 7 * 86_400_000),
    });
    await minutesFactsChanged(sessionId, ["tasks"]);
    await room.durable();
    for (const doc of [secretary.doc, reader.doc, room.doc]) {
      expect(section(doc, "tasks")).toContain("三号楼消防通道划线");
      expect(section(doc, "tasks")).toContain(property.name);
      expect(section(doc, "tasks")).not.toContain("尚未产生联办任务");
      expect(paragraphAfter(doc, key)).toBe("秘书记录：大家同意在三号楼划线。补充：物业负责施工。");
    }
    expect(task.title).toBe("三号楼消防通道划线");
    secretary.leave();
    reader.leave();
  });
});

describe("review permissions", () => {
  type Row = [Action, string, string, boolean];
  // [action, person, minutes state, allowed]
  const table: Row[] = [
    ["minutes:edit", "secretary", "draft", true],
    ["minutes:edit", "secretary", "inReview", true],
    ["minutes:edit", "secretary", "approved", false],
    ["minutes:edit", "secretary", "published", false],
    ["minutes:edit", "staff", "draft", false], // the chair does not write the minutes
    ["minutes:edit", "resident1", "draft", false],
    ["minutes:view", "resident3", "draft", true],
    ["minutes:view", "outsider", "published", false],
    ["minutes:comment", "resident1", "inReview", true], // attended
    ["minutes:comment", "resident3", "inReview", false], // did not attend
    ["minutes:comment", "observer", "inReview", false],
    ["minutes:comment", "staff", "inReview", true],
    ["minutes:resolve", "secretary", "inReview", true],
    ["minutes:resolve", "resident1", "inReview", false],
    ["minutes:approve", "staff", "inReview", true], // the session's chair
    ["minutes:approve", "secretary", "inReview", false], // not their own minutes
    ["minutes:approve", "resident1", "inReview", false],
    ["minutes:publish", "secretary", "approved", true],
    ["minutes:publish", "staff", "approved", false],
    ["minutes:correct", "secretary", "published", true],
    ["minutes:correct", "resident1", "published", false],
    ["minutes:downloadDraft", "staff", "draft", true],
    ["minutes:downloadDraft", "resident1", "draft", false],
  ];
  it.each(table)("%s by %s when %s: %s", async (action, person, state, allowed) => {
    const r = (await loadMinutesResource(sessionId))!;
    expect(can(who[person]!, action as "minutes:edit", { ...r, sessionStatus: "adjourned", state })).toBe(allowed);
  });
  it("objections: members but observers raise them, staff answer", () => {
    const c = { type: "community" as const, communityId: who.staff!.memberships[0]!.communityId };
    expect(can(who.resident3!, "notice:object", c)).toBe(true);
    expect(can(who.observer!, "notice:object", c)).toBe(false);
    expect(can(who.staff!, "notice:answer", c)).toBe(true);
    expect(can(who.resident1!, "notice:answer", c)).toBe(false);
  });
});

describe("review, approval, publishing and the hash chain", () => {
  let minutesId: string;
  it("goes draft → inReview → approved → published, each step checked, on the timeline and notified", async () => {
    await expect(submitForReview(who.secretary!, sessionId, { reviewEndsAt: new Date(Date.now() + 86400_000) })).rejects.toMatchObject({
      key: "errors.minutesSessionNotOver",
    });
    await adjournSession(who.staff!, sessionId);
    await expect(submitForReview(who.resident1!, sessionId, { reviewEndsAt: new Date(Date.now() + 86400_000) })).rejects.toMatchObject({ status: 403 });
    await expect(submitForReview(who.secretary!, sessionId, { reviewEndsAt: new Date(Date.now() - 1000) })).rejects.toMatchObject({ key: "errors.dateInPast" });
    await submitForReview(who.secretary!, sessionId, { reviewEndsAt: new Date(Date.now() + 86400_000) });
    expect(await prisma.notification.count({ where: { userId: who.resident1!.userId, type: "minutesInReview" } })).toBe(1);
    // Still the secretary's to write during review.
    expect(await documentAccess(who.secretary!, minutesDocumentName(sessionId))).toBe("write");

    await expect(commentOnMinutes(who.resident3!, sessionId, { quote: "x", body: "y" })).rejects.toMatchObject({ status: 403 });
    const { id: commentId } = await commentOnMinutes(who.resident1!, sessionId, {
      quote: "大家同意在三号楼划线",
      body: "我记得是两侧都划线，请写清楚。",
      anchor: { prefix: "秘书记录：" },
    });
    await expect(approveMinutes(who.staff!, sessionId)).rejects.toMatchObject({ key: "errors.commentsUnresolved" });
    await expect(resolveComment(who.resident1!, sessionId, commentId, {})).rejects.toMatchObject({ status: 403 });
    await resolveComment(who.secretary!, sessionId, commentId, { resolution: "已改为两侧" });
    await expect(resolveComment(who.secretary!, sessionId, commentId, {})).rejects.toMatchObject({ key: "errors.commentAlreadyResolved" });
    await expect(approveMinutes(who.secretary!, sessionId)).rejects.toMatchObject({ status: 403 });
    await approveMinutes(who.staff!, sessionId);
    // After approval nobody writes.
    expect(await documentAccess(who.secretary!, minutesDocumentName(sessionId))).toBe("read");
    await expect(commentOnMinutes(who.resident1!, sessionId, { quote: "x", body: "y" })).rejects.toMatchObject({ key: "errors.minutesNotInReview" });
    await expect(publishMinutes(who.staff!, sessionId, { noticeDays: 7 })).rejects.toMatchObject({ status: 403 });
    const v1 = await publishMinutes(who.secretary!, sessionId, { noticeDays: 7 });
    minutesId = v1.minutesId;
    expect(v1.version).toBe(1);
    expect(v1.hash).toMatch(/^[0-9a-f]{64}$/);
    await expect(publishMinutes(who.secretary!, sessionId, { noticeDays: 7 })).rejects.toMatchObject({ key: "errors.minutesNotApproved" });
    // A comment on a published version is refused.
    await expect(commentOnMinutes(who.resident1!, sessionId, { quote: "x", body: "y" })).rejects.toMatchObject({
      status: 409,
      key: "errors.minutesPublishedNoComment",
    });
    const m = await getMinutes(who.resident3!, sessionId);
    expect(m.timeline.map((e) => e.type)).toEqual(["created", "adjourned", "submitted", "commented", "resolved", "approved", "published"]);
    const read = await publishedVersion(who.resident3!, minutesId);
    expect(textOf(read.published.content)).toContain("秘书记录：大家同意在三号楼划线。");
    expect(textOf(read.published.content)).toContain("赞成 3");
  });

  it("a correction needs a reason and publishes version 2 chained to version 1; version 1 stays readable", async () => {
    expect(minutesCorrectSchema.safeParse({ reason: "   " }).success).toBe(false);
    await expect(correctMinutes(who.secretary!, sessionId, { reason: " " })).rejects.toMatchObject({ key: "errors.correctionReasonRequired" });
    await correctMinutes(who.secretary!, sessionId, { reason: "出席名单漏记一人" });
    expect(await documentAccess(who.secretary!, minutesDocumentName(sessionId))).toBe("write");
    await rooms.change(minutesDocumentName(sessionId), (doc) => {
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText("更正：孙秀兰列席。")]);
      doc.getXmlFragment("default").push([p]);
    });
    await approveMinutes(who.staff!, sessionId);
    const v2 = await publishMinutes(who.secretary!, sessionId, { noticeDays: 3 });
    expect(v2.version).toBe(2);
    const rows = await prisma.minutesVersion.findMany({ where: { minutesId }, orderBy: { version: "asc" } });
    expect(rows[1]!.previousHash).toBe(rows[0]!.hash);
    expect(rows[1]!.correctionReason).toBe("出席名单漏记一人");
    expect(textOf((await publishedVersion(who.resident1!, minutesId, 1)).published.content)).not.toContain("更正：孙秀兰列席。");
    expect(textOf((await publishedVersion(who.resident1!, minutesId, 2)).published.content)).toContain("更正：孙秀兰列席。");
    const ok = await verifyMinutes(who.resident3!, minutesId);
    expect(ok).toMatchObject({ ok: true, firstBad: null });
    expect(ok.versions).toHaveLength(2);
  });

  it("altering one stored byte fails verification and names the version", async () => {
    const rows = await prisma.minutesVersion.findMany({ where: { minutesId }, orderBy: { version: "asc" } });
    for (const [i, field] of [
      [0, "content"],
      [1, "content"],
      [1, "metadata"],
    ] as const) {
      const row = rows[i]!;
      const original = row[field];
      // One character changed: 三 → 二 in the content, a digit of the notice date in the metadata.
      const altered =
        field === "content" ? original.replace("三号楼", "二号楼") : original.replace(/"noticeTo":"(\d)/, (_m, d) => `"noticeTo":"${(Number(d) + 1) % 10}`);
      expect(altered).not.toBe(original);
      await prisma.minutesVersion.update({ where: { id: row.id }, data: { [field]: altered } });
      const report = await verifyMinutes(who.resident1!, minutesId);
      expect(report.ok).toBe(false);
      expect(report.firstBad).toBe(row.version);
      expect(report.versions.find((v) => v.version === row.version)!.problem).toBe("hashMismatch");
      await prisma.minutesVersion.update({ where: { id: row.id }, data: { [field]: original } });
    }
    // A rewritten version 1 with a fresh hash breaks version 2's link.
    const content = JSON.parse(rows[0]!.content);
    const forgedHash = versionHash({ content: { ...content, forged: true }, metadata: JSON.parse(rows[0]!.metadata), version: 1, previousHash: null });
    await prisma.minutesVersion.update({ where: { id: rows[0]!.id }, data: { content: JSON.stringify({ ...content, forged: true }), hash: forgedHash } });
    const linked = await verifyMinutes(who.resident1!, minutesId);
    expect(linked.firstBad).toBe(2);
    expect(linked.versions[1]!.problem).toBe("brokenLink");
    await prisma.minutesVersion.update({ where: { id: rows[0]!.id }, data: { content: rows[0]!.content, hash: rows[0]!.hash } });
    // Unparseable JSON is reported, not thrown.
    await prisma.minutesVersion.update({ where: { id: rows[1]!.id }, data: { content: rows[1]!.content.slice(0, -1) } });
    expect(await verifyMinutes(who.resident1!, minutesId)).toMatchObject({ ok: false, firstBad: 2 });
    await prisma.minutesVersion.update({ where: { id: rows[1]!.id }, data: { content: rows[1]!.content } });
    expect((await verifyMinutes(who.resident1!, minutesId)).ok).toBe(true);
  });

  it("reports a stale, forged or malformed hash without crashing", async () => {
    const rows = await prisma.minutesVersion.findMany({ where: { minutesId }, orderBy: { version: "asc" } });
    expect((await verifyMinutes(who.resident1!, minutesId, rows[1]!.hash)).given).toMatchObject({ status: "current", version: 2 });
    expect((await verifyMinutes(who.resident1!, minutesId, rows[0]!.hash.toUpperCase())).given).toMatchObject({ status: "stale", version: 1, latest: 2 });
    expect((await verifyMinutes(who.resident1!, minutesId, "f".repeat(64))).given).toMatchObject({ status: "unknown" });
    for (const bad of ["<script>alert(1)</script>", "abc", "g".repeat(64), "x".repeat(10_000), "\u0000"])
      expect((await verifyMinutes(who.resident1!, minutesId, bad)).given).toMatchObject({ status: "malformed" });
    await expect(verifyMinutes(who.outsider!, minutesId)).rejects.toMatchObject({ status: 403 });
    expect(lookUpHash(rows[0]!.hash, [])).toEqual({ status: "unknown" });
  });

  it("canonical form: key order and Unicode composition do not change the hash", () => {
    const a = { content: { type: "doc", content: [{ type: "text", text: "e\u0301" }] }, metadata: { b: 1, a: 2 }, version: 1, previousHash: null };
    const b = { previousHash: null, version: 1, metadata: { a: 2, b: 1 }, content: { content: [{ text: "\u00e9", type: "text" }], type: "doc" } };
    expect(versionHash(a)).toBe(versionHash(b));
    expect(verifyChain([])).toEqual({ ok: true, versions: [], firstBad: null });
  });

  it("is on the notice board with its period; objections during it, answered by staff", async () => {
    const board = await listNotices(who.resident3!, "xingfuli");
    expect(board.notices[0]).toMatchObject({ minutesId, version: 2, open: true, correctionReason: "出席名单漏记一人" });
    expect(board.notices[0]!.resolutions[0]).toMatchObject({ passed: true });
    await expect(raiseObjection(who.observer!, minutesId, { body: "不同意" })).rejects.toMatchObject({ status: 403 });
    const { id } = await raiseObjection(who.resident3!, minutesId, { body: "划线位置有误" });
    expect((await listNotices(who.staff!, "xingfuli")).notices[0]!.objections).toEqual({ total: 1, unanswered: 1 });
    await expect(answerObjection(who.resident1!, id, { answer: "x" })).rejects.toMatchObject({ status: 403 });
    await answerObjection(who.staff!, id, { answer: "已核实，位置正确。" });
    await expect(answerObjection(who.staff!, id, { answer: "again" })).rejects.toMatchObject({ key: "errors.objectionAlreadyAnswered" });
    expect((await listNotices(who.staff!, "xingfuli")).notices[0]!.objections).toEqual({ total: 1, unanswered: 0 });
    // After the period, no objection.
    await prisma.minutesVersion.updateMany({ where: { minutesId }, data: { noticeTo: new Date(Date.now() - 1000) } });
    await expect(raiseObjection(who.resident3!, minutesId, { body: "晚了" })).rejects.toMatchObject({ key: "errors.noticePeriodOver" });
  });

  it("files: a member downloads the published PDF, Word file, Markdown and roll call; a draft PDF only for staff", async () => {
    const pdf = await publishedFile(who.resident3!, minutesId, "minutes.pdf", undefined, "http://localhost");
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    const md = await (await publishedFile(who.resident3!, minutesId, "minutes.md", 1, "http://localhost")).text();
    expect(md).toContain("秘书记录：大家同意在三号楼划线。");
    expect(md).not.toContain("更正：孙秀兰列席。"); // version 1
    const docx = await publishedFile(who.resident3!, minutesId, "minutes.docx", 2, "http://localhost");
    expect(
      Buffer.from(await docx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe("PK");
    const rows = await rollCallRows(sessionId);
    expect(rows.map((r) => r.voter).sort()).toEqual(["刘建国", "张伟", "赵强", "陈静"].sort());
    const csv = await (await publishedFile(who.resident3!, minutesId, "roll-call.csv", undefined, "http://localhost")).text();
    expect(csv).toContain("刘建国");
    await expect(publishedFile(who.outsider!, minutesId, "minutes.pdf", undefined, "")).rejects.toMatchObject({ status: 403 });
    await expect(draftPdf(who.resident1!, sessionId, "")).rejects.toMatchObject({ status: 403, key: "errors.minutesDraftDownload" });
    const draft = await draftPdf(who.staff!, sessionId, "http://localhost");
    expect(
      Buffer.from(await draft.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
  });
});
