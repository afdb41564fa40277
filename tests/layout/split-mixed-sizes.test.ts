/** Fragments in which large type strung body lines together are taken apart (lines.ts, splitMixedSizes). */
import { describe, expect, it } from 'vitest';
import type { Box } from '../../src/image/geometry.js';
import { splitMixedSizes, type Fragment } from '../../src/stages/layout/lines.js';

const BODY = 24;
const HEAD = 60;
/** `n` square glyphs of side `size` from x, their tops at y, `gap` apart. */
const glyphs = (x: number, y: number, n: number, size: number, gap: number): Box[] => Array.from({ length: n }, (_, i) => ({ x0: x + i * (size + gap), y0: y, x1: x + i * (size + gap) + size, y1: y + size }));
const fragmentOf = (parts: Box[]): Fragment => {
  const x0 = Math.min(...parts.map((p) => p.x0));
  const y0 = Math.min(...parts.map((p) => p.y0));
  const x1 = Math.max(...parts.map((p) => p.x1));
  const y1 = Math.max(...parts.map((p) => p.y1));
  return { x0, y0, x1, y1, height: y1 - y0, glyphs: parts.length, reversed: false, parts: parts.map((p) => ({ ...p })) };
};

describe('splitMixedSizes', () => {
  it('parts body lines from large type on both sides of them: a headline set across on the left, a vertical headline on the right (issue 11, real-s6 page 2)', () => {
    const left = glyphs(0, 0, 6, HEAD, 8);
    const body = glyphs(left[5]!.x1 + 2 * BODY, 18, 20, BODY, 3);
    const right = glyphs(body[19]!.x1 + 2 * BODY, 0, 2, HEAD, 20);
    const out = splitMixedSizes([fragmentOf([...left, ...body, ...right])], BODY, { minGlyph: 5, gapFactor: 0.8 });
    const holding = (b: Box): Fragment | undefined => out.find((f) => f.parts.some((p) => p.x0 === b.x0 && p.y0 === b.y0));
    // The body glyphs make one fragment of body height, apart from both headlines'.
    const line = holding(body[0]!)!;
    expect(line.height).toBe(BODY);
    expect(line.glyphs).toBe(20);
    expect(holding(left[0]!)).not.toBe(line);
    expect(holding(right[0]!)).not.toBe(line);
    expect(holding(left[0]!)).not.toBe(holding(right[0]!));
  });

  it("leaves a kicker whole: its bar (▌) taller than the kicker's glyphs is no large type (issue 11, real-s2 archive page 1)", () => {
    const bar = { x0: 0, y0: 0, x1: 9, y1: Math.round(1.5 * BODY) };
    const label = glyphs(2 * BODY, 5, 10, BODY, 3);
    const f = fragmentOf([bar, ...label]);
    expect(splitMixedSizes([f], BODY, { minGlyph: 5, gapFactor: 0.8 })).toEqual([f]);
  });

  it("keeps a headline's words, a glyph apart, with its own small parts in one fragment", () => {
    const words = [...glyphs(0, 0, 3, HEAD, 8), ...glyphs(3 * (HEAD + 8) + HEAD, 0, 3, HEAD, 8)];
    const quote = { x0: 3 * (HEAD + 8) + 10, y0: 2, x1: 3 * (HEAD + 8) + 20, y1: 14 };
    const f = fragmentOf([...words, quote]);
    expect(splitMixedSizes([f], BODY, { minGlyph: 5, gapFactor: 0.8 })).toEqual([f]);
  });
});
