// High contrast (高对比度): one tap in the top bar beside large text, remembered in a cookie so the
// server renders the page in strong colours from the first byte; combinable with large text.
import { json, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { contrastCookie, contrastSchema } from "~/utils/contrast.server";
import { fieldsOf, formOf } from "~/utils/forms.server";
import { refuse } from "~/utils/refusal.server";
import { safeRedirect } from "~/utils/schemas";

export async function action({ request }: ActionFunctionArgs) {
  const parsed = contrastSchema.safeParse(fieldsOf(await formOf(request)));
  if (!parsed.success) return refuse(request, 400, "errors.invalidInput", "contrast");
  const headers = { "Set-Cookie": await contrastCookie.serialize(parsed.data.contrast) };
  if (!parsed.data.redirectTo) return json({ contrast: parsed.data.contrast }, { headers });
  throw redirect(safeRedirect(parsed.data.redirectTo), { headers });
}

export async function loader() {
  throw redirect("/");
}
