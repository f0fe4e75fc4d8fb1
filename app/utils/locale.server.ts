import { createCookie } from "@remix-run/node";
import { DEFAULT_LOCALE, localeSchema, type Locale } from "./domain";

/** The chosen language, remembered for a year; zh-CN until someone chooses otherwise. */
export const localeCookie = createCookie("yishi_lng", { path: "/", sameSite: "lax", httpOnly: true, maxAge: 365 * 24 * 3600 });

export async function getLocale(request: Request): Promise<Locale> {
  const value = await localeCookie.parse(request.headers.get("cookie")).catch(() => null);
  const parsed = localeSchema.safeParse(value);
  return parsed.success ? parsed.data : DEFAULT_LOCALE;
}
