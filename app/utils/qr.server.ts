// QR codes as server-rendered SVG: no QR JavaScript reaches the phone, and the SVG prints sharp.
import { toString as qrString } from "qrcode";

/** An SVG QR code of a link (error correction M: survives a crease in a printed sheet). */
export function qrSvg(url: string): Promise<string> {
  return qrString(url, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
}
