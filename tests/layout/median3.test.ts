/**
 * The despeckle median: the SIMD kernel, the plain reference and sharp's median(3) give the same
 * pixels, edges included.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inkMask, speckRate } from '../../src/stages/layout/mask.js';
import { median3, median3Reference } from '../../src/stages/layout/median3.js';
import type { GrayImage } from '../../src/image/gray-image.js';

/** Deterministic noise with runs of paper and ink, like a noisy scan. */
function noisyPage(width: number, height: number, seed: number): GrayImage {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  };
  const data = Uint8Array.from({ length: width * height }, (_, i) => (i % 37 < 5 ? next() >> 2 : 200 + (next() % 56)));
  return { width, height, data, dpi: 300 };
}

describe('median3', () => {
  it.each([
    [3, 3],
    [16, 5],
    [17, 9],
    [45, 31],
    [301, 77],
  ])('gives sharp median(3) pixels on a %i x %i image', async (width, height) => {
    const page = noisyPage(width, height, width * 31 + height);
    const viaSharp = await sharp(page.data, { raw: { width, height, channels: 1 } }).median(3).toColourspace('b-w').raw().toBuffer();
    expect([...median3(page).data]).toEqual([...viaSharp]);
    expect([...median3Reference(page).data]).toEqual([...viaSharp]);
  });

  it('handles images narrower or shorter than the window, and keeps the input', () => {
    for (const [width, height] of [
      [1, 1],
      [1, 6],
      [9, 1],
      [2, 2],
    ] as const) {
      const page = noisyPage(width, height, 7);
      const before = Uint8Array.from(page.data);
      const out = median3(page);
      expect([out.width, out.height]).toEqual([width, height]);
      expect([...out.data]).toEqual([...median3Reference(page).data]);
      expect([...page.data]).toEqual([...before]);
    }
  });

  it('removes lone specks and keeps strokes', () => {
    const page: GrayImage = { width: 20, height: 20, data: new Uint8Array(400).fill(255), dpi: 300 };
    page.data[5 * 20 + 5] = 0; // a speck
    for (let x = 2; x < 18; x++) for (let y = 10; y < 13; y++) page.data[y * 20 + x] = 0; // a 3 px stroke
    const out = median3(page);
    expect(out.data[5 * 20 + 5]).toBe(255);
    expect(out.data[11 * 20 + 10]).toBe(0);
  });
});

describe('speckRate', () => {
  it('is the share of ink pixels with no ink around them, on every fourth row', () => {
    const width = 40;
    const height = 41;
    const page: GrayImage = { width, height, data: new Uint8Array(width * height).fill(250), dpi: 300 };
    for (let x = 5; x < 35; x++) for (let y = 4; y < 7; y++) page.data[y * width + x] = 10; // a stroke over rows 4-6
    const clean = speckRate(inkMask(page));
    expect(clean).toBe(0);
    page.data[9 * width + 20] = 10; // a lone speck on a sampled row (9 = 1 + 2 * 4)
    page.data[9 * width + 30] = 10;
    const rate = speckRate(inkMask(page));
    // Sampled ink: row 5 of the stroke (30 pixels) and the two specks.
    expect(rate).toBeCloseTo(2 / 32, 6);
  });
});
