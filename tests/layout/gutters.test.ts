/** Segmentation at whitespace gutters, where a page has no rule between two stories (issue 11). */
import { describe, expect, it } from 'vitest';
import type { Box } from '../../src/image/geometry.js';
import type { InkMask } from '../../src/stages/layout/mask.js';
import { segmentByRules } from '../../src/stages/layout/segment.js';

/** A mask with ink filling each of `boxes` (stand-ins for columns of text). */
function maskOf(width: number, height: number, boxes: readonly Box[]): InkMask {
  const data = new Uint8Array(width * height);
  for (const b of boxes) for (let y = b.y0; y < b.y1; y++) for (let x = b.x0; x < b.x1; x++) data[y * width + x] = 1;
  return { width, height, data, threshold: 128 };
}

const GLYPH = 9;
const options = { coverage: 0.75, edgeMargin: 12, minInk: 50, minGutter: 1.8 * GLYPH };
const page: Box = { x0: 0, y0: 0, x1: 400, y1: 300 };

describe('whitespace gutters', () => {
  it('a gutter wider than a column gutter running down the region parts two stories, left first', () => {
    // Story A: one column; story B: two columns 1.3 glyphs apart; 2.4 glyphs between the stories.
    const a = { x0: 10, y0: 10, x1: 150, y1: 290 };
    const b1 = { x0: 172, y0: 10, x1: 280, y1: 290 };
    const b2 = { x0: 292, y0: 10, x1: 390, y1: 290 };
    const regions = segmentByRules(page, [], maskOf(400, 300, [a, b1, b2]), options);
    expect(regions).toEqual([a, { x0: 172, y0: 10, x1: 390, y1: 290 }]);
  });
  it('a headline across the columns keeps them one story', () => {
    const headline = { x0: 10, y0: 10, x1: 390, y1: 40 };
    const c1 = { x0: 10, y0: 60, x1: 150, y1: 290 };
    const c2 = { x0: 172, y0: 60, x1: 390, y1: 290 };
    expect(segmentByRules(page, [], maskOf(400, 300, [headline, c1, c2]), options)).toEqual([{ x0: 10, y0: 10, x1: 390, y1: 290 }]);
  });
  it('without minGutter only rules cut (the behaviour the generated pages were tuned on)', () => {
    const a = { x0: 10, y0: 10, x1: 150, y1: 290 };
    const b = { x0: 200, y0: 10, x1: 390, y1: 290 };
    expect(segmentByRules(page, [], maskOf(400, 300, [a, b]), { ...options, minGutter: 0 })).toEqual([{ x0: 10, y0: 10, x1: 390, y1: 290 }]);
  });
});
