import { createCookie } from "@remix-run/node";
import { DEFAULT_LOCALE, localeSchema, type Locale } from "./domain";

/** The chosen language, remembered for a year; zh-CN until someone chooses otherwise. */
export const localeCookie = createCookie("yishi_lng", { path: "/", sameSite: "lax", httpOnly: true, maxAge: 365 * 24 * 3600 });

export async function getLocale(request: Request): Promise<Locale> {
  const value = await localeCookie.parse(request.headers.get("cookie")).catch(() => null);
  const parsed = localeSchema.safeParse(value);
  return parsed.success ? parsed.data : DEFAULT_LOCALE;
}

/** The first language of an Accept-Language header that we speak, if any. */
export function acceptedLocale(header: string | null | undefined): Locale | null {
  for (const part of (header ?? "").split(",")) {
    const tag = part.split(";")[0]!.trim().toLowerCase();
    if (tag.startsWith("en")) return "en";
    if (tag.startsWith("zh")) return "zh-CN";
  }
  return null;
}

/**
 * The language to answer a refusal in: the one the person chose on the site
 * (the cookie), else what their client asks for, else zh-CN. Takes plain
 * headers so Socket.IO handshakes and WebSocket upgrades can use it too.
 */
export async function localeOfHeaders(headers: { cookie?: string | null; acceptLanguage?: string | null }): Promise<Locale> {
  const chosen = localeSchema.safeParse(await localeCookie.parse(headers.cookie ?? null).catch(() => null));
  if (chosen.success) return chosen.data;
  return acceptedLocale(headers.acceptLanguage) ?? DEFAULT_LOCALE;
}

export function requestLocale(request: Request): Promise<Locale> {
  return localeOfHeaders({ cookie: request.headers.get("cookie"), acceptLanguage: request.headers.get("accept-language") });
}
