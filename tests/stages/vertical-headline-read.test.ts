/** A vertical headline's glyph cells are read in the order layout gives them, not by rows. */
import { describe, expect, it } from 'vitest';
import { emptyBlock } from '../../src/stages/layout/block.js';
import type { LayoutLine } from '../../src/stages/layout/types.js';
import { readLayout, type RegionReader } from '../../src/stages/recognise/recognise.js';

describe('readLayout: vertical headline', () => {
  it('reads a two-column vertical headline right column first, each top to bottom', async () => {
    // Right column 一二三, left column 四五六: cells side by side in each row, 30 px glyphs.
    const glyph = 30;
    const cell = (x: number, row: number): LayoutLine => ({ x0: x, y0: 100 + row * 40, x1: x + glyph, y1: 100 + row * 40 + glyph, glyphHeight: glyph, reversed: false, vertical: true });
    const right = [0, 1, 2].map((r) => cell(60, r));
    const left = [0, 1, 2].map((r) => cell(20, r));
    const textOf = new Map<string, string>();
    ['一', '二', '三'].forEach((t, i) => textOf.set(JSON.stringify([60, i]), t));
    ['四', '五', '六'].forEach((t, i) => textOf.set(JSON.stringify([20, i]), t));
    const read: RegionReader = async (box) => {
      const text = textOf.get(JSON.stringify([box.x0, (box.y0 - 100) / 40])) ?? '?';
      return [{ text, box, confidence: 0.9, indented: false }];
    };
    const block = emptyBlock({ x0: 0, y0: 0, x1: 400, y1: 400 }, [], { headline: [...right, ...left] });
    const recognised = await readLayout({ width: 400, height: 400, bodyGlyphHeight: 11, mastheads: [], blocks: [block] }, read);
    expect(recognised.blocks[0]!.headline.map((l) => l.text).join('')).toBe('一二三四五六');
  });
});
