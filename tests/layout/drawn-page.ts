/**
 * Pages drawn at test time for the layout tests: glyphs as black squares on paper at 300 dpi, in the
 * sizes of a real-style page (body glyphs 30 px on a 46 px line, headlines 80 px).
 */
import type { GrayImage } from '../../src/image/gray-image.js';
import type { Box } from '../../src/image/geometry.js';
import type { LayoutBlock } from '../../src/stages/layout/types.js';

export const GLYPH = 30;
export const PITCH = GLYPH + 4;
export const LINE = 46;
export const GUTTER = 36; // 1.2 body glyphs: the same between columns of a story and between stories
export const COLUMN = 9 * PITCH;
export const HEAD = 80;

export class DrawnPage {
  readonly data: Uint8Array;
  /**
   * Body glyphs drawn as a worn scan leaves them: a stroke down the left, a square and a dash on the
   * right (a 左右 glyph whose right side broke in two), so the single components about as wide as
   * tall are radicals two thirds of a glyph high (as measured on the archive scan of real-s6 page 2).
   */
  worn = false;
  constructor(
    readonly width: number,
    readonly height: number,
    paper = 255,
  ) {
    this.data = new Uint8Array(width * height).fill(paper);
  }
  fill(b: Box, level = 0): void {
    for (let y = b.y0; y < b.y1; y++) this.data.fill(level, y * this.width + b.x0, y * this.width + b.x1);
  }
  /** A run of `n` square glyphs of side `size` from (x, y). */
  glyphs(x: number, y: number, n: number, size = GLYPH, gap = 4): Box {
    for (let i = 0; i < n; i++) {
      const x0 = x + i * (size + gap);
      if (this.worn && size === GLYPH) {
        this.fill({ x0, y0: y, x1: x0 + 8, y1: y + size });
        this.fill({ x0: x0 + 10, y0: y, x1: x0 + 30, y1: y + 20 });
        this.fill({ x0: x0 + 10, y0: y + 24, x1: x0 + 30, y1: y + size });
      } else this.fill({ x0, y0: y, x1: x0 + size, y1: y + size });
    }
    return { x0: x, y0: y, x1: x + n * (size + gap) - gap, y1: y + size };
  }
  /** A column of body text: paragraphs of four lines, the first indented two glyphs, the last short. */
  column(x: number, y: number, lines: number): Box {
    for (let i = 0; i < lines; i++) {
      const indent = i % 4 === 0 ? 2 : 0;
      const n = i % 4 === 3 ? 5 : 9 - indent;
      this.glyphs(x + indent * PITCH, y + i * LINE, n);
    }
    return { x0: x, y0: y, x1: x + COLUMN, y1: y + (lines - 1) * LINE + GLYPH };
  }
  headline(x: number, y: number, n: number): Box {
    return this.glyphs(x, y, n, HEAD, 10);
  }
  /** Two white glyphs on a dark box, the box about twice as wide as tall (观察, 链接). */
  label(x: number, y: number): Box {
    const h = Math.round(2.2 * GLYPH);
    const box = { x0: x, y0: y, x1: x + 2 * h, y1: y + h };
    this.fill(box);
    const g = Math.round(1.3 * GLYPH);
    const pad = Math.round((h - g) / 2);
    for (const gx of [x + pad, x + h + pad - 4]) this.fill({ x0: gx, y0: y + pad, x1: gx + g, y1: y + pad + g }, 255);
    return box;
  }
  image(dpi = 300): GrayImage {
    return { width: this.width, height: this.height, data: this.data, dpi };
  }
}

export const stories = (blocks: readonly LayoutBlock[]): LayoutBlock[] => blocks.filter((b) => !b.furniture);
export const columnCount = (b: LayoutBlock): number => b.columns.length;
export const bodyLines = (b: LayoutBlock): number => b.columns.reduce((n, c) => n + c.lines.length, 0);
