/** Roles inside one block from fragments (lines of glyphs) alone. */
import { describe, expect, it } from 'vitest';
import { analyseBlock, findColumns } from '../../src/stages/layout/block.js';
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

describe('the deck (副题) under a headline', () => {
  const headline = fragment(150, 100, 14, 70);
  /** Two columns of body text, 12 glyphs wide each, from y = top. */
  const columns = (top: number): Fragment[] =>
    [100, 650].flatMap((x) => Array.from({ length: 8 }, (_, i) => fragment(x + (i === 0 ? 2 * (BODY + 4) : 0), top + i * 46, i === 0 ? 10 : 12)));

  it('is a headline line when it stands centred over the columns in type larger than the body', () => {
    // 10 glyphs of 40 px (1.33 body), centred over both columns: across the gutter.
    const deck = fragment(350, 200, 10, 40);
    const block = analyseBlock(box, [headline, deck, ...columns(270)], [], options);
    expect(block.headline.map((l) => l.y0)).toEqual([100, 200]);
    expect(block.columns.flatMap((c) => c.lines).some((l) => l.y0 === 200)).toBe(false);
    expect(block.columns.map((c) => c.lines.length)).toEqual([8, 8]);
  });

  it('is body text when it is body-sized (a first line running across both columns is not centred with room)', () => {
    const block = analyseBlock(box, [headline, ...columns(200)], [], options);
    expect(block.headline).toHaveLength(1);
    expect(block.columns.map((c) => c.lines.length)).toEqual([8, 8]);
  });

  it('is not a deck when it is flush with the columns at one end', () => {
    const wide = fragment(100, 200, 10, 40);
    const block = analyseBlock(box, [headline, wide, ...columns(270)], [], options);
    expect(block.headline).toHaveLength(1);
  });
});

describe('a vertical headline beside the columns', () => {
  const cellsOf = (x: number): Fragment[] => Array.from({ length: 5 }, (_, i) => fragment(x, 100 + i * 110, 1, 100));
  const body = [300, 700].flatMap((x) => Array.from({ length: 10 }, (_, i) => fragment(x + (i === 0 ? 2 * (BODY + 4) : 0), 200 + i * 46, i === 0 ? 9 : 11)));

  it('leaves a short label over the columns, smaller than its glyphs, as the kicker with a byline under it', () => {
    const label = fragment(300, 100, 2, 60);
    const byline = fragment(300, 170, 2);
    const column = body.map((f) => (f.x0 < 650 ? { ...f, y0: f.y0 + 40, y1: f.y1 + 40 } : f));
    const block = analyseBlock(box, [...cellsOf(100), label, byline, ...column], [], options);
    expect(block.headlineWritingMode).toBe('vertical-rl');
    expect(block.headline.every((l) => l.vertical)).toBe(true);
    expect(block.section.map((l) => l.x0)).toEqual([300]);
    expect(block.author.map((l) => l.y0)).toEqual([170]);
  });
});

describe('findColumns: a short last column', () => {
  it('stays one column though blanks line up in most of its few lines', () => {
    // Two columns of 27 lines, then one of 7 lines whose glyphs (30 px on a 34 px grid) are all set,
    // but for a blank of 1.5 glyphs (punctuation's half-empty cells) in 5 of its lines at one place.
    const glyphs = (x0: number, y: number, cells: readonly number[]): Fragment => {
      const parts = cells.map((c) => ({ x0: x0 + c * 34, y0: y, x1: x0 + c * 34 + 30, y1: y + BODY }));
      return { x0: parts[0]!.x0, y0: y, x1: parts[parts.length - 1]!.x1, y1: y + BODY, height: BODY, glyphs: parts.length, reversed: false, parts };
    };
    const all = Array.from({ length: 12 }, (_, c) => c);
    const long = [0, 460].flatMap((x) => Array.from({ length: 27 }, (_, i) => glyphs(x, i * 46, all)));
    const short = Array.from({ length: 7 }, (_, i) => glyphs(920, i * 46, i < 5 ? all.filter((c) => c !== 5 && c !== 6) : all));
    const columns = findColumns([...long, ...short], { x0: 0, y0: 0, x1: 1330, y1: 1300 }, BODY);
    expect(columns.map((c) => c.lines.length)).toEqual([27, 27, 7]);
  });
});
