// The session's secretary (issue 12): staff name who writes the minutes when they schedule a
// session or later while it is scheduled or open; only an active member holding the secretary
// role; that person alone writes; a change takes the pen from the previous one at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adjournSession, openSession } from "~/models/live-session.server";
import { assignSecretary } from "~/models/session-secretary.server";
import { scheduleSession } from "~/models/session.server";
import { prisma } from "~/utils/db.server";
import { minutesDocumentName } from "~/utils/domain";
import { isRefusal } from "~/utils/errors";
import { can, documentAccess, loadMinutesResource, type Actor } from "~/utils/permissions.server";
import { onRightsChanged, type RightsChange } from "~/utils/rights.server";
import { sessionCreateSchema } from "~/utils/schemas";
import { secretaryAssignSchema } from "~/utils/secretary-schemas";
import { actorOf, demo } from "./fixtures/demo";

const who: Record<string, Actor> = {};
let users: Record<string, string>;
let councilId: string;
let communityId: string;
let sessionId: string;
const changes: RightsChange[] = [];
const stopListening = onRightsChanged((c) => void changes.push(c));
afterAll(() => stopListening());

const input = (secretaryId?: string) =>
  sessionCreateSchema.parse({ councilId, title: "记录员测试会议", scheduledAt: "2099-03-01T14:30", ...(secretaryId === undefined ? {} : { secretaryId }) });

/** The refusal a promise rejects with: status, i18n key and field. */
async function refusalOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (error) {
    if (isRefusal(error)) return { status: error.status, key: error.key, field: error.field };
    throw error;
  }
  throw new Error("not refused");
}

const access = async (username: string) => documentAccess(who[username]!, minutesDocumentName(sessionId));
const mayEdit = async (username: string) => can(who[username]!, "minutes:edit", (await loadMinutesResource(sessionId))!);

beforeAll(async () => {
  const d = await demo();
  users = d.users;
  councilId = d.council.id;
  communityId = d.council.communityId;
  // A second secretary of 幸福里 (resident3), and grid1 once a secretary but deactivated there.
  await prisma.membership.create({ data: { userId: users.resident3!, communityId, role: "secretary" } });
  await prisma.membership.create({ data: { userId: users.grid1!, communityId, role: "secretary", deactivatedAt: new Date() } });
  for (const u of ["staff", "secretary", "grid1", "resident1", "resident3", "outsider"]) who[u] = await actorOf(u);
});

describe("naming the secretary when scheduling", () => {
  it("an empty choice on the form means any secretary of the community", () => {
    expect(input("").secretaryId).toBeUndefined();
    expect(secretaryAssignSchema.parse({ secretaryId: "" }).secretaryId).toBeNull();
    expect(secretaryAssignSchema.safeParse({ secretaryId: "no such id!" }).success).toBe(false);
  });

  it("refuses anyone who is not an active secretary of the community, and writes nothing", async () => {
    const before = await prisma.councilSession.count();
    for (const u of ["resident1", "grid1", "outsider"]) {
      expect(await refusalOf(scheduleSession(who.staff!, input(users[u])))).toEqual({ status: 400, key: "errors.secretaryInvalid", field: "secretaryId" });
    }
    expect(await refusalOf(scheduleSession(who.staff!, input("nosuchuser")))).toMatchObject({ key: "errors.secretaryInvalid" });
    expect(await prisma.councilSession.count()).toBe(before);
  });

  it("stores the one named; without one the session has none", async () => {
    const open = await scheduleSession(who.staff!, input());
    expect((await prisma.councilSession.findUniqueOrThrow({ where: { id: open.id } })).secretaryId).toBeNull();
    const s = await scheduleSession(who.staff!, input(users.resident3));
    sessionId = s.id;
    expect((await prisma.councilSession.findUniqueOrThrow({ where: { id: sessionId } })).secretaryId).toBe(users.resident3);
  });

  it("then only that person may write the minutes", async () => {
    await openSession(who.staff!, sessionId);
    expect(await access("resident3")).toBe("write");
    expect(await mayEdit("resident3")).toBe(true);
    // The community's other secretary, and staff, only read.
    expect(await access("secretary")).toBe("read");
    expect(await mayEdit("secretary")).toBe(false);
    expect(await access("staff")).toBe("read");
    expect(await access("resident1")).toBe("read");
  });
});

describe("changing the secretary afterwards", () => {
  it("refuses (403) whoever is not the community's staff, and changes nothing", async () => {
    for (const u of ["resident3", "resident1", "grid1", "outsider"]) {
      expect(await refusalOf(assignSecretary(who[u]!, sessionId, users.secretary!))).toMatchObject({ status: 403, key: "errors.forbidden" });
    }
    expect((await prisma.councilSession.findUniqueOrThrow({ where: { id: sessionId } })).secretaryId).toBe(users.resident3);
  });

  it("refuses a non-secretary with the precise key", async () => {
    expect(await refusalOf(assignSecretary(who.staff!, sessionId, users.resident1!))).toEqual({
      status: 400,
      key: "errors.secretaryInvalid",
      field: "secretaryId",
    });
    expect(await access("resident3")).toBe("write");
  });

  it("staff name another: the previous secretary loses write at once, the new one gains it", async () => {
    changes.length = 0;
    expect(await assignSecretary(who.staff!, sessionId, users.secretary!)).toEqual({ sessionId, secretaryId: users.secretary });
    // Open minutes editors are re-authorised from this (docs/realtime.md).
    expect(changes).toContainEqual({ sessionId });
    expect(await access("resident3")).toBe("read");
    expect(await mayEdit("resident3")).toBe(false);
    expect(await access("secretary")).toBe("write");
  });

  it("clearing it gives the pen back to every secretary of the community", async () => {
    await assignSecretary(who.staff!, sessionId, null);
    expect(await access("resident3")).toBe("write");
    expect(await access("secretary")).toBe("write");
    expect(await access("resident1")).toBe("read");
  });

  it("an adjourned session keeps its secretary", async () => {
    await assignSecretary(who.staff!, sessionId, users.resident3!);
    await adjournSession(who.staff!, sessionId);
    expect(await refusalOf(assignSecretary(who.staff!, sessionId, users.secretary!))).toMatchObject({ status: 400, key: "errors.secretaryNotChangeable" });
    expect((await prisma.councilSession.findUniqueOrThrow({ where: { id: sessionId } })).secretaryId).toBe(users.resident3);
  });
});
