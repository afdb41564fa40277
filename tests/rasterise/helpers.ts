import { readFileSync } from 'node:fs';

import sharp from 'sharp';

import type { GrayImage } from '../../src/image/gray-image.js';

/** A file under the repository root (samples/, tests/fixtures/), as a plain Uint8Array. */
export function repoFile(relative: string): Uint8Array {
  return Uint8Array.from(readFileSync(new URL(`../../${relative}`, import.meta.url)));
}

export function meanGray(image: Pick<GrayImage, 'data'>): number {
  let sum = 0;
  for (const v of image.data) sum += v;
  return sum / image.data.length;
}

/** Share of pixels darker than mid-gray. */
export function inkShare(image: Pick<GrayImage, 'data'>): number {
  let dark = 0;
  for (const v of image.data) if (v < 128) dark++;
  return dark / image.data.length;
}

/** Mean absolute difference of two same-sized rasters. */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`sizes differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) - (b[i] as number));
  return sum / a.length;
}

/** Gray pixels (0 = black) as an image file of the given format, with a resolution. */
export async function encodeGray(
  data: Uint8Array,
  width: number,
  height: number,
  format: 'jpeg' | 'png' | 'tiff-g4',
  dpi?: number,
): Promise<Uint8Array> {
  let img = sharp(data, { raw: { width, height, channels: 1 } });
  if (dpi !== undefined) img = img.withMetadata({ density: dpi });
  const out =
    format === 'jpeg'
      ? await img.jpeg({ quality: 90 }).toBuffer()
      : format === 'png'
        ? await img.png().toBuffer()
        : await img.tiff({ compression: 'ccittfax4', bitdepth: 1 }).toBuffer();
  return Uint8Array.from(out);
}

/** A threshold at 128: 0 or 255. */
export function threshold(data: Uint8Array): Uint8Array {
  return data.map((v) => (v >= 128 ? 255 : 0));
}

/** How many pixels differ (a cheap stand-in for toEqual on megapixel arrays, which is slow). */
export function differingPixels(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

/** True when every pixel is 0 or 255. */
export function isBitonal(data: Uint8Array): boolean {
  for (const v of data) if (v !== 0 && v !== 255) return false;
  return true;
}
