// Photos are made smaller on the phone before they go up: a 12-megapixel photo of 3–5 MB
// becomes a few hundred kilobytes that still show a blocked drain or a parked car clearly.
// Browser-only (canvas); whatever the browser cannot decode (HEIC on most, a broken file)
// goes up as it is, and the server decides.

/** Longest side kept: enough for evidence (the server keeps at most its own limit). */
export const SHRINK_MAX_EDGE = 2048;
export const SHRINK_QUALITY = 0.85;

/** The size a photo of w × h becomes: the longest side at most `max`, proportions kept. */
export function shrunkSize(w: number, h: number, max = SHRINK_MAX_EDGE): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(w, h));
  return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

export async function shrinkPhoto(file: File): Promise<File> {
  if (!file.type.startsWith("image/") || file.type === "image/gif" || typeof createImageBitmap !== "function") return file;
  try {
    // The camera's orientation tag is applied here, since the re-encoded JPEG carries no EXIF.
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const { width, height } = shrunkSize(bitmap.width, bitmap.height);
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d");
    if (!context) return file;
    context.fillStyle = "#fff"; // a transparent PNG gets a white ground, not black
    context.fillRect(0, 0, width, height);
    context.drawImage(bitmap, 0, 0, width, height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", SHRINK_QUALITY));
    if (!blob || blob.size >= file.size) return file;
    return new File([blob], `${file.name.replace(/\.[^.]*$/, "") || "photo"}.jpg`, { type: "image/jpeg", lastModified: file.lastModified });
  } catch {
    return file;
  }
}

/**
 * Posts a form with XMLHttpRequest, for its upload progress. Resolves with where the server
 * sent the browser (a redirect after success) and the status.
 */
export function postWithProgress(url: string, body: FormData, onProgress: (fraction: number) => void): Promise<{ status: number; url: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Accept", "text/html");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.upload.onload = () => onProgress(1);
    xhr.onload = () => resolve({ status: xhr.status, url: xhr.responseURL });
    xhr.onerror = () => reject(new Error("network"));
    xhr.onabort = () => reject(new Error("aborted"));
    xhr.send(body);
  });
}
