// Large text (大字): one tap in the top bar, remembered in a cookie so the server renders the
// page large from the first byte (no flash of small text on an old phone).
import { json, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { fieldsOf, formOf } from "~/utils/forms.server";
import { refuse } from "~/utils/refusal.server";
import { safeRedirect } from "~/utils/schemas";
import { textSizeCookie, textSizeSchema } from "~/utils/text-size.server";

export async function action({ request }: ActionFunctionArgs) {
  const parsed = textSizeSchema.safeParse(fieldsOf(await formOf(request)));
  if (!parsed.success) return refuse(request, 400, "errors.invalidInput", "size");
  const headers = { "Set-Cookie": await textSizeCookie.serialize(parsed.data.size) };
  if (!parsed.data.redirectTo) return json({ size: parsed.data.size }, { headers });
  throw redirect(safeRedirect(parsed.data.redirectTo), { headers });
}

export async function loader() {
  throw redirect("/");
}
