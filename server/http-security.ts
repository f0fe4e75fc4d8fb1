// Security headers on every response, and the refusal of cross-site state
// changes, before anything else runs. Imports nothing from app/: it must work
// in front of any build, and answer before Remix or the API read a byte.
import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { isCrossSiteStateChange } from "./origin";

/** The header the Remix entry (app/entry.server.tsx) reads the page's script nonce from; set here on every request. */
export const NONCE_HEADER = "x-yishi-csp-nonce";

/**
 * The cross-site refusal's text. It is answered here, before the app is
 * loaded, so it cannot use app/i18n; tests/http-security.test.ts checks that
 * these stay equal to errors.crossSite in both languages.
 */
export const CROSS_SITE_MESSAGES = {
  "zh-CN": "这个请求来自其他网站，已被拒绝。请直接打开议事再试。",
  en: "This request came from another website and was refused. Open Yishi itself and try again.",
} as const;

function localeOf(req: Request): keyof typeof CROSS_SITE_MESSAGES {
  // The language cookie (an unsigned Remix cookie: base64 of a JSON string), else Accept-Language.
  const raw = /(?:^|;\s*)yishi_lng=([^;]*)/.exec(req.headers.cookie ?? "")?.[1];
  if (raw) {
    try {
      const value: unknown = JSON.parse(Buffer.from(decodeURIComponent(raw), "base64").toString("utf8"));
      if (value === "en" || value === "zh-CN") return value;
    } catch {
      // not ours: fall through
    }
  }
  for (const part of (req.headers["accept-language"] ?? "").split(",")) {
    const tag = part.split(";")[0]!.trim().toLowerCase();
    if (tag.startsWith("en")) return "en";
    if (tag.startsWith("zh")) return "zh-CN";
  }
  return "zh-CN";
}

/** Only what may appear in a Host header; anything else keeps ws: sources out of the policy. */
const HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

function contentSecurityPolicy(req: Request, nonce: string, production: boolean): string {
  const host = req.get("x-forwarded-host")?.split(",")[0]?.trim() || req.get("host") || "";
  // 'self' covers ws:/wss: of the same host in current browsers; naming them keeps older ones working.
  const sockets = HOST.test(host) ? ` ws://${host} wss://${host}` : "";
  return [
    "default-src 'self'",
    // Remix's hydration and streaming scripts carry the nonce; nothing else inline runs.
    // In development Vite injects inline module scripts and HMR: no script policy there.
    production ? `script-src 'self' 'nonce-${nonce}'` : null,
    // React writes style attributes (progress bars, the editor's carets): no nonce can cover those.
    "style-src 'self' 'unsafe-inline'",
    // Photos before upload are previewed from blob: URLs; QR codes are data: URLs.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    // The service worker (/sw.js) and the web app manifest: our own files only (issue 15).
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ]
    .filter(Boolean)
    .join("; ");
}

/** What is left of a refused body is read and dropped up to this much (so the client sees the answer), then the connection is cut. */
const DRAIN_BYTES = 1024 * 1024;
const DRAIN_MS = 5000;
/** How long a cut connection stays half-closed, so the client reads the answer before the reset. */
const LINGER_MS = 1000;

/**
 * After an answer given before the body was read (a 403, a 413), the rest of
 * the body is still on the socket. A small rest is read and dropped, so the
 * client can read the answer and keep the connection; a large or slow one
 * (an attack) has the connection closed. Nothing of it is kept.
 */
function drainOrDrop(req: Request): void {
  let left = DRAIN_BYTES;
  // Cut in two steps: stop reading and half-close (FIN after the answer), then destroy a moment
  // later. Destroying at once resets a socket with unread bytes, and a reset makes the client's
  // TCP stack throw away the answer it had not read yet ("terminated" instead of the 403/413).
  let dropping = false;
  const drop = () => {
    if (dropping) return;
    dropping = true;
    req.pause();
    req.socket.end();
    setTimeout(() => req.socket.destroy(), LINGER_MS).unref();
  };
  const timer = setTimeout(drop, DRAIN_MS);
  timer.unref();
  // The Remix adapter's listener would queue the bytes for a reader that is gone.
  req.removeAllListeners("data");
  req.on("data", (chunk: Buffer) => {
    left -= chunk.length;
    if (left < 0) {
      clearTimeout(timer);
      drop();
    }
  });
  req.on("end", () => clearTimeout(timer));
  req.on("error", () => clearTimeout(timer));
  req.resume();
}

export function httpSecurity({ production = process.env.NODE_ENV === "production" } = {}) {
  return function securityHeaders(req: Request, res: Response, next: NextFunction): void {
    res.on("finish", () => {
      if (!req.complete && !req.destroyed) drainOrDrop(req);
    });
    const nonce = randomBytes(16).toString("base64");
    // Whatever a client sent under this name is replaced: the nonce is ours alone.
    req.headers[NONCE_HEADER] = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(req, nonce, production));
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    // Only over HTTPS (req.secure follows TRUST_PROXY, as the Secure cookie does): HSTS on a LAN trial over HTTP would lock it out.
    if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");

    if (isCrossSiteStateChange(req.method, req.headers)) {
      let answered = false;
      const answer = () => {
        if (answered || res.headersSent) return;
        answered = true;
        const locale = localeOf(req);
        const message = CROSS_SITE_MESSAGES[locale];
        res.status(403);
        res.setHeader("Content-Type", "application/problem+json; charset=utf-8");
        res.setHeader("Content-Language", locale);
        res.end(
          JSON.stringify({ type: "urn:yishi:problem:errors.crossSite", title: "Forbidden", status: 403, detail: message, key: "errors.crossSite", message }),
        );
      };
      // A small body is read and dropped first, so the browser sees the answer rather than a reset;
      // a large or endless one is answered at once and the connection cut (drainOrDrop).
      const declared = Number(req.headers["content-length"] ?? "");
      if (req.complete || !(declared > 0 && declared <= DRAIN_BYTES)) return answer();
      const timer = setTimeout(answer, DRAIN_MS);
      timer.unref();
      req.on("data", () => {});
      req.once("end", () => (clearTimeout(timer), answer()));
      req.once("error", () => clearTimeout(timer));
      return;
    }
    next();
  };
}
