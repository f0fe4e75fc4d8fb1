// Building an agenda while others build it too, and telling a whole council at
// once, against a real SQLite database.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { notify } from "~/models/notification.server";
import { addToAgenda, reorderAgenda } from "~/models/session.server";
import { prisma } from "~/utils/db.server";
import { InputRejected } from "~/utils/errors";
import type { Actor } from "~/utils/permissions.server";
import { actorOf, demo } from "./fixtures/demo";

let sessionId: string;
let staff: Actor;

beforeAll(async () => {
  sessionId = (await demo()).session.id;
  staff = await actorOf("staff");
});

const positions = async () => (await prisma.agendaItem.findMany({ where: { sessionId }, select: { position: true } })).map((i) => i.position);

describe("agenda positions", () => {
  it("twelve items added at the same moment each get their own position", async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => addToAgenda(staff, sessionId, { title: `同时加入的议程项${i}`, text: "" })));
    const taken = await positions();
    expect(new Set(taken).size).toBe(taken.length);
  });

  it("a reorder racing an add either applies to the items it saw or is refused, and never leaves two items in one place", async () => {
    for (let round = 0; round < 5; round++) {
      const ids = (await prisma.agendaItem.findMany({ where: { sessionId }, orderBy: { position: "asc" }, select: { id: true } })).map((i) => i.id);
      const [reordered] = await Promise.allSettled([
        reorderAgenda(staff, sessionId, [...ids].reverse()),
        addToAgenda(staff, sessionId, { title: `并发加入${round}`, text: "" }),
      ]);
      if (reordered.status === "rejected") expect(reordered.reason).toBeInstanceOf(InputRejected);
      const taken = await positions();
      expect(new Set(taken).size).toBe(taken.length);
    }
  });
});

describe("notifying a council", () => {
  it("counts everyone's unread notifications in one statement, not one per recipient", async () => {
    const users = await prisma.user.findMany({ select: { id: true } });
    const count = vi.spyOn(prisma.notification, "count");
    await notify(
      users.map((u) => u.id),
      "agendaPublished",
      { sessionId },
      { title: "测试" },
    );
    expect(count).not.toHaveBeenCalled();
    count.mockRestore();
  });
});
