// Builds the bench database before any server starts (run under tsx with
// DATABASE_URL=file:<tmp>/bench.db): the app's own migrations and demo seed,
// then the sessions the scenarios need, written with the app's own model code
// (createAgendaItem also writes each item's first Yjs state).
//
//   tsx bench/setup/prepare-db.ts <out.json> <capacitySessions> <pageItems>
import { writeFileSync } from "node:fs";
import { createAgendaItem } from "~/models/agenda-item.server";
import { bytes } from "~/utils/bytes";
import { agendaItemDocumentName } from "~/utils/domain";
import { prisma } from "~/utils/db.server";
import { seedDemo } from "../../prisma/seed";
import { migrateDatabase } from "../../server/migrate";
import { databaseProvider } from "../../app/utils/database-url.server";

const [out, capacityArg, pageArg] = process.argv.slice(2);
if (!out) throw new Error("usage: prepare-db.ts <out.json> <capacitySessions> <pageItems>");
const capacitySessions = Number(capacityArg ?? 100);
const pageItems = Number(pageArg ?? 200);

await migrateDatabase();
await seedDemo();

const council = await prisma.council.findFirstOrThrow({ select: { id: true } });
const demo = await prisma.councilSession.findFirstOrThrow({
  where: { councilId: council.id },
  select: { id: true, agendaItems: { orderBy: { position: "asc" }, select: { id: true } } },
});
// The demo session's agenda items: the fan-out rounds take turns on them, so no round types into a document a previous round grew.
const fanoutItems: { itemId: string; initialUpdate: string }[] = [];
for (const { id } of demo.agendaItems) {
  const { snapshot } = await prisma.yDocument.findUniqueOrThrow({ where: { name: agendaItemDocumentName(id) }, select: { snapshot: true } });
  fanoutItems.push({ itemId: id, initialUpdate: Buffer.from(bytes(snapshot!)).toString("base64") });
}

const scheduledAt = new Date(Date.now() + 3 * 24 * 3600 * 1000);
async function newSession(title: string) {
  return prisma.councilSession.create({ data: { councilId: council.id, title, scheduledAt, place: "社区党群服务中心", mode: "hybrid" }, select: { id: true } });
}

const ITEM_TEXT = "居民反映楼道内堆放杂物，影响消防安全和通行。\n建议：物业发布限期清理通知，网格员上门提醒，逾期由物业统一清运并在公告栏公示结果。";

const capacity: { sessionId: string; itemId: string }[] = [];
for (let i = 1; i <= capacitySessions; i++) {
  const session = await newSession(`容量测试 第${i}次会议`);
  const item = await createAgendaItem({ sessionId: session.id, title: `议题 ${i}：楼道杂物清理`, text: ITEM_TEXT, position: 1, timeSlotMin: 15 });
  capacity.push({ sessionId: session.id, itemId: item.id });
}

const busySession = await newSession("容量测试 繁忙会议");
const busyItem = await createAgendaItem({ sessionId: busySession.id, title: "繁忙议题：停车位分配方案", text: ITEM_TEXT, position: 1, timeSlotMin: 30 });

const pageSession = await newSession(`页面重量测试：${pageItems} 个议题`);
for (let i = 1; i <= pageItems; i++) {
  await createAgendaItem({
    sessionId: pageSession.id,
    title: `第${i}号议题：${["消防通道", "绿地维护", "雨水管道", "电梯维修", "垃圾分类"][i % 5]}`,
    text: ITEM_TEXT,
    position: i,
    timeSlotMin: 10,
  });
}

// Two items that become 100 000-update documents (bench/setup/long-document.ts, when that scenario runs).
const longSession = await newSession("长文档测试");
const longCompacted = await createAgendaItem({ sessionId: longSession.id, title: "长文档：逐字存储并按时压缩", text: ITEM_TEXT, position: 1, timeSlotMin: 30 });
const longRaw = await createAgendaItem({ sessionId: longSession.id, title: "长文档：从未压缩", text: ITEM_TEXT, position: 2, timeSlotMin: 30 });

const result = {
  councilId: council.id,
  demoSessionId: demo.id,
  fanout: { sessionId: demo.id, items: fanoutItems },
  capacity,
  busy: { sessionId: busySession.id, itemId: busyItem.id },
  page: { sessionId: pageSession.id, items: pageItems },
  ...(await durability()),
  longDocument: { sessionId: longSession.id, compactedItemId: longCompacted.id, rawItemId: longRaw.id },
};
/** How the database commits: SQLite's pragmas, or PostgreSQL's settings under the same two names. */
async function durability(): Promise<{ synchronous?: string; journalMode?: string }> {
  if (databaseProvider(process.env.DATABASE_URL ?? "") === "postgresql") {
    const [row] = (await prisma.$queryRawUnsafe("SELECT current_setting('synchronous_commit') AS sc, current_setting('fsync') AS fs")) as {
      sc: string;
      fs: string;
    }[];
    return { synchronous: `synchronous_commit=${row?.sc}, fsync=${row?.fs}`, journalMode: "PostgreSQL WAL" };
  }
  return {
    synchronous: ((await prisma.$queryRawUnsafe("PRAGMA synchronous")) as { synchronous: bigint | number }[])[0]?.synchronous.toString(),
    journalMode: ((await prisma.$queryRawUnsafe("PRAGMA journal_mode")) as { journal_mode: string }[])[0]?.journal_mode,
  };
}

writeFileSync(out, JSON.stringify(result));
await prisma.$disconnect();
