/** Cutting a region into the lines PP-OCR reads, and writing a line into the model's input. */
import { describe, expect, it } from 'vitest';
import type { GrayImage, Rect } from '../../src/image/gray-image.js';
import { cutLines, MODEL_HEIGHT, writeLine } from '../../src/ocr/paddle/line-images.js';

/** A white image with black boxes. */
function page(width: number, height: number, boxes: readonly Rect[]): GrayImage {
  const data = new Uint8Array(width * height).fill(255);
  for (const b of boxes) for (let y = b.y; y < b.y + b.h; y++) data.fill(0, y * width + b.x, y * width + b.x + b.w);
  return { width, height, data, dpi: 300 };
}

/** Glyph-like boxes along a line: `count` squares of `size` with gaps of a quarter size. */
function line(x: number, y: number, size: number, count: number): Rect[] {
  return Array.from({ length: count }, (_, i) => ({ x: x + i * Math.round(size * 1.25), y, w: size, h: size }));
}

describe('cutLines', () => {
  const glyphs = [...line(10, 10, 40, 8), ...line(10, 70, 40, 8), ...line(10, 130, 40, 3)];
  const image = page(420, 190, glyphs);

  it('finds the rows of ink of a block, each cut to its ink with margins in units of its height', () => {
    const cuts = cutLines(image, 'block');
    expect(cuts.map((c) => c.ink)).toEqual([
      { x: 10, y: 10, w: 390, h: 40 },
      { x: 10, y: 70, w: 390, h: 40 },
      { x: 10, y: 130, w: 140, h: 40 },
    ]);
    // 0.15 of the height above and below, 0.25 at the sides.
    expect(cuts[0]!.rect).toEqual({ x: 0, y: 4, w: 410, h: 52 });
  });

  it('reads a layout line as a band: glyphs the layout left out of it are read with it', () => {
    const hints = [{ x: 10, y: 10, w: 100, h: 40 }, { x: 10, y: 70, w: 390, h: 40 }];
    expect(cutLines(image, 'block', hints).map((c) => c.ink)).toEqual([
      { x: 10, y: 10, w: 390, h: 40 },
      { x: 10, y: 70, w: 390, h: 40 },
    ]);
  });

  it('reads a glyph the layout cut in two (roof and foot as two lines) as one line', () => {
    const split = page(420, 190, [...line(10, 10, 40, 8), ...line(10, 70, 40, 8), { x: 10, y: 130, w: 40, h: 18 }, { x: 10, y: 150, w: 40, h: 20 }]);
    const hints = [{ x: 10, y: 10, w: 390, h: 40 }, { x: 10, y: 70, w: 390, h: 40 }, { x: 10, y: 130, w: 40, h: 18 }, { x: 10, y: 150, w: 40, h: 20 }];
    expect(cutLines(split, 'block', hints).map((c) => c.ink)).toEqual([
      { x: 10, y: 10, w: 390, h: 40 },
      { x: 10, y: 70, w: 390, h: 40 },
      { x: 10, y: 130, w: 40, h: 40 },
    ]);
  });

  it('reads a line request as one line, and a blank one as none', () => {
    expect(cutLines(image, 'line')).toHaveLength(1);
    expect(cutLines(page(50, 20, []), 'block')).toEqual([]);
  });
});

describe('writeLine', () => {
  it('scales the line to 48 px high, normalises to [-1, 1] in three channels and leaves the padding 0', () => {
    const image = page(96, 24, [{ x: 0, y: 0, w: 48, h: 24 }]);
    const batchWidth = 240;
    const tensor = new Float32Array(2 * 3 * MODEL_HEIGHT * batchWidth).fill(7);
    writeLine(tensor, 1, batchWidth, image, { x: 0, y: 0, w: 96, h: 24 }, 192);
    const plane = MODEL_HEIGHT * batchWidth;
    const at = (channel: number, y: number, x: number): number => tensor[3 * plane + channel * plane + y * batchWidth + x]!;
    for (const channel of [0, 1, 2]) {
      expect(at(channel, 10, 20)).toBe(-1);
      expect(at(channel, 30, 150)).toBe(1);
      expect(at(channel, 30, 200)).toBe(0);
    }
    // The first line of the batch is left as it was.
    expect(tensor[0]).toBe(7);
  });
});
