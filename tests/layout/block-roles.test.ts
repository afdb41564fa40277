/** Roles inside one block from fragments (lines of glyphs) alone. */
import { describe, expect, it } from 'vitest';
import { analyseBlock } from '../../src/stages/layout/block.js';
import type { Fragment } from '../../src/stages/layout/lines.js';

const BODY = 30;
const fragment = (x0: number, y0: number, glyphs: number, height = BODY): Fragment => {
  const x1 = x0 + glyphs * (height + 4);
  return { x0, y0, x1, y1: y0 + height, height, glyphs, reversed: false, parts: [{ x0, y0, x1, y1: y0 + height }] };
};
const box = { x0: 0, y0: 0, x1: 1200, y1: 1400 };
const options = { bodyHeight: BODY, headlineFactor: 1.45, minGlyph: 5 };
const slogan = fragment(200, 500, 6, 110);

describe('a block with large type', () => {
  it('is an ad (furniture) when its small print stands in single lines here and there', () => {
    // A slogan, a two-part motto under it ("文明城市 你我共建") and the sponsor in the corner.
    const smallPrint = [fragment(300, 700, 4), fragment(520, 700, 4), fragment(1000, 1340, 5)];
    const block = analyseBlock(box, [slogan, ...smallPrint], [], options);
    expect(block.furniture).toBe(true);
    expect(block.columns).toEqual([]);
  });

  it('is a story when text runs under it, line after line', () => {
    const body = Array.from({ length: 6 }, (_, i) => fragment(100, 700 + i * 46, 12));
    const block = analyseBlock(box, [slogan, ...body], [], options);
    expect(block.furniture).toBe(false);
    expect(block.columns.reduce((n, c) => n + c.lines.length, 0)).toBe(6);
  });
});
