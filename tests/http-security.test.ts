// The HTTP layer against hostile input (issue 10 items 3, 4, 5, 7, 10; issue 8's
// one vocabulary), on the real production server.
import { io as ioClient } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resources } from "~/i18n";
import { CROSS_SITE_MESSAGES } from "../server/http-security";
import { isCrossSiteStateChange, sameOrigin } from "../server/origin";
import { safeRedirect } from "~/utils/schemas";
import { METRICS_TOKEN, freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";
import { tryUpgrade } from "./fixtures/yjs-client";

let server: RunningServer;
let staff: string;
let outsider: string;
let cookie: string;
let itemId: string;

async function signIn(identifier: string): Promise<string> {
  const res = await fetch(`${server.url}/login`, { method: "POST", body: new URLSearchParams({ identifier, password: "yishi2026" }), redirect: "manual" });
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith("yishi_session="))!
    .split(";")[0]!;
}

/**
 * A refusal sent before the request body was read: the client may see the
 * answer, or (still sending when the server closes) a reset. Either way the
 * server did not take the body.
 */
async function earlyAnswer(request: Promise<Response>): Promise<Response | "reset"> {
  try {
    return await request;
  } catch (error) {
    if (
      (error as { cause?: { code?: string } }).cause?.code === "ECONNRESET" ||
      /EPIPE|ECONNRESET|other side closed/.test(String((error as { cause?: unknown }).cause))
    )
      return "reset";
    throw error;
  }
}

/** The one vocabulary: a problem document with status, key and a translated message. */
async function expectProblem(res: Response, status: number, key?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({
    status,
    title: expect.any(String),
    detail: expect.any(String),
    key: expect.stringMatching(/^[a-z]+\.[A-Za-z]+$/),
    message: body.detail,
  });
  expect(body.type).toBe(`urn:yishi:problem:${body.key}`);
  if (key) expect(body.key).toBe(key);
  return body;
}

beforeAll(async () => {
  server = await startServer(freshDbFile("http-security"));
  staff = await tokenFor(server, "staff");
  outsider = await tokenFor(server, "outsider");
  cookie = await signIn("resident1");
  const home = await (await fetch(`${server.url}/`, { headers: { Authorization: `Bearer ${staff}` } })).text();
  const sessionId = home.match(/\/sessions\/([A-Za-z0-9_-]+)/)![1]!;
  const session = (await (await fetch(`${server.url}/api/v1/sessions/${sessionId}`, { headers: { Authorization: `Bearer ${staff}` } })).json()) as {
    agendaItems: { id: string }[];
  };
  itemId = session.agendaItems[0]!.id;
});
afterAll(() => server?.stop());

describe("request bodies have limits, enforced while they stream", () => {
  it("refuses an anonymous oversized JSON body with 413 without reading it (no Content-Length to trust)", async () => {
    let sent = 0;
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    // 200 MB announced by nothing: a chunked stream that the server must cut off.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 200) return controller.close();
        sent++;
        controller.enqueue(sent === 1 ? new TextEncoder().encode('{"identifier":"staff","password":"') : chunk);
      },
    });
    const res = await earlyAnswer(
      fetch(`${server.url}/api/v1/auth/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body, duplex: "half" } as RequestInit),
    );
    if (res !== "reset") await expectProblem(res, 413, "errors.bodyTooLarge");
    expect(sent).toBeLessThan(200);
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
  });

  it("refuses a declared oversized body at once", async () => {
    const res = await fetch(`${server.url}/api/v1/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: `{"identifier":"${"x".repeat(100_000)}"}`,
    });
    await expectProblem(res, 413, "errors.bodyTooLarge");
  });

  // How fast it is refused is the resource benchmark's business (no timings in tests): here, that it is.
  it("refuses a form of a million fields on /login, and a form just under the limits still works", async () => {
    // 3 MB: past what the server drains after refusing, so it may cut the connection before the client reads the answer.
    const res = await earlyAnswer(
      fetch(`${server.url}/login`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "a=&".repeat(1_000_000) }),
    );
    if (res !== "reset") expect(res.status).toBe(413);
    // Within what is drained the answer always arrives, and the error page says what went wrong, in the vocabulary's words.
    const big = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `identifier=${"x".repeat(200_000)}`,
    });
    expect(big.status).toBe(413);
    expect(await big.text()).toContain(resources["zh-CN"].translation.errors.bodyTooLarge.replace("{{kb}}", "64"));
    const many = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "a=&".repeat(300) + "identifier=x",
    });
    expect(many.status).toBe(413);
    const ok = await fetch(`${server.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ identifier: "resident2", password: "yishi2026" }),
      redirect: "manual",
    });
    expect(ok.status).toBe(302);
  });

  it("stops a multipart upload at the tenth photo, and refuses an outsider before reading the body", async () => {
    const form = new FormData();
    form.set("title", "十张照片的议题");
    form.set("category", "other");
    for (let i = 0; i < 10; i++) form.append("photos", new File([new Uint8Array(10)], `p${i}.jpg`, { type: "image/jpeg" }));
    const ten = await fetch(`${server.url}/api/v1/communities/xingfuli/topics`, { method: "POST", headers: { Authorization: `Bearer ${staff}` }, body: form });
    await expectProblem(ten, 400, "errors.tooManyPhotos");

    // 30 MB the outsider may not send: answered 403 before the server reads it.
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 30) return controller.close();
        sent++;
        controller.enqueue(new Uint8Array(1024 * 1024));
      },
    });
    const res = await earlyAnswer(
      fetch(`${server.url}/api/v1/communities/xingfuli/topics`, {
        method: "POST",
        headers: { Authorization: `Bearer ${outsider}`, "Content-Type": "multipart/form-data; boundary=x" },
        body,
        duplex: "half",
      } as RequestInit),
    );
    if (res !== "reset") await expectProblem(res, 403, "errors.forbidden");
    expect(sent).toBeLessThan(30);
  });
});

describe("malformed input is a 4xx in the vocabulary, never a 500", () => {
  it("answers non-form and broken multipart bodies on the anonymous forms with 400/415", async () => {
    for (const path of ["/login", "/language", "/invite/nosuchinvite"]) {
      const json = await fetch(`${server.url}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"a":1}' });
      expect(json.status, `${path} json`).toBe(415);
      const broken = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { "Content-Type": "multipart/form-data; boundary=zzz" },
        body: '--zzz\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated',
      });
      expect(broken.status, `${path} broken multipart`).toBe(400);
      const noBoundary = await fetch(`${server.url}${path}`, { method: "POST", headers: { "Content-Type": "multipart/form-data" }, body: "x" });
      expect(noBoundary.status, `${path} multipart without boundary`).toBeLessThan(500);
    }
  });

  it("answers a signed-in form action's broken body with 4xx", async () => {
    const res = await fetch(`${server.url}/notifications`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: server.url, "Content-Type": "text/plain" },
      body: "intent=readAll",
    });
    expect(res.status).toBe(415);
  });

  it("finds live actions by own name only: __proto__ and constructor are unknown endpoints", async () => {
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const res = await fetch(`${server.url}/api/v1/live/${name}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${staff}`, "Content-Type": "application/json" },
        body: "{}",
      });
      await expectProblem(res, 404, "errors.noSuchEndpoint");
    }
  });

  it("answers wrong methods and content types in the vocabulary", async () => {
    await expectProblem(
      await fetch(`${server.url}/api/v1/auth/token`, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "{}" }),
      415,
      "errors.unsupportedMediaType",
    );
    await expectProblem(
      await fetch(`${server.url}/api/v1/me`, { method: "POST", headers: { Authorization: `Bearer ${staff}` } }),
      405,
      "errors.methodNotAllowed",
    );
    await expectProblem(await fetch(`${server.url}/api/v1/nothing-here`), 404, "errors.noSuchEndpoint");
  });
});

describe("redirect targets stay on this site", () => {
  it("safeRedirect keeps paths and refuses everything a browser could read as another host", () => {
    expect(safeRedirect("/topics/1?x=1#a")).toBe("/topics/1?x=1#a");
    for (const bad of [
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/%09/ok-literal\u0000",
      "https://evil.example",
      "javascript:alert(1)",
      " /x",
      "/x\r\nSet-Cookie: a=b",
      "/\u2028/evil",
      "\\\\evil",
    ])
      expect(safeRedirect(bad), JSON.stringify(bad)).toBe("/");
  });

  it("sends the browser to / after sign-in with redirectTo=/<tab>/evil.example, and a newline is no 500", async () => {
    for (const redirectTo of ["/\t/evil.example", "/\n/evil.example", "/\r\nX-Injected: 1"]) {
      const res = await fetch(`${server.url}/login`, {
        method: "POST",
        body: new URLSearchParams({ identifier: "resident2", password: "yishi2026", redirectTo }),
        redirect: "manual",
      });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/");
      const lang = await fetch(`${server.url}/language`, { method: "POST", body: new URLSearchParams({ locale: "en", redirectTo }), redirect: "manual" });
      expect(lang.status).toBe(302);
      expect(lang.headers.get("location")).toBe("/");
    }
  });
});

describe("cross-site requests", () => {
  it("sameOrigin compares the Origin with the forwarded host, else Host", () => {
    expect(sameOrigin("http://127.0.0.1:3000", "127.0.0.1:3000")).toBe(true);
    expect(sameOrigin("https://yishi.example", "yishi.example")).toBe(true);
    expect(sameOrigin("https://yishi.example", "YISHI.example:443")).toBe(true);
    expect(sameOrigin("https://yishi.example", "127.0.0.1:3000", "yishi.example")).toBe(true);
    expect(sameOrigin("https://evil.example", "yishi.example")).toBe(false);
    expect(sameOrigin("https://yishi.example.evil.example", "yishi.example")).toBe(false);
    expect(sameOrigin("http://yishi.example:3001", "yishi.example:3000")).toBe(false);
    expect(sameOrigin("null", "yishi.example")).toBe(false);
    expect(sameOrigin("file://", "yishi.example")).toBe(false);
    expect(sameOrigin("not a url", "yishi.example")).toBe(false);
    expect(sameOrigin(undefined, "yishi.example")).toBe(false);
    expect(sameOrigin("https://yishi.example", undefined)).toBe(false);
  });

  it("isCrossSiteStateChange: foreign Origin or Referer refused; neither refused only with the session cookie; bearer exempt", () => {
    const h = { host: "yishi.example" };
    expect(isCrossSiteStateChange("GET", { ...h, origin: "https://evil.example", cookie: "yishi_session=x" })).toBe(false);
    expect(isCrossSiteStateChange("POST", { ...h, origin: "https://evil.example" })).toBe(true);
    expect(isCrossSiteStateChange("POST", { ...h, origin: "https://yishi.example", cookie: "yishi_session=x" })).toBe(false);
    expect(isCrossSiteStateChange("POST", { ...h, referer: "https://evil.example/page", cookie: "yishi_session=x" })).toBe(true);
    expect(isCrossSiteStateChange("POST", { ...h, referer: "https://yishi.example/topics", cookie: "yishi_session=x" })).toBe(false);
    expect(isCrossSiteStateChange("POST", { ...h, cookie: "yishi_session=x" })).toBe(true);
    expect(isCrossSiteStateChange("POST", { ...h })).toBe(false);
    expect(isCrossSiteStateChange("DELETE", { ...h, origin: "https://evil.example", authorization: "Bearer yst_x", cookie: "yishi_session=x" })).toBe(false);
  });

  it("refuses a cookie-authenticated multipart POST from another site with 403 errors.crossSite, in the asker's language", async () => {
    const form = new FormData();
    form.set("title", "跨站提交的议题");
    form.set("category", "other");
    const res = await fetch(`${server.url}/api/v1/communities/xingfuli/topics`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: "https://evil.example" },
      body: form,
    });
    const body = await expectProblem(res, 403, "errors.crossSite");
    expect(body.detail).toBe(resources["zh-CN"].translation.errors.crossSite);
    const en = await fetch(`${server.url}/api/v1/notifications/read`, {
      method: "POST",
      headers: { Cookie: cookie, Referer: "https://evil.example/x", "Accept-Language": "en", "Content-Type": "application/json" },
      body: '{"ids":"all"}',
    });
    expect((await expectProblem(en, 403, "errors.crossSite")).detail).toBe(resources.en.translation.errors.crossSite);
    const none = await fetch(`${server.url}/api/v1/notifications/read`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/json" },
      body: '{"ids":"all"}',
    });
    await expectProblem(none, 403, "errors.crossSite");
    const same = await fetch(`${server.url}/api/v1/notifications/read`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: server.url, "Content-Type": "application/json" },
      body: '{"ids":"all"}',
    });
    expect(same.status).toBe(200);
    const bearer = await fetch(`${server.url}/api/v1/notifications/read`, {
      method: "POST",
      headers: { Authorization: `Bearer ${staff}`, Origin: "https://evil.example", "Content-Type": "application/json" },
      body: '{"ids":"all"}',
    });
    expect(bearer.status).toBe(200);
  });

  it("keeps the 403 text of the middleware equal to the translations", () => {
    expect(CROSS_SITE_MESSAGES["zh-CN"]).toBe(resources["zh-CN"].translation.errors.crossSite);
    expect(CROSS_SITE_MESSAGES.en).toBe(resources.en.translation.errors.crossSite);
  });

  it("answers Remix's own cross-site check (a page action as a .data request) with 403, not 500", async () => {
    for (const path of ["/language.data", "/logout.data", "/login.data"]) {
      const res = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { Cookie: cookie, Origin: "https://evil.example" },
        body: new URLSearchParams({ locale: "en" }),
      });
      expect(res.status, path).toBe(403);
    }
  });

  it("refuses cookie WebSocket upgrades from a foreign Origin, and accepts tokens from anywhere", async () => {
    const url = `${server.url.replace("http", "ws")}/yjs/agenda-item:${itemId}`;
    const refused = await tryUpgrade(url, { Cookie: cookie, Origin: "https://evil.example" });
    expect(refused).toMatchObject({ status: 401 });
    expect(JSON.parse((refused as { body: string }).body)).toMatchObject({
      status: 401,
      key: "errors.unauthorized",
      message: resources["zh-CN"].translation.errors.unauthorized,
    });
    expect(await tryUpgrade(url, { Cookie: cookie, Origin: server.url })).toEqual({ status: 101 });
    expect(await tryUpgrade(`${url}?token=${staff}`, { Origin: "https://evil.example" })).toEqual({ status: 101 });

    const connect = (headers: Record<string, string>, auth?: { token: string }) =>
      new Promise<string>((resolve) => {
        const socket = ioClient(server.url, {
          path: "/socket.io",
          transports: ["websocket"],
          extraHeaders: headers,
          auth,
          reconnection: false,
          forceNew: true,
        });
        socket.on("connect", () => (socket.close(), resolve("connected")));
        socket.on("connect_error", (e) => (socket.close(), resolve(e.message)));
      });
    expect(await connect({ Cookie: cookie, Origin: "https://evil.example" })).toMatch(/unauthorized/);
    expect(await connect({ Cookie: cookie, Origin: server.url })).toBe("connected");
    expect(await connect({ Origin: "https://evil.example" }, { token: staff })).toBe("connected");
  });
});

describe("security headers", () => {
  it("sends a CSP with a fresh nonce that Remix's inline scripts carry, and the framing, sniffing and referrer headers", async () => {
    const pages = await Promise.all([1, 2].map(() => fetch(`${server.url}/login`)));
    const nonces = [];
    for (const res of pages) {
      const csp = res.headers.get("content-security-policy")!;
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:\/\/127\.0\.0\.1:\d+/);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
      expect(res.headers.get("strict-transport-security")).toBeNull();
      const nonce = csp.match(/'nonce-([^']+)'/)![1]!;
      nonces.push(nonce);
      const html = await res.text();
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
      expect(inline.length).toBeGreaterThan(0);
      for (const s of inline) expect(s[1]).toContain(`nonce="${nonce}"`);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
    // Static files and the API carry them too.
    const api = await fetch(`${server.url}/api/v1/health`);
    expect(api.headers.get("x-content-type-options")).toBe("nosniff");
    expect(api.headers.get("x-frame-options")).toBe("DENY");
  });

  it("sends HSTS only on HTTPS (a TLS proxy on this machine says so in X-Forwarded-Proto)", async () => {
    const res = await fetch(`${server.url}/login`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });
});

describe("/api/v1/health", () => {
  it("tells anyone it is alive, and the load only to staff or the metrics token", async () => {
    const anonymous = await (await fetch(`${server.url}/api/v1/health`)).json();
    expect(anonymous).toEqual({ ok: true });
    const resident = await (await fetch(`${server.url}/api/v1/health`, { headers: { Authorization: `Bearer ${outsider}` } })).json();
    expect(resident).toEqual({ ok: true });
    const wrong = await (await fetch(`${server.url}/api/v1/health`, { headers: { Authorization: "Bearer not-the-token" } })).json();
    expect(wrong).toEqual({ ok: true });
    const metrics = await (await fetch(`${server.url}/api/v1/health`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).json();
    expect(metrics).toMatchObject({ ok: true, documentsLoaded: expect.any(Number), connections: expect.any(Number), uptimeSeconds: expect.any(Number) });
    const staffView = await (await fetch(`${server.url}/api/v1/health`, { headers: { Authorization: `Bearer ${staff}` } })).json();
    expect(staffView).toMatchObject({ ok: true, documentsLoaded: expect.any(Number) });
  });
});

describe("Socket.IO refusals speak the same vocabulary", () => {
  it("acknowledges a refusal with status, key and a message in the asker's language", async () => {
    const socket = ioClient(server.url, {
      path: "/socket.io",
      transports: ["websocket"],
      auth: { token: outsider },
      extraHeaders: { "Accept-Language": "en" },
      reconnection: false,
      forceNew: true,
    });
    await new Promise((r) => socket.on("connect", () => r(null)));
    const ask = (event: string, payload: unknown) => new Promise<Record<string, unknown>>((r) => socket.emit(event, payload, r));
    expect(await ask("hand:raise", { sessionId: "nosuchsession" })).toMatchObject({
      ok: false,
      status: 404,
      key: "errors.notFound",
      message: resources.en.translation.errors.notFound,
    });
    expect(await ask("hand:raise", { sessionId: 42 })).toMatchObject({
      ok: false,
      status: 400,
      key: expect.stringMatching(/^errors\./),
      field: "sessionId",
      message: expect.any(String),
    });
    socket.close();
  });
});
