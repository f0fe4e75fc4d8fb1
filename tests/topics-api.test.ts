// The topic flow through the JSON API of the real server, the way an
// integration or a script would drive it.
import sharp from "sharp";
import { io as ioClient } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";

let server: RunningServer;
const tokens: Record<string, string> = {};
const api = async (user: string, path: string, init: RequestInit & { json?: unknown } = {}) => {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${tokens[user]}`);
  headers.set("Accept-Language", "en");
  if (init.json !== undefined) headers.set("Content-Type", "application/json");
  const res = await fetch(`${server.url}${path}`, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- each test reads the fields it asserts
};

beforeAll(async () => {
  server = await startServer(freshDbFile("topics-api"));
  for (const u of ["staff", "resident1", "resident2", "wuye", "outsider"]) tokens[u] = await tokenFor(server, u);
});
afterAll(() => server?.stop());

describe("topics over the API", () => {
  it("raise with a photo (multipart), find it by a Chinese word, co-sign live, triage", async () => {
    const form = new FormData();
    form.set("title", "地下车库排水沟堵塞");
    form.set("description", "下雨后车库积水，车辆进出困难。");
    form.set("category", "facilities");
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#369" } })
      .png()
      .toBuffer();
    form.append("photos", new File([new Uint8Array(png)], "a.png", { type: "image/png" }));
    const raised = await api("resident1", "/api/v1/communities/xingfuli/topics", { method: "POST", body: form });
    expect(raised.status).toBe(200);
    const id = raised.body.id as string;

    const found = await api("resident2", `/api/v1/communities/xingfuli/topics?q=${encodeURIComponent("排水沟")}`);
    expect(found.body.items.map((t: { id: string }) => t.id)).toEqual([id]);
    expect((await api("resident2", `/api/v1/communities/xingfuli/topics?q=${encodeURIComponent("不存在的词")}`)).body.total).toBe(0);

    const detail = await api("resident2", `/api/v1/topics/${id}`);
    expect(detail.body.photos).toHaveLength(1);
    const photo = await fetch(`${server.url}${detail.body.photos[0].url}`, { headers: { Authorization: `Bearer ${tokens.resident2}` } });
    expect(photo.status).toBe(200);
    expect(photo.headers.get("content-type")).toBe("image/webp");
    const outsiderPhoto = await fetch(`${server.url}${detail.body.photos[0].url}`, { headers: { Authorization: `Bearer ${tokens.outsider}` } });
    expect(outsiderPhoto.status).toBe(403);

    // The raiser's screen hears the count move when a neighbour co-signs.
    const socket = ioClient(server.url, { path: "/socket.io", transports: ["websocket"], auth: { token: tokens.resident1 }, forceNew: true });
    await new Promise((r) => socket.on("connect", () => r(null)));
    expect(await new Promise((r) => socket.emit("topic:join", { topicId: id }, r))).toEqual({ ok: true });
    const live = new Promise<{ count: number }>((r) => socket.on("topic:coSigns", r));
    const badge = new Promise<{ unread: number }>((r) => socket.on("notification:unread", r));
    expect((await api("resident2", `/api/v1/topics/${id}/co-sign`, { method: "POST" })).body).toEqual({ count: 1, coSigned: true });
    expect((await live).count).toBe(1);

    expect((await api("resident1", `/api/v1/topics/${id}/moves`, { method: "POST", json: { move: "accept" } })).status).toBe(403);
    const bad = await api("staff", `/api/v1/topics/${id}/moves`, { method: "POST", json: { move: "teleport" } });
    expect(bad.status).toBe(400);
    const noReply = await api("staff", `/api/v1/topics/${id}/moves`, { method: "POST", json: { move: "answer", answer: "" } });
    expect(noReply.body.issues.map((i: { path: string }) => i.path)).toContain("answer");
    expect((await api("staff", `/api/v1/topics/${id}/moves`, { method: "POST", json: { move: "accept" } })).body).toEqual({ topicId: id, status: "accepted" });
    const again = await api("staff", `/api/v1/topics/${id}/moves`, { method: "POST", json: { move: "accept" } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: 409, key: "errors.moveIllegal", values: { status: "accepted" } });
    expect((await badge).unread).toBeGreaterThan(0);
    socket.close();

    const notes = await api("resident1", "/api/v1/notifications");
    expect(notes.body.items.some((n: { type: string; topicId: string }) => n.type === "topicMoved" && n.topicId === id)).toBe(true);
    expect((await api("resident1", "/api/v1/notifications/read", { method: "POST", json: { ids: "all" } })).body.unread).toBe(0);
  });

  it("rejects a non-image and a wrong place with precise errors, and hides the community from outsiders", async () => {
    const form = new FormData();
    form.set("title", "附件不是图片的议题");
    form.set("category", "other");
    form.append("photos", new File(["just text"], "x.jpg", { type: "image/jpeg" }));
    const res = await api("resident1", "/api/v1/communities/xingfuli/topics", { method: "POST", body: form });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ key: "errors.photoNotImage", field: "photos" });
    expect(res.body.detail).toMatch(/1/); // which photo, in words (the i18n text), not a key
    expect(res.body.detail).not.toMatch(/^errors\./);
    const wrongPlace = await api("resident1", "/api/v1/communities/xingfuli/topics", {
      method: "POST",
      json: { title: "网格写错的议题", gridId: "nosuchgrid" },
    });
    expect(wrongPlace.status).toBe(400);
    expect(wrongPlace.body.issues[0].path).toBe("gridId");
    expect((await api("outsider", "/api/v1/communities/xingfuli/topics")).status).toBe(403);
    expect((await api("resident1", "/api/v1/communities/xingfuli/triage")).status).toBe(403);
    expect((await api("staff", "/api/v1/communities/xingfuli/triage")).body.items.length).toBeGreaterThan(0);
    expect((await api("wuye", "/api/v1/communities/xingfuli/referrals")).body.items.map((t: { title: string }) => t.title)).toContain(
      "5号楼前宠物粪便无人清理",
    );
  });

  it("staff schedule a session and build its agenda from a topic", async () => {
    const me = await api("staff", "/api/v1/me");
    const councilId = me.body.seats[0].councilId as string;
    const session = await api("staff", "/api/v1/sessions", {
      method: "POST",
      json: { councilId, title: "临时议事会", scheduledAt: "2030-01-15T19:00", place: "活动室", mode: "online" },
    });
    expect(session.status).toBe(200);
    expect(session.body.scheduledAt).toBe("2030-01-15T11:00:00.000Z");
    expect((await api("staff", "/api/v1/sessions", { method: "POST", json: { councilId, title: "过去的会议", scheduledAt: "2001-01-01T10:00" } })).status).toBe(
      400,
    );
    const board = await api("staff", `/api/v1/communities/xingfuli/topics?status=accepted`);
    const topicId = board.body.items[0].id as string;
    const added = await api("staff", `/api/v1/sessions/${session.body.id}/agenda`, { method: "POST", json: { topicId, timeSlotMin: 15 } });
    expect(added.body.status).toBe("scheduled");
    const free = await api("staff", `/api/v1/sessions/${session.body.id}/agenda`, { method: "POST", json: { title: "其他事项", text: "临时动议" } });
    const agenda = await api("staff", `/api/v1/sessions/${session.body.id}`);
    const ids = agenda.body.agendaItems.map((i: { id: string }) => i.id) as string[];
    expect(ids).toContain(free.body.agendaItemId);
    expect((await api("staff", `/api/v1/sessions/${session.body.id}/agenda/order`, { method: "POST", json: { itemIds: [ids[1]] } })).status).toBe(400);
    expect((await api("staff", `/api/v1/sessions/${session.body.id}/agenda/order`, { method: "POST", json: { itemIds: [...ids].reverse() } })).body).toEqual({
      ok: true,
    });
    const reordered = await api("staff", `/api/v1/sessions/${session.body.id}`);
    expect(reordered.body.agendaItems.map((i: { id: string }) => i.id)).toEqual([...ids].reverse());
    expect((await api("resident1", `/api/v1/sessions/${session.body.id}/publish`, { method: "POST" })).status).toBe(403);
    expect((await api("staff", `/api/v1/sessions/${session.body.id}/publish`, { method: "POST" })).status).toBe(200);
  });
});

describe("community settings", () => {
  it("staff change the threshold, the quorum and the categories; others may not", async () => {
    const before = await api("resident1", "/api/v1/communities/xingfuli/settings");
    expect(before.body.categories.map((c: { key: string }) => c.key)).toContain("parking");
    expect((await api("resident1", "/api/v1/communities/xingfuli/settings", { method: "POST", json: { coSignThreshold: 2 } })).status).toBe(403);
    const councilId = before.body.councils[0].id as string;
    const categories = [{ key: "noise", nameZh: "噪音", nameEn: "Noise" }, ...before.body.categories.filter((c: { key: string }) => c.key !== "greenery")];
    const after = await api("staff", "/api/v1/communities/xingfuli/settings", {
      method: "POST",
      json: { coSignThreshold: 2, council: { councilId, quorumRatio: 2 / 3, quorumInclusive: true }, categories },
    });
    expect(after.status).toBe(200);
    expect(after.body.coSignThreshold).toBe(2);
    expect(after.body.councils[0]).toMatchObject({ quorumInclusive: true });
    expect(after.body.categories[0].key).toBe("noise");
    expect(after.body.categories.find((c: { key: string }) => c.key === "greenery").archived).toBe(true);
    const dup = await api("staff", "/api/v1/communities/xingfuli/settings", { method: "POST", json: { categories: [categories[0], categories[0]] } });
    expect(dup.status).toBe(400);
    // A new category is usable at once; a retired one is refused for new topics.
    expect(
      (await api("resident1", "/api/v1/communities/xingfuli/topics", { method: "POST", json: { title: "夜间施工噪音扰民", category: "noise" } })).status,
    ).toBe(200);
    expect(
      (await api("resident1", "/api/v1/communities/xingfuli/topics", { method: "POST", json: { title: "绿化带杂草丛生", category: "greenery" } })).status,
    ).toBe(400);
  });

  it("a NUL character anywhere in the input is refused as input (PostgreSQL's text cannot hold it: it used to be a 500 there)", async () => {
    const query = await api("staff", "/api/v1/communities/xingfuli/topics?status=%00");
    expect([query.status, query.body.key, query.body.field]).toEqual([400, "errors.invalidInput", "status"]);
    const body = await api("resident1", "/api/v1/communities/xingfuli/topics", {
      method: "POST",
      json: { title: "绿化\u0000带", category: "greenery", description: "" },
    });
    expect([body.status, body.body.key, body.body.field]).toEqual([400, "errors.invalidInput", "title"]);
  });
});
