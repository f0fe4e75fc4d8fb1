// 大字模式 (large text), remembered in a cookie so the server renders the page large from the first byte.
import { createCookie } from "@remix-run/node";
import { z } from "zod";

export const textSizeCookie = createCookie("yishi_text", { path: "/", sameSite: "lax", httpOnly: true, maxAge: 365 * 24 * 3600 });
export const textSizeSchema = z.object({ size: z.enum(["normal", "large"]), redirectTo: z.string().max(2000).optional() });

export async function textSizeOf(request: Request): Promise<"normal" | "large"> {
  const value = await textSizeCookie.parse(request.headers.get("cookie")).catch(() => null);
  return value === "large" ? "large" : "normal";
}
