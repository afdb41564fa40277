/**
 * Stories on a page without rules (issue 11, `--style real` pages): drawn at test time, glyphs as
 * black squares on white paper at 300 dpi, stories parted by nothing but whitespace as wide as the
 * gutter between the columns of one story.
 */
import { bodyLines, COLUMN, columnCount, DrawnPage, GLYPH, GUTTER, HEAD, LINE, PITCH, stories } from './drawn-page.js';
import { describe, expect, it } from 'vitest';
import type { Box } from '../../src/image/geometry.js';
import { analysePage } from '../../src/stages/layout/analyse.js';

describe('stories without rules', () => {
  it('two stories side by side, a column gutter apart: each headline claims its columns, also one beside it', () => {
    const page = new DrawnPage(1800, 900);
    // Story A: a headline over two of its three columns; story B: two columns under its headline.
    page.headline(60, 60, 7);
    for (let c = 0; c < 3; c++) page.column(60 + c * (COLUMN + GUTTER), 200, 14);
    const bx = 60 + 3 * (COLUMN + GUTTER);
    page.headline(bx, 60, 6);
    for (let c = 0; c < 2; c++) page.column(bx + c * (COLUMN + GUTTER), 200, 14);
    const found = stories(analysePage(page.image()).blocks);
    expect(found).toHaveLength(2);
    expect(found.map(columnCount)).toEqual([3, 2]);
    expect(found.map(bodyLines)).toEqual([42, 28]);
    expect(found.every((b) => b.headline.length === 1)).toBe(true);
  });

  it('a story under another one, and text far under a story without a headline, are stories of their own', () => {
    const page = new DrawnPage(1300, 2200);
    page.headline(60, 60, 8);
    for (let c = 0; c < 3; c++) page.column(60 + c * (COLUMN + GUTTER), 200, 10);
    // The next story, two body glyphs under the first.
    page.headline(60, 720, 6);
    for (let c = 0; c < 3; c++) page.column(60 + c * (COLUMN + GUTTER), 860, 10);
    // A continuation from another page: no headline, eight glyphs of paper above it.
    const gap = 860 + 9 * LINE + GLYPH + 8 * GLYPH;
    page.glyphs(60, gap, 6);
    for (let c = 0; c < 3; c++) page.column(60 + c * (COLUMN + GUTTER), gap + LINE, 8);
    const found = stories(analysePage(page.image()).blocks);
    expect(found.map((b) => b.headline.length)).toEqual([1, 1, 0]);
    expect(found.map(columnCount)).toEqual([3, 3, 3]);
  });

  it('a story continued from another page, set close under two stories, is a story of its own (issue 11, real-s2 page 2)', () => {
    const page = new DrawnPage(1400, 1400);
    page.headline(60, 60, 6);
    for (let c = 0; c < 2; c++) page.column(60 + c * (COLUMN + GUTTER), 200, 14);
    const bx = 60 + 2 * (COLUMN + GUTTER);
    page.headline(bx, 60, 3);
    page.column(bx, 200, 8);
    // Two body glyphs under the first story's columns, its columns starting together under both stories.
    const top = 200 + 13 * LINE + GLYPH + 2 * GLYPH;
    for (let c = 0; c < 3; c++) page.column(60 + c * (COLUMN + GUTTER), top, 6);
    const found = stories(analysePage(page.image()).blocks);
    const summary = found.map((b) => [b.headline.length, columnCount(b), bodyLines(b)]).sort((a, b) => b[2]! - a[2]!);
    expect(summary).toEqual([
      [1, 2, 28],
      [0, 3, 18],
      [1, 1, 8],
    ]);
  });

  it('a headline centred over its story, narrower than it, claims the column beside it too (issue 11, real-s5 page 2)', () => {
    const page = new DrawnPage(2200, 900);
    page.headline(60, 60, 7);
    for (let c = 0; c < 2; c++) page.column(60 + c * (COLUMN + GUTTER), 200, 14);
    // The next story: four columns a column gutter away, its headline over the middle two.
    const bx = 60 + 2 * (COLUMN + GUTTER);
    const width = 4 * COLUMN + 3 * GUTTER;
    page.headline(bx + Math.round((width - (6 * 90 - 10)) / 2), 60, 6);
    for (let c = 0; c < 4; c++) page.column(bx + c * (COLUMN + GUTTER), 220, 14);
    const found = stories(analysePage(page.image()).blocks);
    expect(found).toHaveLength(2);
    expect(found.map(columnCount)).toEqual([2, 4]);
    expect(found.map(bodyLines)).toEqual([28, 56]);
  });

  it('a picture with its caption beside it stands alone, not in the story next to it', () => {
    const page = new DrawnPage(1800, 1000);
    page.headline(60, 60, 7);
    for (let c = 0; c < 2; c++) page.column(60 + c * (COLUMN + GUTTER), 200, 16);
    // Caption column right of the story, level with the picture's foot; the picture right of it.
    const capX = 60 + 2 * (COLUMN + GUTTER);
    for (let i = 0; i < 3; i++) page.glyphs(capX, 800 + i * LINE, 7);
    const photo = { x0: capX + 7 * PITCH + GUTTER, y0: 60, x1: 1740, y1: 920 };
    page.fill(photo, 110);
    const found = stories(analysePage(page.image()).blocks);
    expect(found).toHaveLength(2);
    expect(found[0]?.photos).toHaveLength(0);
    expect(found[0]?.captions).toHaveLength(0);
    expect(found[1]?.photos).toHaveLength(1);
    expect(found[1]?.captions.flat()).toHaveLength(3);
  });

  it('a vertical headline (竖排) beside the columns is the story headline, glyph by glyph, right column first', () => {
    const page = new DrawnPage(1500, 1000);
    // Two columns of six big glyphs, then the body beside them.
    const cells: Box[] = [];
    for (const x of [160, 60]) for (let i = 0; i < 6; i++) cells.push(page.glyphs(x, 60 + i * (HEAD + 12), 1, HEAD));
    for (let c = 0; c < 3; c++) page.column(300 + c * (COLUMN + GUTTER), 60, 13);
    const found = stories(analysePage(page.image()).blocks);
    expect(found).toHaveLength(1);
    const story = found[0]!;
    expect(columnCount(story)).toBe(3);
    expect(bodyLines(story)).toBe(39);
    expect(story.headline.map((l) => [l.x0, l.y0])).toEqual(cells.map((c) => [c.x0, c.y0]));
  });

  it('on a worn scan (glyphs broken into radicals) the body lines beside a vertical headline are still body (issue 11, real-s6 archive page 2)', () => {
    const page = new DrawnPage(1500, 1000);
    page.worn = true;
    const cells: Box[] = [];
    for (const x of [160, 60]) for (let i = 0; i < 6; i++) cells.push(page.glyphs(x, 60 + i * (HEAD + 12), 1, HEAD));
    for (let c = 0; c < 3; c++) page.column(300 + c * (COLUMN + GUTTER), 60, 13);
    const found = stories(analysePage(page.image()).blocks);
    expect(found).toHaveLength(1);
    expect(columnCount(found[0]!)).toBe(3);
    expect(bodyLines(found[0]!)).toBe(39);
    expect(found[0]!.headline.map((l) => [l.x0, l.y0])).toEqual(cells.map((c) => [c.x0, c.y0]));
  });

  /** Two columns of six big glyphs from (x, y), right column first: a vertical headline. */
  const verticalHeadline = (page: DrawnPage, x: number, y: number): Box[] => {
    const cells: Box[] = [];
    for (const cx of [x + HEAD + 20, x]) for (let i = 0; i < 6; i++) cells.push(page.glyphs(cx, y + i * (HEAD + 12), 1, HEAD));
    return cells;
  };

  it('a vertical headline at the RIGHT of its columns keeps them all, though a headline set across stands nearer to the left one (issue 11, real-s6 page 2)', () => {
    const page = new DrawnPage(2100, 900);
    // Story A: a headline over two columns that start under it.
    page.headline(60, 60, 7);
    for (let c = 0; c < 2; c++) page.column(60 + c * (COLUMN + GUTTER), 200, 14);
    // Story B, a column gutter to the right: three columns from the top, its vertical headline right of them.
    const bx = 60 + 2 * (COLUMN + GUTTER);
    for (let c = 0; c < 3; c++) page.column(bx + c * (COLUMN + GUTTER), 60, 13);
    const cells = verticalHeadline(page, bx + 3 * COLUMN + 2 * GUTTER + 45, 60);
    const found = stories(analysePage(page.image()).blocks);
    expect(found).toHaveLength(2);
    expect(found.map(columnCount)).toEqual([2, 3]);
    expect(found.map(bodyLines)).toEqual([28, 39]);
    expect(found[0]!.headlineWritingMode).toBeUndefined();
    expect(found[1]!.headlineWritingMode).toBe('vertical-rl');
    expect(found[1]!.headline.map((l) => [l.x0, l.y0])).toEqual(cells.map((c) => [c.x0, c.y0]));
  });

  it('a vertical headline at the LEFT of its columns keeps them, and the story set across beside them keeps its own', () => {
    const page = new DrawnPage(2100, 900);
    const cells = verticalHeadline(page, 60, 60);
    for (let c = 0; c < 3; c++) page.column(285 + c * (COLUMN + GUTTER), 60, 13);
    // Story B, a column gutter to the right: a headline over two columns that start under it.
    const bx = 285 + 3 * (COLUMN + GUTTER);
    page.headline(bx, 60, 7);
    for (let c = 0; c < 2; c++) page.column(bx + c * (COLUMN + GUTTER), 200, 14);
    const found = stories(analysePage(page.image()).blocks);
    expect(found).toHaveLength(2);
    expect(found.map(columnCount)).toEqual([3, 2]);
    expect(found.map(bodyLines)).toEqual([39, 28]);
    expect(found[0]!.headline.map((l) => [l.x0, l.y0])).toEqual(cells.map((c) => [c.x0, c.y0]));
    expect(found[1]!.headlineWritingMode).toBeUndefined();
  });

  it('a vertical headline set lower than the headline of the story beside it leaves that story its columns', () => {
    const page = new DrawnPage(2100, 1000);
    // Story A from y 200: a vertical headline at the left of three columns.
    verticalHeadline(page, 60, 200);
    for (let c = 0; c < 3; c++) page.column(285 + c * (COLUMN + GUTTER), 200, 13);
    // Story B a column gutter to the right: its headline higher up, its columns level with A's.
    const bx = 285 + 3 * (COLUMN + GUTTER);
    page.headline(bx, 60, 7);
    for (let c = 0; c < 2; c++) page.column(bx + c * (COLUMN + GUTTER), 200, 14);
    const found = stories(analysePage(page.image()).blocks);
    expect(found).toHaveLength(2);
    const byColumns = [...found].sort((a, b) => a.box.x0 - b.box.x0);
    expect(byColumns.map(columnCount)).toEqual([3, 2]);
    expect(byColumns.map(bodyLines)).toEqual([39, 28]);
    expect(byColumns[0]!.headlineWritingMode).toBe('vertical-rl');
  });

  it("another story's kicker level with the head of a vertical headline far across the page stays with its own story", () => {
    const page = new DrawnPage(2100, 900);
    // Story A: a kicker (small type) at the top, its headline under it, two columns under that.
    const kicker = page.glyphs(60, 60, 4);
    page.headline(60, 140, 7);
    for (let c = 0; c < 2; c++) page.column(60 + c * (COLUMN + GUTTER), 280, 12);
    const bx = 60 + 2 * (COLUMN + GUTTER);
    for (let c = 0; c < 3; c++) page.column(bx + c * (COLUMN + GUTTER), 60, 13);
    verticalHeadline(page, bx + 3 * COLUMN + 2 * GUTTER + 45, 60);
    const found = stories(analysePage(page.image()).blocks);
    expect(found).toHaveLength(2);
    expect(found[0]!.box.y0).toBeLessThanOrEqual(kicker.y0);
    expect(found[1]!.box.x0).toBeGreaterThanOrEqual(bx);
  });
});
