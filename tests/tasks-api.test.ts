// Joint-handling tasks through the JSON API and Socket.IO of the real server: bad input
// refused precisely with nothing written, progress with a photo pushed live to the task's
// and the topic's rooms, verification, CSV with a BOM, and the OpenAPI document.
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ask, connectSocket } from "./fixtures/live";
import { freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";
import type { Socket } from "socket.io-client";

let server: RunningServer;
const tokens: Record<string, string> = {};
const sockets: Socket[] = [];
const api = async (user: string, path: string, init: RequestInit & { json?: unknown } = {}) => {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${tokens[user]}`);
  headers.set("Accept-Language", "en");
  if (init.json !== undefined) headers.set("Content-Type", "application/json");
  const res = await fetch(`${server.url}${path}`, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: (text.startsWith("{") || text.startsWith("[") ? JSON.parse(text) : null) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- each test reads the fields it asserts
};
const waitFor = <T>(s: Socket, event: string, match: (p: T) => boolean) =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event}`)), 10_000);
    const on = (p: T) => {
      if (!match(p)) return;
      clearTimeout(timer);
      s.off(event, on);
      resolve(p);
    };
    s.on(event, on);
  });

let propertyId: string;
let wuyeId: string;
let topicId: string;

beforeAll(async () => {
  server = await startServer(freshDbFile("tasks-api"));
  for (const u of ["staff", "wuye", "yeweihui", "resident1", "resident2", "outsider"]) tokens[u] = await tokenFor(server, u);
  const orgs = (await api("staff", "/api/v1/communities/xingfuli/tasks/organizations")).body as {
    id: string;
    kind: string;
    members: { id: string; displayName: string }[];
  }[];
  const property = orgs.find((o) => o.kind === "propertyCompany")!;
  propertyId = property.id;
  wuyeId = property.members.find((m) => m.displayName === "赵强")!.id;
  const topics = (await api("staff", "/api/v1/communities/xingfuli/topics?status=referred")).body.items as { id: string; title: string }[];
  topicId = topics.find((t) => t.title === "5号楼前宠物粪便无人清理")!.id;
}, 60_000);
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await server?.stop();
});

describe("tasks over the API", () => {
  it("refuses bad input precisely and writes nothing", async () => {
    const before = (await api("staff", "/api/v1/communities/xingfuli/tasks")).body.total as number;
    const past = await api("staff", "/api/v1/communities/xingfuli/tasks", {
      method: "POST",
      json: { title: "过去的截止时间", organizationId: propertyId, deadline: "2020-01-01T10:00" },
    });
    expect(past.status).toBe(400);
    expect(past.body).toMatchObject({ key: "errors.deadlinePast", field: "deadline" });
    const stranger = await api("staff", "/api/v1/communities/xingfuli/tasks", {
      method: "POST",
      json: { title: "责任人不在物业", organizationId: propertyId, ownerId: (await api("resident1", "/api/v1/me")).body.id, deadline: "2099-01-01T10:00" },
    });
    expect(stranger.status).toBe(400);
    expect(stranger.body).toMatchObject({ key: "errors.ownerNotInOrganization", field: "ownerId" });
    expect(stranger.body.message).toBe("The owner must be an active member of the lead organisation");
    expect((await api("staff", "/api/v1/communities/xingfuli/tasks")).body.total).toBe(before);
  });

  it("progress with a photo reaches the task's and the topic's rooms live; percent outside 0–100 is refused", async () => {
    const created = await api("staff", "/api/v1/communities/xingfuli/tasks", {
      method: "POST",
      json: { title: "清理草坪", organizationId: propertyId, ownerId: wuyeId, deadline: "2099-01-01T10:00", topicId },
    });
    expect(created.status).toBe(200);
    const taskId = created.body.id as string;

    const watcher = await connectSocket(server, tokens.resident2!, sockets);
    expect((await ask(watcher, "task:join", { taskId })).ok).toBe(true);
    expect((await ask(watcher, "topic:join", { topicId })).ok).toBe(true);
    const outsider = await connectSocket(server, tokens.outsider!, sockets);
    expect(await ask(outsider, "task:join", { taskId })).toMatchObject({ ok: false, status: 403 });

    const bad = await api("wuye", `/api/v1/tasks/${taskId}/progress`, { method: "POST", json: { progress: 101, text: "" } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0]).toMatchObject({ path: "progress", key: "errors.percentRange" });

    const onTask = waitFor<{ taskId: string; kind: string; progress: number }>(watcher, "task:changed", (p) => p.taskId === taskId && p.kind === "progress");
    const onTopic = waitFor<{ taskId: string }>(watcher, "topic:task", (p) => p.taskId === taskId);
    const form = new FormData();
    form.set("progress", "40");
    form.set("text", "已清扫");
    form.set("photoKind", "before");
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#285" } })
      .jpeg()
      .toBuffer();
    form.append("photos", new File([new Uint8Array(jpeg)], "lawn.jpg", { type: "image/jpeg" }));
    const posted = await api("wuye", `/api/v1/tasks/${taskId}/progress`, { method: "POST", body: form });
    expect(posted.status, posted.text).toBe(200);
    expect((await onTask).progress).toBe(40);
    await onTopic;

    const task = (await api("resident2", `/api/v1/tasks/${taskId}`)).body;
    expect(task).toMatchObject({ status: "inProgress", progress: 40 });
    expect(task.photos).toHaveLength(1);
    const photo = await fetch(`${server.url}${task.photos[0].url}`, { headers: { Authorization: `Bearer ${tokens.resident2}` } });
    expect(photo.status).toBe(200);
    expect(photo.headers.get("content-type")).toBe("image/webp");
    expect((await fetch(`${server.url}${task.photos[0].url}`, { headers: { Authorization: `Bearer ${tokens.outsider}` } })).status).toBe(403);

    // Another organisation is refused before its upload is read.
    const other = await api("yeweihui", `/api/v1/tasks/${taskId}/progress`, { method: "POST", body: form });
    expect(other.status).toBe(403);

    // Rating before verification is asked: refused, nothing written.
    const early = await api("resident2", `/api/v1/tasks/${taskId}/verifications`, { method: "POST", json: { verdict: "confirm", rating: 5 } });
    expect(early.status).toBe(409);
    expect(early.body.key).toBe("errors.taskNotAwaitingVerification");
    expect((await api("resident2", `/api/v1/tasks/${taskId}`)).body.verifications).toEqual([]);

    expect((await api("wuye", `/api/v1/tasks/${taskId}/moves`, { method: "POST", json: { move: "submit" } })).body.status).toBe("awaitingVerification");
    const toVerify = (await api("resident2", "/api/v1/tasks")).body.toVerify as { id: string }[];
    expect(toVerify.map((t) => t.id)).toContain(taskId);
    const verified = await api("resident2", `/api/v1/tasks/${taskId}/verifications`, {
      method: "POST",
      json: { verdict: "confirm", rating: 5, comment: "干净了" },
    });
    expect(verified.body.status).toBe("closed");

    // The topic's timeline, over the API too, carries the task's steps.
    const topic = (await api("resident2", `/api/v1/topics/${topicId}`)).body;
    const kinds = (topic.timeline as { type: string; data: { kind?: string; taskId?: string } }[])
      .filter((s) => s.type === "task" && s.data.taskId === taskId)
      .map((s) => s.data.kind);
    expect(kinds).toEqual(["created", "started", "progress", "submitted", "verification", "closed"]);
  });

  it("exports CSV with a UTF-8 BOM, and the OpenAPI document lists the task endpoints", async () => {
    const res = await fetch(`${server.url}/api/v1/communities/xingfuli/tasks/export?status=closed`, { headers: { Authorization: `Bearer ${tokens.staff}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain("清理草坪");
    expect(text).toContain(",5.00");
    const bad = await api("staff", "/api/v1/communities/xingfuli/tasks/export?status=bogus");
    expect(bad.status).toBe(400);
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    for (const path of [
      "/api/v1/tasks",
      "/api/v1/tasks/{taskId}/progress",
      "/api/v1/tasks/{taskId}/verifications",
      "/api/v1/communities/{slug}/tasks/export",
      "/api/v1/live/task:fromResolution",
    ])
      expect(Object.keys(doc.paths)).toContain(path);
  });
});
