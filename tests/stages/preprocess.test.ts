/**
 * Preprocess: the skew found and corrected, the contrast stretched with the arithmetic of sharp's
 * `linear` (the pass that replaced it must give the same pixels).
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { contrastStretch, estimateSkew, preprocess } from '../../src/stages/preprocess/preprocess.js';
import type { GrayImage } from '../../src/image/gray-image.js';

/** A page of dark text-like bars on light paper, turned `deg` clockwise. */
function barsPage(deg: number, paper = 215, ink = 40): GrayImage {
  const width = 900;
  const height = 1200;
  const data = new Uint8Array(width * height).fill(paper);
  const t = (deg * Math.PI) / 180;
  for (let row = 0; row < 40; row++) {
    for (let x = 100; x < 800; x++) {
      if (x % 40 > 32) continue; // gaps between "words"
      for (let dy = 0; dy < 12; dy++) {
        const y0 = 100 + row * 25 + dy;
        const rx = Math.round(450 + (x - 450) * Math.cos(t) - (y0 - 600) * Math.sin(t));
        const ry = Math.round(600 + (x - 450) * Math.sin(t) + (y0 - 600) * Math.cos(t));
        if (rx >= 0 && rx < width && ry >= 0 && ry < height) data[ry * width + rx] = ink;
      }
    }
  }
  return { width, height, data, dpi: 300 };
}

describe('preprocess', () => {
  it('finds the skew a page is turned by', async () => {
    expect(await estimateSkew(barsPage(0.8), 3)).toBeCloseTo(0.8, 1);
    expect(await estimateSkew(barsPage(-1.5), 3)).toBeCloseTo(-1.5, 1);
    expect(Math.abs(await estimateSkew(barsPage(0), 3))).toBeLessThan(0.05);
  });

  it.each([
    [30, 230],
    [12, 247],
    [3, 200],
    [41, 219],
  ])('stretches contrast %i..%i exactly as sharp linear did', async (low, high) => {
    // A buffer whose 1st and 99th percentiles are `low` and `high`, holding every gray level.
    const levels = Uint8Array.from({ length: 256 }, (_, v) => v);
    const data = new Uint8Array(256 * 200);
    data.fill(low, 0, 2 * 256 + 100);
    data.fill(128, 2 * 256 + 100);
    data.fill(high, data.length - (2 * 256 + 100));
    data.set(levels, 10 * 256);
    const table = contrastStretch(data);
    expect(table).toBeDefined();
    const factor = 255 / (high - low);
    const { data: viaSharp } = await sharp(levels, { raw: { width: 256, height: 1, channels: 1 } })
      .linear(factor, -low * factor)
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([...table!]).toEqual([...viaSharp]);
  });

  it('leaves a page spanning the whole range unstretched', () => {
    const data = Uint8Array.from({ length: 256 * 100 }, (_, i) => i % 256);
    expect(contrastStretch(data)).toBeUndefined();
  });

  it('keeps the page size when it turns the page, and levels its lines', async () => {
    const page = barsPage(1.2);
    const out = await preprocess(page);
    expect(out.skewDeg).toBeCloseTo(1.2, 1);
    expect([out.image.width, out.image.height]).toEqual([page.width, page.height]);
    // Stretched: the paper comes out white, the ink black.
    expect(out.image.data[5]).toBe(255);
    expect(await estimateSkew(out.image, 3)).toBeCloseTo(0, 1);
  });
});
