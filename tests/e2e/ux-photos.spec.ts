// Issue 15, photos on an old phone: picked one at a time they add up (a second pick replaced
// the first), they are made smaller on the phone before they go up, and a progress bar shows
// the upload. Two 4000 × 3000 camera photos of 6 MB each must not go up at full size.
import { expect, test } from "@playwright/test";
import sharp from "sharp";
import { USERS, signedInPage } from "./support";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;

/** A camera-sized JPEG with fine detail (so it does not compress to nothing). */
async function cameraPhoto(seed: number): Promise<Buffer> {
  const [w, h] = [4000, 3000];
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      raw[i] = (x * 7 + y + seed) & 255;
      raw[i + 1] = (x ^ y) & 255;
      raw[i + 2] = ((x * y) >> 6) & 255;
    }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 92 })
    .toBuffer();
}

test("photos picked one at a time add up, are shrunk on the phone, and go up with a progress bar", async ({ browser }) => {
  const { context, page } = await signedInPage(browser, USERS.resident2, PHONE);
  try {
    const [first, second] = [await cameraPhoto(1), await cameraPhoto(2)];
    const original = first.length + second.length;
    expect(original).toBeGreaterThan(8_000_000);

    await page.goto("/c/xingfuli/topics/new");
    await page.getByLabel("标题").fill(`楼道堆物 ${Date.now().toString(36)}`);
    await page.getByTestId("photo-camera").setInputFiles({ name: "IMG_0001.jpg", mimeType: "image/jpeg", buffer: first });
    await expect(page.getByTestId("photo-thumb")).toHaveCount(1);
    // The second photo is added, not swapped for the first.
    await page.getByTestId("photo-input").setInputFiles({ name: "IMG_0002.jpg", mimeType: "image/jpeg", buffer: second });
    await expect(page.getByTestId("photo-thumb")).toHaveCount(2);
    await expect(page.getByTestId("photos-count")).toHaveText("已选 2 张照片");
    await expect(page.getByRole("img", { name: "第 2 张照片" })).toBeVisible();

    // Hold the upload at the server's door for a moment so the bar can be seen; record what went up.
    let sent = 0;
    await page.route("**/c/xingfuli/topics/new", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      sent = route.request().postDataBuffer()?.length ?? 0;
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.getByRole("button", { name: "提交议题" }).click();
    const bar = page.getByTestId("upload-progress");
    await expect(bar).toBeVisible();
    await expect(bar.locator("progress")).toHaveAttribute("max", "100");
    await expect(bar).toContainText(/正在上传：\d+%|已上传，正在保存…/);

    await page.waitForURL((url) => /^\/topics\/[^/]+$/.test(url.pathname));
    await expect(page.locator(".photo-grid img")).toHaveCount(2);
    // Shrunk on the phone: both photos together went up at well under half their size.
    expect(sent).toBeGreaterThan(0);
    expect(sent, `${sent} bytes sent for ${original} bytes of photos`).toBeLessThan(original / 2);
  } finally {
    await context.close();
  }
});
