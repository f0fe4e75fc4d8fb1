// The public view (/p/<slug>): works signed out, only while the community's staff have switched
// it on (404 otherwise, and for an unknown community), shows this year's headline rates as the
// dashboard counts them and the published notices (公示) only — never a draft.
import { beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_FIGURES, publicView, setPublicHeadline } from "~/models/dashboard.server";
import { yearPeriod } from "~/models/metrics";
import { figuresFor } from "~/models/metrics.server";
import { loader } from "~/routes/p.$slug";
import { prisma } from "~/utils/db.server";
import { localeCookie } from "~/utils/locale.server";
import { PermissionDenied, loadActor } from "~/utils/permissions.server";
import { NOW, writeMetricData } from "./fixtures/metric-data";

beforeAll(async () => {
  await writeMetricData(prisma);
  const council = await prisma.council.create({ data: { communityId: "c1", name: "议事会" } });
  const published = await prisma.councilSession.create({ data: { councilId: council.id, title: "十一月议事会", scheduledAt: NOW } });
  const draft = await prisma.councilSession.create({ data: { councilId: council.id, title: "草稿会议", scheduledAt: NOW } });
  const minutes = await prisma.minutes.create({ data: { sessionId: published.id, state: "published" } });
  await prisma.minutes.create({ data: { sessionId: draft.id } });
  await prisma.minutesVersion.create({
    data: {
      minutesId: minutes.id,
      version: 1,
      content: "{}",
      metadata: "{}",
      hash: "h1",
      publishedById: "u-staff",
      publishedAt: new Date(Date.now() - 86_400_000),
      noticeFrom: new Date(Date.now() - 86_400_000),
      noticeTo: new Date(Date.now() + 6 * 86_400_000),
    },
  });
});

/** The route's loader as a signed-out browser calls it (no cookie). */
async function signedOut(slug: string, language = "zh-CN") {
  // The language a signed-out visitor picked (the layout's switcher sets this cookie).
  const request = new Request(`http://localhost/p/${slug}`, { headers: { cookie: await localeCookie.serialize(language) } });
  try {
    return await loader({ request, params: { slug }, context: {} });
  } catch (thrown) {
    return thrown;
  }
}
const statusOf = (r: unknown) => (r instanceof Response ? r.status : 200);

describe("the public view", () => {
  it("is not found while the setting is off, and for a community that does not exist", async () => {
    expect(statusOf(await signedOut("alpha"))).toBe(404);
    expect(statusOf(await signedOut("no-such-community"))).toBe(404);
    await expect(publicView("alpha", NOW)).rejects.toMatchObject({ status: 404 });
  });

  it("only the community's staff switch it on; residents and other communities' staff are refused", async () => {
    await expect(setPublicHeadline(await loadActor("u-raiser"), "c1", true)).rejects.toBeInstanceOf(PermissionDenied);
    await expect(setPublicHeadline(null, "c1", true)).rejects.toBeInstanceOf(PermissionDenied);
    expect(statusOf(await signedOut("alpha"))).toBe(404);
    await setPublicHeadline(await loadActor("u-staff"), "c1", true);
    expect((await prisma.dashboardSetting.findUniqueOrThrow({ where: { communityId: "c1" } })).publicHeadline).toBe(true);
    // Audited with who and the value before and after; saving the same value again records nothing.
    const logged = async () => prisma.auditEntry.findMany({ where: { communityId: "c1", subjectName: "dashboard.publicHeadline" } });
    expect((await logged()).map((e) => [e.action, e.actorId, e.before, e.after])).toEqual([["settings.update", "u-staff", "false", "true"]]);
    await setPublicHeadline(await loadActor("u-staff"), "c1", true);
    expect(await logged()).toHaveLength(1);
  });

  it("signed out: the headline rates as a fresh count gives them, and the published notices only", async () => {
    const data = (await signedOut("alpha", "en")) as Exclude<Awaited<ReturnType<typeof loader>>, Response>;
    expect(statusOf(data)).toBe(200);
    expect(data.title).toBe("Our community in figures");
    expect(data.view.community).toEqual({ slug: "alpha", name: "阿尔法社区" });
    expect(data.view.figures.map((f) => f.key)).toEqual([...PUBLIC_FIGURES]);
    const view = await publicView("alpha", NOW);
    const fresh = await figuresFor({ communityIds: ["c1"] }, yearPeriod(2026), NOW);
    for (const f of view.figures) expect(f.value, f.key).toBe(fresh[f.key]);
    expect(view.figures.find((f) => f.key === "topicsRaised")!.value).toBeGreaterThan(0);
    expect(view.notices.map((n) => [n.sessionTitle, n.open])).toEqual([["十一月议事会", true]]);
    // Switched off again: gone at once.
    await setPublicHeadline(await loadActor("u-staff"), "c1", false);
    expect(statusOf(await signedOut("alpha"))).toBe(404);
  });
});
