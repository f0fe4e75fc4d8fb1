// Photos: checked by their content (not their name), limited in size and
// number, re-encoded (which also drops EXIF, GPS included) and stored under
// the data folder. Everything is checked and encoded before anything is saved.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { dataDir } from "./database-url.server";
import { env } from "./env.server";
import { LIMITS, RateLimited, limitUser } from "./rate-limit.server";
import { Refusal } from "./errors";
import { SHRINK_MAX_EDGE } from "./photo-shrink";

export const MAX_PHOTOS = 9;
export const MAX_PHOTO_BYTES = 12 * 1024 * 1024;
/**
 * The longest side kept: the same as the phone shrinks to (photo-shrink.ts), so a photo taken as
 * evidence goes up once at 2048 px and is kept at 2048 px, not shrunk a second time (issue 15).
 */
export const MAX_EDGE = SHRINK_MAX_EDGE;
/**
 * Refused from the header, before any pixel is decoded: decoding cost grows with the pixel
 * count, not the file size (a 243 KB PNG of 1 × 64 000 000 pixels took 19.9 s). 50 megapixels
 * covers every phone camera's normal mode; 16 384 px a side covers panoramas of that size.
 */
export const MAX_INPUT_PIXELS = 50_000_000;
export const MAX_INPUT_EDGE = 16_384;

/** A photo refused (too big, too many pixels, too many photos): a refusal of the "photos" field. */
export class UploadRejected extends Refusal {
  constructor(key: string, values: Record<string, string | number> = {}) {
    super(400, key, values, "photos");
  }
}

export function uploadsDir(): string {
  const dir = env().UPLOADS_DIR ?? path.join(dataDir(), "uploads");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** What the bytes are, whatever the file is called. */
function sniff(b: Uint8Array): "jpeg" | "png" | "webp" | "heif" | "gif" | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (b[0] === 0x89 && ascii(1, 4) === "PNG") return "png";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  if (ascii(4, 8) === "ftyp" && /^(heic|heix|mif1|msf1|heim|heis|avif)$/.test(ascii(8, 12))) return "heif";
  if (ascii(0, 4) === "GIF8") return "gif";
  return null;
}

export type EncodedPhoto = { data: Buffer; width: number; height: number };

/** `by`: the uploader, whose photos count against their hourly limit (LIMITS.uploads). */
export async function encodePhotos(files: File[], by?: string): Promise<EncodedPhoto[]> {
  const real = files.filter((f) => f.size > 0);
  if (real.length > MAX_PHOTOS) throw new UploadRejected("errors.tooManyPhotos", { max: MAX_PHOTOS });
  if (by && real.length) {
    try {
      await limitUser("upload", by, LIMITS.uploads, real.length);
    } catch (error) {
      if (error instanceof RateLimited) throw new UploadRejected("errors.rateLimited", { minutes: Math.ceil(error.retryAfterSec / 60) });
      throw error;
    }
  }
  const out: EncodedPhoto[] = [];
  for (const [i, file] of real.entries()) {
    if (file.size > MAX_PHOTO_BYTES) throw new UploadRejected("errors.photoTooLarge", { n: i + 1, mb: MAX_PHOTO_BYTES / 1024 / 1024 });
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (!sniff(bytes)) throw new UploadRejected("errors.photoNotImage", { n: i + 1 });
    let size: { width?: number; height?: number };
    try {
      size = await sharp(bytes, { limitInputPixels: false }).metadata();
    } catch {
      throw new UploadRejected("errors.photoUnreadable", { n: i + 1 });
    }
    const { width = 0, height = 0 } = size;
    if (width > MAX_INPUT_EDGE || height > MAX_INPUT_EDGE || width * height > MAX_INPUT_PIXELS)
      throw new UploadRejected("errors.photoTooManyPixels", { n: i + 1, megapixels: MAX_INPUT_PIXELS / 1_000_000, edge: MAX_INPUT_EDGE });
    try {
      const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
        .rotate()
        .resize({ width: MAX_EDGE, height: MAX_EDGE, fit: "inside", withoutEnlargement: true })
        .webp({ quality: 78 })
        .toBuffer({ resolveWithObject: true });
      out.push({ data, width: info.width, height: info.height });
    } catch {
      throw new UploadRejected("errors.photoUnreadable", { n: i + 1 });
    }
  }
  return out;
}

/** Writes encoded photos; returns their file names and a function that removes them again. */
export async function savePhotos(photos: EncodedPhoto[]): Promise<{ files: string[]; undo: () => Promise<void> }> {
  const dir = uploadsDir();
  const files = photos.map(() => `${randomBytes(12).toString("base64url")}.webp`);
  const undo = () => Promise.all(files.map((f) => rm(path.join(dir, f), { force: true }))).then(() => {});
  try {
    await Promise.all(photos.map((p, i) => writeFile(path.join(dir, files[i]!), p.data)));
  } catch (error) {
    await undo();
    throw error;
  }
  return { files, undo };
}

export function photoPath(file: string): string | null {
  if (!/^[A-Za-z0-9_-]{16}\.webp$/.test(file)) return null;
  return path.join(uploadsDir(), file);
}
