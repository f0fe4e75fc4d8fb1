// The demo community (fictional) that a fresh start shows. `npm run seed`
// wipes the database and builds it again; the server seeds only an empty one.
import { createAgendaItem } from "~/models/agenda-item.server";
import { DEFAULT_CATEGORIES } from "~/models/topic-states";
import { coSign, moveTopic, raiseTopic } from "~/models/topic.server";
import { createTask, postProgress } from "~/models/task.server";
import { loadActor } from "~/utils/permissions.server";
import { hashPassword } from "~/utils/auth.server";
import type { Constituency, Role } from "~/utils/domain";
import { prisma } from "~/utils/db.server";
import { seedVolunteerDemo, wipeVolunteerRows } from "./seed-volunteer";

export const DEMO_PASSWORD = "yishi2026";

type DemoUser = {
  username: string;
  phone: string;
  displayName: string;
  roles: Role[];
  org?: "property" | "owners" | "office";
  building?: number;
  seat?: Constituency;
  community?: "other";
};

/** Listed in the README; the e2e tests sign in as these. */
export const DEMO_USERS: DemoUser[] = [
  { username: "staff", phone: "13800000001", displayName: "王芳", roles: ["communityStaff", "chair"], org: "office", seat: "communityStaff" },
  { username: "secretary", phone: "13800000002", displayName: "李敏", roles: ["communityStaff", "secretary"], org: "office" },
  { username: "grid1", phone: "13800000003", displayName: "张伟", roles: ["gridWorker"], seat: "gridWorker" },
  { username: "wuye", phone: "13800000004", displayName: "赵强", roles: ["propertyCompany"], org: "property", seat: "propertyCompany" },
  { username: "yeweihui", phone: "13800000005", displayName: "陈静", roles: ["ownersCommittee"], org: "owners", seat: "ownersCommittee" },
  { username: "resident1", phone: "13800000006", displayName: "刘建国", roles: ["resident"], building: 3, seat: "resident" },
  { username: "resident2", phone: "13800000007", displayName: "孙秀兰", roles: ["resident", "buildingHead"], building: 5, seat: "resident" },
  { username: "resident3", phone: "13800000008", displayName: "周明", roles: ["resident"], building: 1 },
  { username: "observer", phone: "13800000009", displayName: "吴晓东", roles: ["observer"] },
  { username: "outsider", phone: "13800000010", displayName: "郑涛", roles: ["resident"], community: "other" },
];

const AGENDA = [
  {
    title: "3号楼后消防通道停车问题",
    text: "3号楼后的消防通道长期被私家车占用，消防车无法通行。\n建议：划定禁停标线，物业每日巡查，并在小区东侧增设临时停车位。",
    timeSlotMin: 20,
  },
  {
    title: "中心绿地被挖种菜的处理",
    text: "中心绿地有约40平方米被个别居民开垦种菜。\n建议：网格员先上门沟通，限期恢复绿化；可另设“共享小菜园”试点。",
    timeSlotMin: 15,
  },
  {
    title: "5号楼雨水管道堵塞维修",
    text: "5号楼西侧雨水管道堵塞，雨天单元门口积水。\n请物业说明维修方案、费用来源和完成时间。",
    timeSlotMin: 15,
  },
];

export async function isEmpty(): Promise<boolean> {
  return (await prisma.community.count()) === 0;
}

export async function seedDemo(): Promise<void> {
  const community = await prisma.community.create({
    data: { slug: "xingfuli", name: "幸福里社区", city: "银川市", district: "金凤区" },
  });
  const other = await prisma.community.create({ data: { slug: "chunhua", name: "春华社区", city: "银川市", district: "兴庆区" } });
  for (const c of [community, other])
    await prisma.topicCategory.createMany({ data: DEFAULT_CATEGORIES.map((cat, i) => ({ communityId: c.id, ...cat, position: i })) });

  const grids = await Promise.all(
    [1, 2, 3].map((n) => prisma.grid.create({ data: { communityId: community.id, name: `第${"一二三"[n - 1]}网格`, code: `G0${n}` } })),
  );
  const buildings: { id: string; n: number }[] = [];
  for (let n = 1; n <= 6; n++) {
    const building = await prisma.building.create({
      data: {
        communityId: community.id,
        gridId: grids[Math.floor((n - 1) / 2)]!.id,
        name: `${n}号楼`,
        units: { create: [{ name: "1单元" }, { name: "2单元" }] },
      },
    });
    buildings.push({ id: building.id, n });
  }
  const orgs = {
    property: await prisma.organization.create({ data: { communityId: community.id, kind: "propertyCompany", name: "安居物业服务有限公司" } }),
    owners: await prisma.organization.create({ data: { communityId: community.id, kind: "ownersCommittee", name: "幸福里小区业主委员会" } }),
    office: await prisma.organization.create({ data: { communityId: community.id, kind: "communityOffice", name: "幸福里社区居民委员会" } }),
  };
  const council = await prisma.council.create({ data: { communityId: community.id, name: "幸福里社区红色议事会", quorumRatio: 0.5 } });

  const users: Record<string, string> = {};
  for (const u of DEMO_USERS) {
    const communityId = u.community === "other" ? other.id : community.id;
    const building = u.building ? buildings.find((b) => b.n === u.building) : undefined;
    const user = await prisma.user.create({
      data: {
        username: u.username,
        phone: u.phone,
        displayName: u.displayName,
        passwordHash: await hashPassword(DEMO_PASSWORD),
        memberships: {
          create: u.roles.map((role) => ({
            communityId,
            role,
            organizationId: u.org ? orgs[u.org].id : undefined,
            actsForOrganization: !!u.org,
            buildingId: building?.id,
            gridId: u.username === "grid1" ? grids[0]!.id : undefined,
          })),
        },
      },
    });
    users[u.username] = user.id;
    if (u.seat) await prisma.councilSeat.create({ data: { councilId: council.id, userId: user.id, constituency: u.seat } });
  }

  const scheduledAt = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  scheduledAt.setUTCHours(6, 30, 0, 0); // 14:30 Beijing time
  const session = await prisma.councilSession.create({
    data: {
      councilId: council.id,
      title: "幸福里社区红色议事会 第12次会议",
      scheduledAt,
      place: "社区党群服务中心二楼会议室",
      mode: "hybrid",
      chairId: users.staff,
      secretaryId: users.secretary,
    },
  });
  for (const [i, item] of AGENDA.entries()) {
    await createAgendaItem({ sessionId: session.id, title: item.title, text: item.text, timeSlotMin: item.timeSlotMin, position: i + 1 });
  }

  // A few topics at different steps, raised and moved through the same code the pages use.
  const actor = async (username: string) => (await loadActor(users[username]!))!;
  const lamp = await raiseTopic(await actor("resident3"), community.id, {
    title: "小区东门路灯不亮",
    description: "东门口两盏路灯坏了一个多月，晚上老人进出看不清台阶。",
    category: "facilities",
    buildingId: buildings[0]!.id,
  });
  await coSign(await actor("resident1"), lamp.id);
  await coSign(await actor("resident2"), lamp.id);
  const dogs = await raiseTopic(await actor("resident2"), community.id, {
    title: "5号楼前宠物粪便无人清理",
    description: "5号楼前草坪每天都有狗粪，孩子没法玩。希望物业增加清扫，并提醒养犬居民。",
    category: "sanitation",
    buildingId: buildings[4]!.id,
  });
  await coSign(await actor("resident1"), dogs.id);
  await moveTopic(await actor("staff"), dogs.id, { move: "refer", organizationId: orgs.property.id, dueAt: new Date(Date.now() + 5 * 24 * 3600 * 1000) });
  const clutter = await raiseTopic(await actor("grid1"), community.id, {
    title: "2号楼楼道堆放杂物",
    description: "2号楼2单元楼道堆放旧家具和纸箱，存在消防隐患。",
    category: "safety",
    buildingId: buildings[1]!.id,
    onBehalfOf: "2号楼2单元 李奶奶",
  });
  await moveTopic(await actor("staff"), clutter.id, { move: "accept" });

  // A 联办任务 under way, so /tasks and the lamp topic's timeline show the loop from the start.
  const lampTask = await createTask(await actor("staff"), community.id, {
    title: "修复东门路灯",
    description: "更换东门口损坏的两盏路灯，并检查线路。",
    organizationId: orgs.property.id,
    ownerId: users.wuye,
    deadline: new Date(Date.now() + 10 * 24 * 3600 * 1000),
    topicId: lamp.id,
    buildingId: buildings[0]!.id,
    weight: 1,
    coHandlers: [],
    milestones: [],
  });
  await postProgress(await actor("wuye"), lampTask.id, { progress: 30, text: "已报修，灯具已订购，预计三天内到货。", photoKind: "before" });
  // The street office of 金凤区 and its super-user (docs/decisions/0009-district-super-user.md): it oversees 幸福里,
  // not 春华 (兴庆区).
  const district = await prisma.district.create({ data: { name: "金凤区", city: "银川市" } });
  await prisma.community.update({ where: { id: community.id }, data: { districtId: district.id } });
  await prisma.user.create({
    data: { username: "jiedao", phone: "13800000011", displayName: "金凤区街道办", passwordHash: await hashPassword(DEMO_PASSWORD), districtId: district.id },
  });
  // Whoever reads the whole deployment's dashboard (every street office, 春华 without one too): nothing else.
  await prisma.user.create({
    data: { username: "shiji", phone: "13800000013", displayName: "银川市看板", passwordHash: await hashPassword(DEMO_PASSWORD), overseesDeployment: true },
  });
  await seedVolunteerDemo(community.id, users, DEMO_PASSWORD);
}

/** Removes every row, children first, so the seed can run again. */
export async function wipe(): Promise<void> {
  await prisma.$transaction([
    ...wipeVolunteerRows(),
    prisma.notification.deleteMany(),
    prisma.rateLimit.deleteMany(),
    prisma.setupCode.deleteMany(),
    prisma.yUpdate.deleteMany(),
    prisma.yDocument.deleteMany(),
    prisma.community.deleteMany(),
    prisma.user.deleteMany(),
    prisma.district.deleteMany(),
  ]);
}
