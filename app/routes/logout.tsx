import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { destroyAuthSession } from "~/utils/auth.server";

export async function action({ request }: ActionFunctionArgs) {
  throw redirect("/", { headers: { "Set-Cookie": await destroyAuthSession(request) } });
}

export async function loader() {
  throw redirect("/");
}
