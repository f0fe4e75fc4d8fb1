// Hostile input over every API operation (from the live OpenAPI document) and
// every page form action (from app/routes), on the real production server:
// wrong types, huge strings, missing and extra fields, prototype keys, broken
// JSON, wrong content types, bad path parameters. Seeded (YISHI_FUZZ_SEED to
// replay a failure), bounded in time, and checked: no 5xx, every API refusal in
// the one vocabulary, the server healthy between batches.
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";
import { prng } from "./fixtures/prng";

const SEED = Number(process.env.YISHI_FUZZ_SEED ?? 20261201);
const BUDGET_MS = 50_000;

const rnd = prng(SEED);

const HOSTILE_STRINGS = [
  "",
  " ",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "../../etc/passwd",
  "%00",
  "\u0000",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "😀".repeat(50),
  "䶮喆堃",
  "a".repeat(5_000),
  "x".repeat(70_000),
  "\r\nX-Injected: 1",
  "/\t/evil.example",
  "NaN",
  "-1",
  "1e309",
];
const HOSTILE_VALUES: unknown[] = [null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 63), [], [1, "a"], {}, { __proto__: { admin: true } }, ...HOSTILE_STRINGS];

type Operation = { method: string; path: string; params: string[]; bodyProps: Record<string, unknown> | null; multipart: boolean };
type Case = { label: string; method: string; url: string; headers: Record<string, string>; body?: BodyInit };

let server: RunningServer;
let tokens: Record<string, string>;
let cookie: string;
let operations: Operation[];
let real: Record<string, string>;
const failures: string[] = [];
let sent = 0;

beforeAll(async () => {
  server = await startServer(freshDbFile("hostile"));
  tokens = { staff: await tokenFor(server, "staff"), resident1: await tokenFor(server, "resident1"), outsider: await tokenFor(server, "outsider") };
  const login = await fetch(`${server.url}/login`, { method: "POST", body: new URLSearchParams({ identifier: "grid1", password: "yishi2026" }), redirect: "manual" });
  cookie = login.headers.getSetCookie().find((c) => c.startsWith("yishi_session="))!.split(";")[0]!;
  const auth = { Authorization: `Bearer ${tokens.staff}` };
  const home = await (await fetch(`${server.url}/`, { headers: auth })).text();
  const sessionId = home.match(/\/sessions\/([A-Za-z0-9_-]+)/)![1]!;
  const session = (await (await fetch(`${server.url}/api/v1/sessions/${sessionId}`, { headers: auth })).json()) as { agendaItems: { id: string }[] };
  const topics = (await (await fetch(`${server.url}/api/v1/communities/xingfuli/topics`, { headers: auth })).json()) as { items: { id: string }[] };
  // Real ids, so that hostile bodies reach the code behind the look-ups too.
  real = { sessionId, itemId: session.agendaItems[0]!.id, topicId: topics.items[0]!.id, slug: "xingfuli", token: "nosuchinvite", file: "nosuchphoto.webp" };

  const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; allOf?: { properties?: Record<string, unknown> }[] } }> } }>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const json = op.requestBody?.content["application/json"]?.schema;
      return {
        method: method.toUpperCase(),
        path,
        params: (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name),
        bodyProps: json ? (json.properties ?? {}) : null,
        multipart: Boolean(op.requestBody?.content["multipart/form-data"]),
      };
    }),
  );
}, 60_000);
afterAll(() => server?.stop());

function fill(path: string, hostile: boolean): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(hostile && rnd.next() < 0.5 ? String(rnd.pick(HOSTILE_STRINGS)) || "x" : (real[name] ?? "x")));
}

/** A body that is wrong in one of many ways, shaped after the operation's schema. */
function hostileJson(props: Record<string, unknown>): { body: string; type: string } {
  const names = Object.keys(props);
  const obj: Record<string, unknown> = {};
  for (const n of names) if (rnd.next() < 0.7) obj[n] = rnd.pick(HOSTILE_VALUES);
  switch (rnd.int(9)) {
    case 0:
      return { body: "{not json", type: "application/json" };
    case 1:
      return { body: JSON.stringify(obj), type: rnd.pick(["text/plain", "application/x-www-form-urlencoded", "application/xml", ""]) };
    case 2:
      return { body: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}', type: "application/json" };
    case 3:
      return { body: JSON.stringify({ ...obj, extra: "field", [rnd.pick(HOSTILE_STRINGS)]: 1 }), type: "application/json" };
    case 4:
      return { body: JSON.stringify(rnd.pick([null, [], 42, "string", true])), type: "application/json" };
    case 5:
      return { body: "[".repeat(5000) + "]".repeat(5000), type: "application/json" };
    case 6:
      return { body: JSON.stringify(Object.fromEntries(names.map((n) => [n, "x".repeat(rnd.pick([100, 3000, 70_000]))]))), type: "application/json" };
    case 7:
      return { body: "", type: "application/json" };
    default:
      return { body: JSON.stringify(obj), type: "application/json; charset=utf-8" };
  }
}

function hostileMultipart(): { body: BodyInit; type?: string } {
  switch (rnd.int(3)) {
    case 0: {
      const form = new FormData();
      form.set(rnd.pick(["title", "__proto__", "category", "photos"]), rnd.pick(HOSTILE_STRINGS));
      form.append("photos", new File([new Uint8Array(rnd.int(2000))], rnd.pick(["a.jpg", "../../x.png", ""]), { type: "image/jpeg" }));
      return { body: form };
    }
    case 1:
      return { body: '--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nno end', type: "multipart/form-data; boundary=b" };
    default:
      return { body: "garbage", type: "multipart/form-data" };
  }
}

function apiCase(op: Operation): Case {
  const who = rnd.pick(["staff", "staff", "resident1", "outsider", "anonymous"] as const);
  const headers: Record<string, string> = who === "anonymous" ? {} : { Authorization: `Bearer ${tokens[who]}` };
  if (rnd.next() < 0.3) headers["Accept-Language"] = rnd.pick(["en", "zh-CN", "fr;q=0.9, *", "zz-ZZ;q=abc"]);
  const url = `${server.url}${fill(op.path, rnd.next() < 0.3)}${rnd.next() < 0.2 ? `?${rnd.pick(["page=-1", "page=abc", "q=" + "x".repeat(3000), "__proto__[x]=1", "status=%00"])}` : ""}`;
  const method = rnd.next() < 0.08 ? rnd.pick(["PUT", "PATCH", "DELETE", "GET", "POST"]) : op.method;
  let body: BodyInit | undefined;
  if (op.bodyProps && method !== "GET") {
    if (op.multipart && rnd.next() < 0.35) {
      const m = hostileMultipart();
      body = m.body;
      if (m.type) headers["Content-Type"] = m.type;
    } else {
      const j = hostileJson(op.bodyProps);
      body = j.body;
      if (j.type) headers["Content-Type"] = j.type;
    }
  }
  return { label: `${method} ${op.path} as ${who}`, method, url, headers, body };
}

/** Every page route with an action, as a URL with real parameters. */
function formRoutes(): string[] {
  return readdirSync("app/routes")
    .filter((f) => f.endsWith(".tsx") && /export (async function|const) action\b/.test(readFileSync(`app/routes/${f}`, "utf8")))
    .map((f) => f.replace(/\.tsx$/, ""))
    .filter((f) => f !== "logout") // signing the fuzzer out would only test the sign-in redirect from then on
    .map((f) => "/" + f.split(".").map((seg) => (seg.startsWith("$") ? (real[seg.slice(1)] ?? "x") : seg === "_index" ? "" : seg)).filter(Boolean).join("/"));
}

const FORM_FIELDS = ["intent", "move", "title", "description", "category", "identifier", "password", "redirectTo", "locale", "token", "id", "itemId", "itemIds", "councilId", "scheduledAt", "role", "coSignThreshold", "category.key", "__proto__", "constructor"];
const INTENTS = ["coSign", "withdraw", "readAll", "open", "up", "down", "add", "remove", "publish", "join", "accept", "__proto__", "x"];

function formCase(path: string): Case {
  const headers: Record<string, string> = rnd.next() < 0.85 ? { Cookie: cookie, Origin: server.url } : {};
  let body: BodyInit;
  switch (rnd.int(6)) {
    case 0:
      body = JSON.stringify({ intent: rnd.pick(INTENTS) });
      headers["Content-Type"] = rnd.pick(["application/json", "text/plain", "application/octet-stream"]);
      break;
    case 1:
      body = "--zz\r\nContent-Disposition: form-data; name=\"intent\"\r\n\r\ncoSign";
      headers["Content-Type"] = rnd.pick(["multipart/form-data; boundary=zz", "multipart/form-data"]);
      break;
    case 2:
      body = "a=1&".repeat(rnd.pick([150, 5000]));
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      break;
    case 3: {
      const form = new FormData();
      form.set("intent", rnd.pick(INTENTS));
      form.append(rnd.pick(["photos", "file", "__proto__"]), new File([new Uint8Array(rnd.int(5000))], "p.jpg", { type: "image/jpeg" }));
      body = form;
      break;
    }
    default: {
      const params = new URLSearchParams();
      for (let i = 0, n = 1 + rnd.int(8); i < n; i++) params.append(rnd.pick(FORM_FIELDS), String(rnd.pick(i === 0 ? INTENTS : HOSTILE_STRINGS)));
      body = params;
    }
  }
  return { label: `POST ${path}`, method: "POST", url: `${server.url}${path}${rnd.next() < 0.2 ? "?index&_data=routes%2F__proto__" : ""}`, headers, body };
}

async function run(c: Case): Promise<void> {
  sent++;
  let res: Response;
  try {
    res = await fetch(c.url, { method: c.method, headers: c.headers, body: c.body, redirect: "manual", signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    // A refusal sent before a large body was read may reach the client as a reset; the server must still be alive.
    const cause = String((error as { cause?: unknown }).cause ?? error);
    if (/ECONNRESET|EPIPE|other side closed/.test(cause)) return;
    failures.push(`${c.label}: ${cause}`);
    return;
  }
  const text = await res.text();
  if (res.status >= 500) failures.push(`${c.label}: ${res.status} ${text.slice(0, 200)}`);
  // 431: Node's HTTP parser refuses a request line or headers over 16 KB before any of our code runs.
  if (res.status >= 400 && res.status !== 431 && c.url.includes("/api/v1/")) {
    const type = res.headers.get("content-type") ?? "";
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // reported below
    }
    const ok =
      /^application\/problem\+json/.test(type) &&
      body.status === res.status &&
      typeof body.key === "string" &&
      /^[a-z]+\.[A-Za-z]+$/.test(body.key) &&
      typeof body.message === "string" &&
      body.message.length > 0 &&
      body.message !== body.key &&
      body.detail === body.message &&
      typeof body.title === "string" &&
      body.type === `urn:yishi:problem:${body.key}`;
    if (!ok) failures.push(`${c.label}: ${res.status} not in the vocabulary: ${type} ${text.slice(0, 200)}`);
  }
}

async function healthy(): Promise<void> {
  const res = await fetch(`${server.url}/api/v1/health`, { signal: AbortSignal.timeout(5000) });
  expect(res.status).toBe(200);
  expect(server.proc.exitCode).toBeNull();
}

describe(`hostile input (seed ${SEED})`, () => {
  it("finds the operations and the form actions it is to attack", () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(formRoutes()).toEqual(expect.arrayContaining(["/login", "/language", `/invite/${real.token}`, `/topics/${real.topicId}`, "/c/xingfuli/topics/new"]));
  });

  it("answers every API operation and form action without a 5xx, in the one vocabulary, and stays healthy", { timeout: 70_000 }, async () => {
    const started = Date.now();
    const forms = formRoutes();
    let batch = 0;
    while (Date.now() - started < BUDGET_MS && batch < 30) {
      batch++;
      const cases = [...operations.map(apiCase), ...forms.map(formCase)];
      // A few at a time: hostile clients do not wait for each other.
      for (let i = 0; i < cases.length; i += 4) await Promise.all(cases.slice(i, i + 4).map(run));
      await healthy();
    }
    console.log(`[hostile] seed ${SEED}: ${sent} requests in ${batch} batches, ${Date.now() - started} ms`);
    expect(failures).toEqual([]);
    expect(batch).toBeGreaterThanOrEqual(3);
  });
});
