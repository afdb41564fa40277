/**
 * Deskew gives sharp's rotate pixels, byte for byte: the middle of the turned page at the page's
 * size, with the contrast table applied after the turn as sharp's `linear` was.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../src/image/gray-image.js';
import { deskewPage, deskewPlacement, rotateCropReference } from '../../src/stages/preprocess/deskew.js';

/** Text-like strokes and noise, so every interpolation weight and the page edges are exercised. */
function page(width: number, height: number, seed: number): GrayImage {
  let s = seed >>> 0;
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const x = i % width;
    const y = Math.floor(i / width);
    data[i] = (y % 23 < 6 && x % 17 < 12 ? 30 : 225) + ((s >>> 24) % 20) - 10;
  }
  return { width, height, data, dpi: 300 };
}

/** What preprocess did before: sharp's rotate, then the middle cut out, then the table. */
async function viaSharp(image: GrayImage, deg: number, table: Uint8Array): Promise<Uint8Array> {
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .rotate(deg, { background: { r: 255, g: 255, b: 255 } })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const x0 = Math.floor((info.width - image.width) / 2);
  const y0 = Math.floor((info.height - image.height) / 2);
  const out = new Uint8Array(image.width * image.height);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) out[y * image.width + x] = table[data[(y + y0) * info.width + x + x0]!]!;
  }
  return out;
}

const identity = Uint8Array.from({ length: 256 }, (_, v) => v);
const stretch = Uint8Array.from({ length: 256 }, (_, v) => Math.min(255, Math.max(0, Math.trunc(1.3 * v - 30))));

describe('deskewPage', () => {
  it.each([
    [301, 417, -0.98],
    [300, 200, 1.41],
    [257, 333, -2.95],
    [120, 90, 0.05],
    [64, 640, 0.37],
  ])('turns a %i x %i page by %f degrees as sharp does', async (width, height, deg) => {
    const image = page(width, height, width + height);
    for (const table of [identity, stretch]) {
      const ours = deskewPage(image, deg, table === identity ? undefined : table);
      expect([ours.width, ours.height, ours.dpi]).toEqual([width, height, 300]);
      expect(Buffer.from(ours.data).equals(Buffer.from(await viaSharp(image, deg, table)))).toBe(true);
    }
  });
});

describe('rotateCropReference', () => {
  it('is the kernel in plain JavaScript (the fallback without WebAssembly SIMD)', () => {
    const image = page(203, 151, 5);
    for (const deg of [-1.7, 0.6]) {
      const place = deskewPlacement(image.width, image.height, deg);
      expect([...rotateCropReference(image, place, stretch)]).toEqual([...deskewPage(image, deg, stretch).data]);
    }
  });
});
