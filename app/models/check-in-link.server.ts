// The meeting-room QR code for checking in. A link that stayed valid for hours could be
// photographed and passed round: anyone holding it could "attend" from home. So the
// link rotates every minute on the room screen and each one is accepted only until a
// short grace after its minute; a photo of the screen is useless a few minutes later.
// The token keeps the format that checkIn() in live-session.server.ts verifies
// (`<expires>.<signature of check-in:<session>:<expires>>`), so only its lifetime changes.
import { toString as qrSvg } from "qrcode";
import { sign } from "~/utils/auth.server";
import { RuleBroken } from "~/utils/errors";
import { NotFound, loadSessionResource, requirePermission, type Actor } from "~/utils/permissions.server";

/** A new link each minute… */
export const CHECK_IN_ROTATE_MS = 60_000;
/** …accepted for two more minutes, for a phone that scanned just before the change or a slow network. */
export const CHECK_IN_GRACE_MS = 120_000;

/** The link for the current minute; `refreshAt` is when the screen should fetch the next one. */
export async function rotatingCheckInLink(actor: Actor, sessionId: string, origin: string, now = Date.now()) {
  const s = await loadSessionResource(sessionId);
  if (!s) throw new NotFound("session");
  requirePermission(actor, "session:chair", s);
  const slotEnd = (Math.floor(now / CHECK_IN_ROTATE_MS) + 1) * CHECK_IN_ROTATE_MS;
  const expires = slotEnd + CHECK_IN_GRACE_MS;
  const token = `${expires}.${sign(`check-in:${s.sessionId}:${expires}`)}`;
  return {
    url: `${origin}/sessions/${s.sessionId}/check-in?t=${encodeURIComponent(token)}`,
    expiresAt: new Date(expires).toISOString(),
    refreshAt: new Date(slotEnd).toISOString(),
  };
}

/**
 * Refuses a token whose lifetime is longer than a rotating one's: links issued before the
 * rotation (valid six hours) stop working. The signature and expiry are checked by checkIn().
 */
export function assertRotatingCheckInToken(token: string, now = Date.now()): void {
  const expires = Number(token.split(".")[0]);
  if (!Number.isFinite(expires)) throw new RuleBroken("errors.checkInInvalid");
  if (expires - now > CHECK_IN_ROTATE_MS + CHECK_IN_GRACE_MS) throw new RuleBroken("errors.checkInExpired");
}

/** The current link as the room screen's QR code, and in how many ms to fetch the next one. */
export async function checkInQr(actor: Actor, sessionId: string, origin: string) {
  const now = Date.now();
  const link = await rotatingCheckInLink(actor, sessionId, origin, now);
  const svg = await qrSvg(link.url, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { svg, expiresAt: link.expiresAt, refreshAt: link.refreshAt, refreshInMs: new Date(link.refreshAt).getTime() - now };
}
