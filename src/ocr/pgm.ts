import type { GrayImage } from '../image/gray-image.js';

/** PGM (P5) is the cheapest image file Leptonica reads: a header and the raw pixels, no compression. */
export function encodePgm(image: GrayImage): Buffer {
  const header = Buffer.from(`P5\n${image.width} ${image.height}\n255\n`, 'latin1');
  const out = Buffer.allocUnsafe(header.length + image.data.length);
  header.copy(out, 0);
  out.set(image.data, header.length);
  return out;
}
