/**
 * Which way text runs (issue 11: vertical body text is detected and reported per block). Glyphs
 * are drawn as boxes: text runs the way its glyphs sit closest, whatever the scale.
 */
import { describe, expect, it } from 'vitest';
import type { Box } from '../../src/image/geometry.js';
import type { GrayImage } from '../../src/image/gray-image.js';
import { analysePage } from '../../src/stages/layout/analyse.js';
import { verticalColumns, writingModeOf } from '../../src/stages/layout/writing-mode.js';

/** `lines` runs of `perLine` glyphs of side `g`: `along` apart on a run, `between` apart across runs. */
function grid(g: number, perLine: number, lines: number, along: number, between: number, vertical: boolean): Box[] {
  const out: Box[] = [];
  for (let l = 0; l < lines; l++) {
    for (let i = 0; i < perLine; i++) {
      const a = i * (g + along);
      const b = l * (g + between);
      // Vertical text: runs go down, and the runs stand right to left.
      const [x, y] = vertical ? [1000 - b - g, a] : [a, b];
      out.push({ x0: x, y0: y, x1: x + g, y1: y + g });
    }
  }
  return out;
}

/** Each glyph cut into two halves, as 明 (left and right) or 二 (top and bottom) come out of the scan. */
const halves = (glyphs: readonly Box[], sideBySide: boolean): Box[] =>
  glyphs.flatMap((b) => {
    const mx = Math.round((b.x0 + b.x1) / 2);
    const my = Math.round((b.y0 + b.y1) / 2);
    return sideBySide
      ? [{ ...b, x1: mx - 1 }, { ...b, x0: mx + 1 }]
      : [{ ...b, y1: my - 2 }, { ...b, y0: my + 2 }];
  });

describe('writing mode', () => {
  for (const g of [7, 14, 30]) {
    const track = Math.max(1, Math.round(g * 0.1));
    const lead = Math.round(g * 0.5);
    it(`horizontal text at ${g} px glyphs is horizontal, vertical text vertical`, () => {
      expect(writingModeOf(grid(g, 12, 6, track, lead, false), g)).toBe('horizontal-tb');
      expect(writingModeOf(grid(g, 12, 6, track, lead, true), g)).toBe('vertical-rl');
    });
  }

  it('glyphs in parts (left-right and top-bottom) do not turn the decision', () => {
    const g = 30;
    const mixed = (vertical: boolean): Box[] => {
      const all = grid(g, 12, 6, 3, 15, vertical);
      return [...all.filter((_, i) => i % 3 === 0), ...halves(all.filter((_, i) => i % 3 === 1), true), ...halves(all.filter((_, i) => i % 3 === 2), false)];
    };
    expect(writingModeOf(mixed(false), g)).toBe('horizontal-tb');
    expect(writingModeOf(mixed(true), g)).toBe('vertical-rl');
  });

  it('a single column of vertical text is vertical; one line, or too few glyphs, is horizontal', () => {
    expect(writingModeOf(grid(20, 12, 1, 2, 10, true), 20)).toBe('vertical-rl');
    expect(writingModeOf(grid(20, 12, 1, 2, 10, false), 20)).toBe('horizontal-tb');
    expect(writingModeOf(grid(20, 4, 1, 2, 10, true), 20)).toBe('horizontal-tb');
  });

  it('cuts vertical columns, right to left, into one cell per glyph, top to bottom', () => {
    const g = 30;
    const glyphs = [...grid(g, 10, 3, 3, 15, true)];
    const columns = verticalColumns(halves(glyphs, false), g);
    expect(columns).toHaveLength(3);
    expect(columns.map((c) => c.box.x0)).toEqual([...columns.map((c) => c.box.x0)].sort((a, b) => b - a));
    for (const column of columns) {
      expect(column.lines).toHaveLength(10);
      column.lines.forEach((cell, i) => {
        expect(cell.y0).toBe(i * (g + 3));
        expect(cell.y1).toBe(i * (g + 3) + g);
      });
    }
  });

  it('cuts touching glyphs of a column at its pitch', () => {
    const g = 24;
    const touching = grid(g, 8, 1, 0, 10, true);
    const [column] = verticalColumns(touching, g);
    expect(column?.lines).toHaveLength(8);
  });
});

describe('a story set vertically on a page', () => {
  it('is one block whose body is vertical-rl, read column by column right to left, under its horizontal headline', () => {
    const dpi = 300;
    const width = 1400;
    const height = 1200;
    const data = new Uint8Array(width * height).fill(255);
    const fill = (b: Box): void => {
      for (let y = b.y0; y < b.y1; y++) data.fill(0, y * width + b.x0, y * width + b.x1);
    };
    // A headline of 6 glyphs of 80 px, then 8 columns of 20 glyphs of 30 px, 4 px apart down a
    // column, columns 16 px apart, the first column at the right.
    for (let i = 0; i < 6; i++) fill({ x0: 200 + i * 90, y0: 80, x1: 280 + i * 90, y1: 160 });
    const top = 220;
    for (let c = 0; c < 8; c++) {
      const x0 = 1100 - c * 46;
      for (let i = 0; i < (c === 7 ? 9 : 20); i++) fill({ x0, y0: top + i * 34, x1: x0 + 30, y1: top + i * 34 + 30 });
    }
    const image: GrayImage = { width, height, data, dpi };
    const blocks = analysePage(image).blocks.filter((b) => !b.furniture);
    expect(blocks).toHaveLength(1);
    const [block] = blocks;
    expect(block?.bodyWritingMode).toBe('vertical-rl');
    expect(block?.headlineWritingMode).toBeUndefined();
    expect(block?.headline).toHaveLength(1);
    expect(block?.columns.map((c) => c.lines.length)).toEqual([20, 20, 20, 20, 20, 20, 20, 9]);
    expect(block?.columns[0]?.box.x0).toBeGreaterThan(block?.columns[1]?.box.x0 ?? Infinity);
  });
});
