// Photos as the sync API takes them: JPEG, PNG or WebP, sent one per request. The API
// takes up to 8 MiB; anything else (or larger) is re-encoded on the device as JPEG,
// smaller until it fits. A server or proxy that refuses the body (413) gets the photo
// again re-encoded to fit an ordinary 1 MiB request.
const ALLOWED = ['image/jpeg', 'image/png', 'image/webp'];
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
/** What fits a 1 MiB request once base64 has added its third. */
export const SMALL_PHOTO_BYTES = 700 * 1024;

function encode(bmp: ImageBitmap, side: number, quality: number): Promise<Blob> {
  const k = Math.min(1, side / Math.max(bmp.width, bmp.height));
  const c = document.createElement('canvas');
  c.width = Math.max(1, Math.round(bmp.width * k));
  c.height = Math.max(1, Math.round(bmp.height * k));
  c.getContext('2d')!.drawImage(bmp, 0, 0, c.width, c.height);
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('image'))), 'image/jpeg', quality));
}

/** The image as a JPEG of at most `maxBytes` (down to 320 px on its longer side). */
export async function shrinkPhoto(image: Blob, maxBytes: number): Promise<Blob> {
  const bmp = await createImageBitmap(image);
  let side = 4096;
  let quality = 0.9;
  let blob = await encode(bmp, side, quality);
  while (blob.size > maxBytes && side > 320) {
    side = Math.round(side * 0.8);
    quality = Math.max(0.6, quality - 0.05);
    blob = await encode(bmp, side, quality);
  }
  return blob;
}

/** A photo the sync API takes: as taken when it can, else re-encoded. */
export async function normalisePhoto(file: Blob): Promise<Blob> {
  if (ALLOWED.includes(file.type) && file.size <= MAX_PHOTO_BYTES) return file;
  return shrinkPhoto(file, MAX_PHOTO_BYTES);
}
