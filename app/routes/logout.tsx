import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { destroyAuthSession, getUserId } from "~/utils/auth.server";
import { rightsChanged } from "~/utils/rights.server";

export async function action({ request }: ActionFunctionArgs) {
  const userId = await getUserId(request);
  const cookie = await destroyAuthSession(request);
  // This browser's live connections (editors, the live session) close now, not at their next reconnect.
  if (userId) await rightsChanged({ userId });
  throw redirect("/", { headers: { "Set-Cookie": cookie } });
}

export async function loader() {
  throw redirect("/");
}
