// Is a request from our own pages? One answer for HTTP (server/http-security.ts)
// and WebSocket upgrades (server/realtime/authenticate.ts). Pure: headers in, yes/no out.

type HeaderValue = string | string[] | undefined | null;
const first = (v: HeaderValue) => (Array.isArray(v) ? v[0] : v) ?? undefined;

/**
 * True when `originHeader` names the site the request was sent to. That site is
 * the first X-Forwarded-Host when a proxy set one (as Remix decides it), else
 * Host. A browser cannot forge either for another site, so this is what tells a
 * page of ours from someone else's page posting to us. "null", a non-HTTP scheme
 * or a malformed value is never the same origin.
 */
export function sameOrigin(originHeader: HeaderValue, hostHeader: HeaderValue, forwardedHost?: HeaderValue): boolean {
  const origin = first(originHeader);
  if (!origin || origin === "null") return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  const site = first(forwardedHost)?.split(",")[0]?.trim() || first(hostHeader)?.trim();
  if (!site) return false;
  let siteHost: string;
  try {
    // Through URL, so "Example.org:443" and "example.org" compare equal for an https origin.
    siteHost = new URL(`${url.protocol}//${site}`).host;
  } catch {
    return false;
  }
  return siteHost === url.host;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** The session cookie's name (app/utils/auth.server.ts SESSION_COOKIE); this file imports nothing from app/. */
export const SESSION_COOKIE = "yishi_session";

export type RequestHeaders = Record<string, HeaderValue>;

/** The request carries the browser session cookie (and so acts with the person's rights if we let it). */
export function hasSessionCookie(cookieHeader: HeaderValue): boolean {
  return (first(cookieHeader) ?? "").split(";").some((c) => c.trim().startsWith(`${SESSION_COOKIE}=`) && c.trim().length > SESSION_COOKIE.length + 1);
}

/** A bearer token is chosen by a program, not sent by a browser on its own: cross-site rules do not apply. */
export function hasBearer(authorization: HeaderValue): boolean {
  return /^Bearer\s+\S+$/i.test(first(authorization) ?? "");
}

/**
 * A state-changing HTTP request that did not come from our pages: its Origin
 * (or, without one, its Referer) names another site; or it has neither and
 * carries the session cookie. Requests with a bearer token are exempt, and so
 * are anonymous requests with neither header (a script signing in).
 */
export function isCrossSiteStateChange(method: string, headers: RequestHeaders): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  if (hasBearer(headers.authorization)) return false;
  const host = headers.host;
  const forwarded = headers["x-forwarded-host"];
  const origin = first(headers.origin);
  if (origin) return !sameOrigin(origin, host, forwarded);
  const referer = first(headers.referer);
  if (referer) {
    let refererOrigin: string;
    try {
      refererOrigin = new URL(referer).origin;
    } catch {
      return true;
    }
    return !sameOrigin(refererOrigin, host, forwarded);
  }
  return hasSessionCookie(headers.cookie);
}

/**
 * A WebSocket upgrade (Yjs, Socket.IO) that a foreign page opened with the
 * person's cookie. A token-authenticated upgrade is fine from anywhere; an
 * upgrade without Origin is not from a browser.
 */
export function isCrossSiteUpgrade(headers: RequestHeaders, authenticatedByToken: boolean): boolean {
  if (authenticatedByToken) return false;
  const origin = first(headers.origin);
  if (!origin) return false;
  return !sameOrigin(origin, headers.host, headers["x-forwarded-host"]);
}
