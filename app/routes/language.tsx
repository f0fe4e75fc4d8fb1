import { json, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getUserId } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import { localeCookie } from "~/utils/locale.server";
import { languageSchema, safeRedirect } from "~/utils/schemas";
import { fieldsOf, formOf } from "~/utils/forms.server";
import { refuse } from "~/utils/refusal.server";

/** Switches the interface language; remembered in a cookie and, when signed in, on the account. */
export async function action({ request }: ActionFunctionArgs) {
  const parsed = languageSchema.safeParse(fieldsOf(await formOf(request)));
  if (!parsed.success) return refuse(request, 400, "errors.invalidInput", "locale");
  const userId = await getUserId(request);
  if (userId) await prisma.user.update({ where: { id: userId }, data: { locale: parsed.data.locale } });
  const headers = { "Set-Cookie": await localeCookie.serialize(parsed.data.locale) };
  // The page's own switch (a fetcher) sends no redirectTo: it stays where it is and only reloads its data.
  if (!parsed.data.redirectTo) return json({ locale: parsed.data.locale }, { headers });
  throw redirect(safeRedirect(parsed.data.redirectTo), { headers });
}

export async function loader() {
  throw redirect("/");
}
