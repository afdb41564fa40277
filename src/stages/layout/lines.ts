/**
 * From connected components to text fragments and lines. A fragment is a run of glyphs on one line
 * with no gap wider than about one glyph; gutters between columns are wider, so fragments never cross them.
 */
import type { Component } from './components.js';
import type { Box } from '../../image/geometry.js';
import { median, overlap1d } from '../../image/geometry.js';
import type { LayoutLine } from './types.js';

export interface Fragment extends Box {
  height: number;
  glyphs: number;
  reversed: boolean;
  /** The components it is made of (glyphs and glyph parts, specks included). */
  parts: Box[];
}

export interface FragmentOptions {
  /** Components smaller than this on both sides are noise, px. */
  readonly minGlyph: number;
  /** Largest gap inside a fragment, as a share of glyph height. */
  readonly gapFactor: number;
  /**
   * Whether a dense component is a box solid to its rim (see solidToRim): then one under 2.5 times
   * as wide as tall is a reversed label too. Absent: only wide bars are.
   */
  readonly solidToRim?: (c: Component) => boolean;
}

/** A label on a dark box solid to its rim is at least this many times as wide as tall (two glyphs and margins). */
const REVERSED_LABEL_ASPECT = 1.4;

export function buildFragments(components: readonly Component[], options: FragmentOptions): Fragment[] {
  const glyphs: Component[] = [];
  const bars: Fragment[] = [];
  const labels: Component[] = [];
  for (const c of components) {
    const w = c.x1 - c.x0;
    const h = c.y1 - c.y0;
    if (w < options.minGlyph && h < options.minGlyph) continue;
    const density = c.pixels / (w * h);
    // A dense, wide bar is white text on a dark background (a kicker or a label); a short one (two
    // glyphs on a dark box) is as dense, but only a box is ink all round its rim. A solid square
    // (■) leading a label is not wider than tall.
    const label = density > 0.55 && h > options.minGlyph * 3 && w >= REVERSED_LABEL_ASPECT * h && w <= 2.5 * h && (options.solidToRim?.(c) ?? false);
    if ((density > 0.55 && w > 2.5 * h && h > options.minGlyph * 3) || label) {
      bars.push({ x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1, height: h, glyphs: 1, reversed: true, parts: [c] });
      if (label) labels.push(c);
      continue;
    }
    // Frames and leftover rule pieces are not glyphs.
    if (w > 12 * h || h > 12 * w) continue;
    glyphs.push(c);
  }
  // What stands inside a label's box is the ink left in the holes of its white glyphs, not glyphs.
  const inLabel = (c: Component): boolean => labels.some((b) => c.x0 >= b.x0 && c.x1 <= b.x1 && c.y0 >= b.y0 && c.y1 <= b.y1);
  if (labels.length > 0) glyphs.splice(0, glyphs.length, ...glyphs.filter((c) => !inLabel(c)));
  glyphs.sort((a, b) => a.x0 - b.x0);
  const open: Fragment[] = [];
  const done: Fragment[] = [];
  for (const c of glyphs) {
    const h = c.y1 - c.y0;
    let best: Fragment | undefined;
    let bestOverlap = 0;
    for (let i = open.length - 1; i >= 0; i--) {
      const f = open[i];
      if (!f) continue;
      const reach = options.gapFactor * Math.max(f.height, h);
      if (c.x0 - f.x1 > reach * 3) {
        done.push(f);
        open.splice(i, 1);
        continue;
      }
      if (c.x0 - f.x1 > reach) continue;
      const ov = overlap1d(f.y0, f.y1, c.y0, c.y1);
      if (ov >= 0.5 * Math.min(f.y1 - f.y0, h) && ov > bestOverlap) {
        best = f;
        bestOverlap = ov;
      }
    }
    if (best) {
      best.x0 = Math.min(best.x0, c.x0);
      best.x1 = Math.max(best.x1, c.x1);
      best.y0 = Math.min(best.y0, c.y0);
      best.y1 = Math.max(best.y1, c.y1);
      best.height = best.y1 - best.y0;
      best.glyphs++;
      best.parts.push(c);
    } else {
      open.push({ x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1, height: h, glyphs: 1, reversed: false, parts: [c] });
    }
  }
  done.push(...open);
  // Drop isolated specks: a fragment of one small glyph.
  const kept = done.filter((f) => f.glyphs > 1 || f.height >= options.minGlyph * 2);
  return [...kept, ...bars];
}

/** The body glyph height of a page: the most common fragment height, weighted by glyph count. */
export function bodyGlyphHeight(fragments: readonly Fragment[]): number {
  const weighted: number[] = [];
  for (const f of fragments) {
    if (f.reversed || f.glyphs < 3) continue;
    for (let i = 0; i < f.glyphs; i++) weighted.push(f.height);
  }
  return median(weighted);
}

/** Groups fragments into lines: fragments that share most of their vertical extent. */
export function groupIntoLines(fragments: readonly Fragment[]): LayoutLine[] {
  const sorted = [...fragments].sort((a, b) => (a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2);
  const lines: Array<{ box: Box; parts: Fragment[] }> = [];
  for (const f of sorted) {
    let host: { box: Box; parts: Fragment[] } | undefined;
    for (const l of lines) {
      const ov = overlap1d(l.box.y0, l.box.y1, f.y0, f.y1);
      if (ov >= 0.5 * Math.min(l.box.y1 - l.box.y0, f.y1 - f.y0) && l.parts[0]?.reversed === f.reversed) {
        host = l;
        break;
      }
    }
    if (host) {
      host.parts.push(f);
      host.box = {
        x0: Math.min(host.box.x0, f.x0),
        y0: Math.min(host.box.y0, f.y0),
        x1: Math.max(host.box.x1, f.x1),
        y1: Math.max(host.box.y1, f.y1),
      };
    } else {
      lines.push({ box: { x0: f.x0, y0: f.y0, x1: f.x1, y1: f.y1 }, parts: [f] });
    }
  }
  return lines
    .map((l) => ({
      ...l.box,
      glyphHeight: Math.max(...l.parts.map((p) => p.height)),
      reversed: l.parts.some((p) => p.reversed),
    }))
    .sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
}

/**
 * The part of a fragment inside [x0, x1): its components there, boxed again. A speck in a gutter can
 * join the glyphs of two columns into one fragment; clipping at the column edges undoes that.
 */
export function clipFragment(f: Fragment, x0: number, x1: number): Fragment | undefined {
  const parts = f.parts.filter((p) => {
    const cx = (p.x0 + p.x1) / 2;
    return cx >= x0 && cx < x1;
  });
  if (parts.length === 0) return undefined;
  if (parts.length === f.parts.length) return f;
  const box = { x0: Math.min(...parts.map((p) => p.x0)), y0: Math.min(...parts.map((p) => p.y0)), x1: Math.max(...parts.map((p) => p.x1)), y1: Math.max(...parts.map((p) => p.y1)) };
  return { ...box, height: box.y1 - box.y0, glyphs: parts.length, reversed: f.reversed, parts };
}

/**
 * A fragment in which large type strung body lines together across a gap (a vertical headline's
 * glyph row and the body lines level with it, beside it) is built again from its parts: the large
 * type's span apart from what lies clear of it, a body glyph or more away. A headline's own small
 * parts (quotes, strokes) lie inside its span and stay.
 */
export function splitMixedSizes(fragments: readonly Fragment[], bodyHeight: number, options: FragmentOptions): Fragment[] {
  const out: Fragment[] = [];
  for (const f of fragments) {
    // Large type is glyphs, not the thin bar that marks a kicker (▌): it strings nothing.
    const big = f.reversed ? [] : f.parts.filter((p) => p.y1 - p.y0 >= 1.45 * bodyHeight && p.x1 - p.x0 >= 0.4 * (p.y1 - p.y0));
    if (big.length === 0) {
      out.push(f);
      continue;
    }
    // Large type on both sides of the body lines (a headline set across on the left, a vertical
    // headline's glyph row on the right) is two spans: each stands apart from what lies clear of it.
    const spans = bigSpans(big, bodyHeight);
    const clear = (p: Box): boolean => spans.every(([x0, x1]) => p.x0 >= x1 + bodyHeight || p.x1 <= x0 - bodyHeight);
    const beside = f.parts.filter(clear);
    if (beside.filter((p) => p.y1 - p.y0 >= 0.5 * bodyHeight).length < 6) {
      out.push(f);
      continue;
    }
    const asComponents = (parts: readonly Box[]): Component[] => parts.map((p) => ({ ...p, pixels: (p as Partial<Component>).pixels ?? 0 }));
    out.push(...buildFragments(asComponents(f.parts.filter((p) => !clear(p))), options), ...buildFragments(asComponents(beside), options));
  }
  return out;
}

/**
 * The spans across of large type in one fragment: its big parts joined while less than two body
 * glyphs of paper lie between them (the space between a headline's words is under one of its own
 * glyphs); further apart, body lines stand between them, and they are two headlines' type.
 */
function bigSpans(big: readonly Box[], bodyHeight: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const p of [...big].sort((a, b) => a.x0 - b.x0)) {
    const last = spans[spans.length - 1];
    if (last && p.x0 - last[1] < 2 * bodyHeight) last[1] = Math.max(last[1], p.x1);
    else spans.push([p.x0, p.x1]);
  }
  return spans;
}

/** The most common height of single glyphs (components about as wide as tall) in `fragments`. */
export function glyphHeight(fragments: readonly Fragment[], minGlyph: number): number {
  const heights: number[] = [];
  for (const f of fragments) {
    if (f.reversed) continue;
    for (const p of f.parts) {
      const h = p.y1 - p.y0;
      const w = p.x1 - p.x0;
      if (h >= 2 * minGlyph && w >= 0.7 * h && w <= 1.4 * h) heights.push(h);
    }
  }
  return median(heights);
}
