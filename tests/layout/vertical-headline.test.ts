/** The glyph cells of a vertical headline (竖排) at low resolution, from layout's fragments. */
import { describe, expect, it } from 'vitest';
import { verticalHeadline } from '../../src/stages/layout/block.js';
import type { Fragment } from '../../src/stages/layout/lines.js';

const glyph = 36;
/** One row of the headline: a fragment of glyph-sized parts at the given x positions. */
const row = (y: number, xs: readonly number[], width = glyph): Fragment => {
  const parts = xs.map((x) => ({ x0: x, y0: y, x1: x + width, y1: y + glyph }));
  return { x0: Math.min(...xs), y0: y, x1: Math.max(...xs) + width, y1: y + glyph, height: glyph, glyphs: parts.length, reversed: false, parts };
};
const cellsOf = (rows: Fragment[]): string[] => verticalHeadline(rows, 3).cells.map((c) => `${c.x0}/${c.y0}`);

describe('verticalHeadline', () => {
  it('parts two columns whose gap a 100 dpi scan blurred shut, right column first', () => {
    // Each row: the left glyph at 100, the right one at 136, touching; four rows.
    const rows = [0, 1, 2, 3].map((i) => row(100 + i * 42, [100, 136]));
    expect(cellsOf(rows)).toEqual([...[0, 1, 2, 3].map((i) => `136/${100 + i * 42}`), ...[0, 1, 2, 3].map((i) => `100/${100 + i * 42}`)]);
  });
  it('keeps one column whole across the gap a small quote mark leaves', () => {
    // Three rows, a gap of 1.2 glyphs (the quote marks are too small to be rows), three more rows.
    const ys = [0, 42, 84, 84 + glyph + Math.round(1.2 * glyph), 168 + glyph + Math.round(1.2 * glyph), 210 + glyph + Math.round(1.2 * glyph)];
    const rows = ys.map((y) => row(100 + y, [200]));
    expect(cellsOf(rows)).toEqual(ys.map((y) => `200/${100 + y}`));
  });
  it('keeps the glyphs of a column set a little lower than its neighbour, each row of one glyph apart (issue 11, real-s6 page 2)', () => {
    const [left, right] = [100, 150];
    // Rows where the two columns' glyphs stand apart (read as rows of their own) between rows where they touch.
    const rows = [row(100, [left]), row(104, [right]), row(142, [left, right]), row(184, [left, right]), row(226, [left]), row(228, [right]), row(268, [left, right])];
    expect(cellsOf(rows)).toEqual(['150/104', '150/142', '150/184', '150/228', '150/268', '100/100', '100/142', '100/184', '100/226', '100/268']);
  });
  it('reads a glyph broken into its top and its foot as one cell, in a column of its own (issue 11, real-s6 office page 2)', () => {
    // One column of four glyphs, the third one read as two short rows.
    const top = row(184, [300]);
    const broken = [
      { ...top, y1: 200, height: 16, parts: [{ ...top.parts[0]!, y1: 200 }] },
      { ...top, y0: 202, height: 18, parts: [{ ...top.parts[0]!, y0: 202 }] },
    ];
    const rows = [row(100, [300]), row(142, [300]), ...broken, row(226, [300])];
    expect(cellsOf(rows)).toEqual(['300/100', '300/142', '300/184', '300/226']);
  });
  it('leaves a one-column headline of wide glyphs in one column', () => {
    const rows = [0, 1, 2].map((i) => row(100 + i * 42, [300], Math.round(1.2 * glyph)));
    expect(cellsOf(rows)).toEqual([0, 1, 2].map((i) => `300/${100 + i * 42}`));
  });
});

describe('verticalHeadline: parts too small to be rows', () => {
  it('joins the lower half of a glyph built in two pieces to its cell, and keeps a quote mark as a cell', () => {
    // Rows at 100, 142, 184, 240 (glyph 36); the third glyph's top half alone is a row (24 px), its
    // lower half (10 px) a small fragment under it; a quote mark (8 px) before the last glyph.
    const rows = [row(100, [200]), row(142, [200]), { ...row(184, [200]), y1: 208, height: 24 }, row(240, [200])];
    const lowerHalf: Fragment = { ...row(210, [202]), y1: 220, height: 10 };
    const quote: Fragment = { ...row(224, [205], 8), y1: 232, height: 8 };
    const { cells, fragments } = verticalHeadline(rows, 3, [lowerHalf, quote]);
    expect(cells.map((c) => `${c.y0}-${c.y1}`)).toEqual(['100-136', '142-178', '184-220', '224-232', '240-276']);
    expect(fragments.has(lowerHalf) && fragments.has(quote)).toBe(true);
  });
});
