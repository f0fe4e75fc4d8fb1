// The chair's screen fetches the next check-in QR code here every minute (see check-in-link.server.ts).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { checkInQr } from "~/models/check-in-link.server";
import { orHttpError } from "~/utils/http.server";
import { requireActor } from "~/utils/permissions.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const qr = await orHttpError(() => checkInQr(actor, params.sessionId ?? "", new URL(request.url).origin));
  return Response.json(qr, { headers: { "Cache-Control": "no-store" } });
}
