import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/utils/db.server";
import { agendaItemDocumentName } from "~/utils/domain";
import {
  can,
  documentAccess,
  loadAgendaItemResource,
  loadSessionResource,
  requirePermission,
  PermissionDenied,
  type AgendaItemResource,
} from "~/utils/permissions.server";
import { actorOf, demo } from "./fixtures/demo";

let item: AgendaItemResource;
let doc: string;

beforeAll(async () => {
  const { items } = await demo();
  item = (await loadAgendaItemResource(items[0]!.id))!;
  doc = agendaItemDocumentName(items[0]!.id);
});

describe("agenda items", () => {
  it.each([
    ["staff", "write"],
    ["secretary", "write"],
    ["grid1", "write"],
    ["wuye", "write"],
    ["yeweihui", "write"],
    ["resident1", "write"],
    ["resident3", "read"],
    ["observer", "read"],
    ["outsider", "none"],
  ])("%s gets %s access to the co-edited text", async (username, expected) => {
    expect(await documentAccess(await actorOf(username), doc)).toBe(expected);
  });

  it("refuses anonymous access and unknown or malformed documents", async () => {
    expect(await documentAccess(null, doc)).toBe("none");
    const staff = await actorOf("staff");
    expect(await documentAccess(staff, "agenda-item:doesnotexist")).toBe("missing");
    expect(await documentAccess(staff, "topic:123")).toBe("missing");
    expect(await documentAccess(staff, "agenda-item:../../etc")).toBe("missing");
  });

  it("freezes the text once the session is adjourned, for everyone", async () => {
    const adjourned = { ...item, status: "adjourned" };
    for (const u of ["staff", "resident1"]) {
      expect(can(await actorOf(u), "agendaItem:edit", adjourned)).toBe(false);
      expect(can(await actorOf(u), "agendaItem:view", adjourned)).toBe(true);
    }
  });

  it("seat, not role, lets a resident edit", async () => {
    const resident3 = await actorOf("resident3");
    expect(can(resident3, "agendaItem:edit", item)).toBe(false);
    await prisma.councilSeat.create({ data: { councilId: item.councilId, userId: resident3.userId, constituency: "resident" } });
    expect(can(await actorOf("resident3"), "agendaItem:edit", item)).toBe(true);
    await prisma.councilSeat.deleteMany({ where: { userId: resident3.userId } });
  });
});

describe("communities and sessions", () => {
  it("only community staff invite, and only into their own community", async () => {
    const community = { type: "community" as const, communityId: item.communityId };
    expect(can(await actorOf("staff"), "community:invite", community)).toBe(true);
    expect(can(await actorOf("resident1"), "community:invite", community)).toBe(false);
    expect(can(await actorOf("wuye"), "community:invite", community)).toBe(false);
    const other = await prisma.community.findUniqueOrThrow({ where: { slug: "chunhua" } });
    expect(can(await actorOf("staff"), "community:invite", { type: "community", communityId: other.id })).toBe(false);
  });

  it("sessions are visible to members of the community only", async () => {
    const session = (await loadSessionResource(item.sessionId))!;
    expect(can(await actorOf("observer"), "session:view", session)).toBe(true);
    expect(can(await actorOf("outsider"), "session:view", session)).toBe(false);
    expect(() => requirePermission(null, "session:view", session)).toThrow(PermissionDenied);
  });
});
