// The phone and the server agree on a photo's size (issue 15): the phone shrinks to 2048 px on the
// longest side, and the server keeps 2048 px (it re-encoded to 1600 px before, losing detail a
// photo taken as evidence needs) — a photo already shrunk on the phone keeps its pixels.
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { SHRINK_MAX_EDGE, shrunkSize } from "~/utils/photo-shrink";
import { MAX_EDGE, MAX_PHOTO_BYTES, encodePhotos } from "~/utils/uploads.server";

const photo = async (width: number, height: number) => {
  const png = await sharp({ create: { width, height, channels: 3, background: "#3a6" } })
    .png()
    .toBuffer();
  return new File([new Uint8Array(png)], "IMG.png", { type: "image/png" });
};

describe("photo size, phone and server", () => {
  it("is one limit: 2048 px", () => {
    expect(SHRINK_MAX_EDGE).toBe(2048);
    expect(MAX_EDGE).toBe(SHRINK_MAX_EDGE);
  });

  it("keeps a photo the phone shrank at its size, portrait and landscape", async () => {
    const [landscape, portrait] = await encodePhotos([await photo(2048, 1536), await photo(1152, 2048)]);
    expect([landscape!.width, landscape!.height]).toEqual([2048, 1536]);
    expect([portrait!.width, portrait!.height]).toEqual([1152, 2048]);
  });

  it("brings a photo that went up unshrunk (no canvas, HEIC) to what the phone would have made", async () => {
    const [big] = await encodePhotos([await photo(4032, 3024)]);
    expect({ width: big!.width, height: big!.height }).toEqual(shrunkSize(4032, 3024));
    // A phone's JPEG at 2048 px is far below the per-photo upload limit.
    expect(big!.data.byteLength).toBeLessThan(MAX_PHOTO_BYTES);
  });

  it("never enlarges a small photo", async () => {
    const [small] = await encodePhotos([await photo(640, 480)]);
    expect([small!.width, small!.height]).toEqual([640, 480]);
  });
});
