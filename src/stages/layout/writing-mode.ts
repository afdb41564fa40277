/**
 * Which way a block's text runs, and the glyph cells of text set top to bottom (竖排).
 *
 * Chinese type is set with more space between lines than between the glyphs along a line, in
 * either direction: so the side on which a glyph's nearest neighbour sits is the way the text runs.
 * Measured from whole glyphs to whatever ink is next to them, in units of the body glyph height,
 * so a glyph split into parts (左右, 上下 structures) does not read as a line break.
 */
import type { Box } from '../../image/geometry.js';
import { median, overlap1d } from '../../image/geometry.js';
import type { LayoutLine, BodyColumn } from './types.js';

export type WritingMode = 'horizontal-tb' | 'vertical-rl';

/** Fewer whole glyphs than this, with neighbours below them, and there is no telling: horizontal. */
const MIN_GLYPHS = 8;
/** Neighbours further than this many glyph heights are across a gutter, not on the same text. */
const NEIGHBOUR_REACH = 2;

export function writingModeOf(parts: readonly Box[], bodyHeight: number): WritingMode {
  if (bodyHeight <= 0) return 'horizontal-tb';
  const ink = parts.filter((p) => Math.max(p.x1 - p.x0, p.y1 - p.y0) >= 0.3 * bodyHeight);
  const whole = ink.filter((p) => isWholeGlyph(p, bodyHeight));
  const across: number[] = [];
  const down: number[] = [];
  const reach = NEIGHBOUR_REACH * bodyHeight;
  for (const g of whole) {
    let right = Infinity;
    let below = Infinity;
    for (const o of ink) {
      if (o === g) continue;
      if (o.x0 >= g.x1 && overlap1d(g.y0, g.y1, o.y0, o.y1) >= 0.5 * Math.min(g.y1 - g.y0, o.y1 - o.y0)) right = Math.min(right, o.x0 - g.x1);
      if (o.y0 >= g.y1 && overlap1d(g.x0, g.x1, o.x0, o.x1) >= 0.5 * Math.min(g.x1 - g.x0, o.x1 - o.x0)) below = Math.min(below, o.y0 - g.y1);
    }
    if (right <= reach) across.push(right);
    if (below <= reach) down.push(below);
  }
  if (down.length < MIN_GLYPHS) return 'horizontal-tb';
  // A single column of vertical text has no neighbour across at all: as far as a gutter.
  const acrossGap = across.length >= MIN_GLYPHS ? median(across) : reach;
  return median(down) < 0.5 * acrossGap ? 'vertical-rl' : 'horizontal-tb';
}

/**
 * The columns of vertical body text, right to left, each as its glyph cells top to bottom: a cell
 * is read as a line of one glyph, so the recogniser and the assembly need nothing new.
 */
export function verticalColumns(parts: readonly Box[], bodyHeight: number): BodyColumn[] {
  const ink = parts.filter((p) => Math.max(p.x1 - p.x0, p.y1 - p.y0) >= 0.15 * bodyHeight);
  const columns = inkRuns(
    ink.map((p): [number, number] => [p.x0, p.x1]),
    0.25 * bodyHeight,
  );
  const out: BodyColumn[] = [];
  for (const [x0, x1] of columns.reverse()) {
    const inColumn = ink.filter((p) => (p.x0 + p.x1) / 2 >= x0 && (p.x0 + p.x1) / 2 < x1);
    const lines = glyphCells(inColumn, x0, x1, bodyHeight);
    if (lines.length === 0) continue;
    out.push({ box: { x0, y0: lines[0]!.y0, x1, y1: lines[lines.length - 1]!.y1 }, lines });
  }
  return out;
}

function isWholeGlyph(p: Box, bodyHeight: number): boolean {
  const w = p.x1 - p.x0;
  const h = p.y1 - p.y0;
  return w >= 0.6 * bodyHeight && h >= 0.6 * bodyHeight && w <= 1.6 * bodyHeight && h <= 1.6 * bodyHeight;
}

/** Covered intervals of a set of spans, joined across gaps narrower than `join`. */
function inkRuns(spans: ReadonlyArray<readonly [number, number]>, join: number): Array<[number, number]> {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const runs: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = runs[runs.length - 1];
    if (last && a - last[1] < join) last[1] = Math.max(last[1], b);
    else runs.push([a, b]);
  }
  return runs;
}

/**
 * Glyph cells down one column. Glyphs are about as tall as the column is wide: ink runs are joined
 * while they fit in one such cell (the parts of 二 or 旦), and a run of touching glyphs is cut at
 * that pitch.
 */
function glyphCells(parts: readonly Box[], x0: number, x1: number, bodyHeight: number): LayoutLine[] {
  const pitch = Math.max(x1 - x0, 0.6 * bodyHeight);
  const runs = inkRuns(
    parts.map((p): [number, number] => [p.y0, p.y1]),
    1,
  );
  const cells: Array<[number, number]> = [];
  for (const [y0, y1] of runs) {
    const last = cells[cells.length - 1];
    if (last && y1 - last[0] <= 1.15 * pitch) {
      last[1] = y1;
      continue;
    }
    const count = Math.max(1, Math.round((y1 - y0) / pitch));
    for (let i = 0; i < count; i++) cells.push([y0 + Math.round(((y1 - y0) * i) / count), y0 + Math.round(((y1 - y0) * (i + 1)) / count)]);
  }
  return cells.map(([y0, y1]) => ({ x0, y0, x1, y1, glyphHeight: y1 - y0, reversed: false }));
}
