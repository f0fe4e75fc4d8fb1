// 高对比度 (high contrast), remembered in a cookie like the text size, so the server renders the
// page in strong colours from the first byte.
import { createCookie } from "@remix-run/node";
import { z } from "zod";

export const contrastCookie = createCookie("yishi_contrast", { path: "/", sameSite: "lax", httpOnly: true, maxAge: 365 * 24 * 3600 });
export const contrastSchema = z.object({ contrast: z.enum(["normal", "high"]), redirectTo: z.string().max(2000).optional() });

export async function contrastOf(request: Request): Promise<"normal" | "high"> {
  const value = await contrastCookie.parse(request.headers.get("cookie")).catch(() => null);
  return value === "high" ? "high" : "normal";
}
