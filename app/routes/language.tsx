import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getUserId } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import { localeCookie } from "~/utils/locale.server";
import { languageSchema, safeRedirect } from "~/utils/schemas";

/** Switches the interface language; remembered in a cookie and, when signed in, on the account. */
export async function action({ request }: ActionFunctionArgs) {
  const parsed = languageSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response(`unsupported language: ${parsed.error.issues[0]?.message}`, { status: 400 });
  const userId = await getUserId(request);
  if (userId) await prisma.user.update({ where: { id: userId }, data: { locale: parsed.data.locale } });
  throw redirect(safeRedirect(parsed.data.redirectTo), { headers: { "Set-Cookie": await localeCookie.serialize(parsed.data.locale) } });
}

export async function loader() {
  throw redirect("/");
}
