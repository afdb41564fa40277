/**
 * Page segmentation by rules and gutters: a recursive XY cut that splits a region at every rule
 * running across (nearly) all of it, and, where no rule does, at a whitespace gutter running down
 * all of it that is wider than the gutters between the columns of one story. On a newspaper page
 * this yields the story blocks in reading order: rows top to bottom, inside a row left to right,
 * stacked blocks top to bottom.
 *
 * Why an XY cut for reading order (and not a graph over blocks): Chinese broadsheets are set in
 * rectangular story modules; every story boundary is a rule or a gutter that runs across its whole
 * module, so the recursive cut recovers the modules and their nesting, and its order (a row before
 * what is under it, left before right) is the print's reading order. Irregular shapes inside a
 * module (a headline over some columns, a photo beside a column) are the block analysis's job, not
 * the segmentation's. A page set without rules (real scans: thin rules only around some stories,
 * whitespace elsewhere) still cuts, at its gutters; the gutter width is measured in body glyphs.
 */
import type { Box } from '../../image/geometry.js';
import { boxHeight, boxWidth, overlap1d } from '../../image/geometry.js';
import { hasInk, type InkMask } from './mask.js';
import type { Rule } from './rules.js';

export interface SegmentOptions {
  /** Share of a region's extent a rule must cover to cut it. */
  readonly coverage: number;
  /** Rules this close to a region's edge are its border, not a cut, px. */
  readonly edgeMargin: number;
  /** Regions with fewer ink pixels than this are dropped (the sliver between a double rule). */
  readonly minInk: number;
  /**
   * A blank band at least this wide running down a whole region that no rule cuts splits it, px
   * (0 or absent = rules only). Set above the gutter between the columns of one story.
   */
  readonly minGutter?: number;
  /** Regions ending above this y are not cut at gutters (the masthead band is read as a whole). */
  readonly guttersBelow?: number;
}

export function segmentByRules(region: Box, rules: readonly Rule[], ink: InkMask, options: SegmentOptions): Box[] {
  const out: Box[] = [];
  cut(region, rules, ink, options, out, 0);
  return out;
}

function cut(whole: Box, rules: readonly Rule[], ink: InkMask, options: SegmentOptions, out: Box[], depth: number): void {
  if (!hasInk(ink, whole.x0, whole.y0, whole.x1, whole.y1, options.minInk)) return;
  // Rules are measured against what is printed in the region, not against empty paper around it.
  const region = shrinkToInk(whole, ink);
  if (depth > 40) {
    out.push(region);
    return;
  }
  const vertical = cutsAcross(region, rules, 'vertical', options);
  // A horizontal rule that stops short of a vertical rule running down the region belongs to one side
  // of it (a stacked slot): cut vertically first, or the story beside it would be cut in two.
  const horizontal = cutsAcross(region, rules, 'horizontal', options).filter(
    ([, , x0, x1]) => !vertical.some(([v0, v1]) => v1 <= x0 + options.edgeMargin || v0 >= x1 - options.edgeMargin),
  );
  if (horizontal.length > 0) {
    for (const part of splitAt(region, horizontal, 'horizontal')) cut(part, rules, ink, options, out, depth + 1);
    return;
  }
  if (vertical.length > 0) {
    for (const part of splitAt(region, vertical, 'vertical')) cut(part, rules, ink, options, out, depth + 1);
    return;
  }
  const gutters = options.minGutter && region.y1 > (options.guttersBelow ?? 0) ? blankBands(region, ink, options.minGutter, 'vertical') : [];
  if (gutters.length > 0) {
    for (const part of splitAt(region, gutters, 'vertical')) cut(part, rules, ink, options, out, depth + 1);
    return;
  }
  out.push(region);
}

/**
 * Blank bands at least `minWidth` wide running across all of `region` (vertical: x-bands running
 * down it; horizontal: y-bands running across it), away from its edges. A band may hold a few specks
 * (dust, JPEG noise): a line of the band counts as blank when at most one pixel in 200 of it is ink.
 */
export function blankBands(region: Box, ink: InkMask, minWidth: number, orientation: Rule['orientation']): Array<[number, number]> {
  const vertical = orientation === 'vertical';
  const along = vertical ? boxHeight(region) : boxWidth(region);
  const counts = new Int32Array(vertical ? boxWidth(region) : boxHeight(region));
  const { data, width } = ink;
  for (let y = region.y0; y < region.y1; y++) {
    const row = y * width;
    if (vertical) {
      for (let x = region.x0; x < region.x1; x++) if (data[row + x] === 1) counts[x - region.x0]! += 1;
    } else {
      let n = 0;
      for (let x = region.x0; x < region.x1; x++) if (data[row + x] === 1) n++;
      counts[y - region.y0] = n;
    }
  }
  const tolerance = Math.floor(along / 200);
  const origin = vertical ? region.x0 : region.y0;
  const bands: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= counts.length; i++) {
    const blank = i < counts.length && (counts[i] ?? 0) <= tolerance;
    if (blank && start < 0) start = i;
    if (!blank && start >= 0) {
      // Bands touching the region's edge are margin (the region is shrunk to its ink, so rarely).
      if (i - start >= minWidth && start > 0 && i < counts.length) bands.push([origin + start, origin + i]);
      start = -1;
    }
  }
  return bands;
}

/** Rules that cut `region`: [start, end] across the cut, then the rule's extent along it. */
function cutsAcross(region: Box, rules: readonly Rule[], orientation: Rule['orientation'], options: SegmentOptions): Array<[number, number, number, number]> {
  const spans: Array<[number, number, number, number]> = [];
  for (const r of rules) {
    if (r.orientation !== orientation) continue;
    if (orientation === 'horizontal') {
      if (r.y0 < region.y0 + options.edgeMargin || r.y1 > region.y1 - options.edgeMargin) continue;
      if (overlap1d(r.x0, r.x1, region.x0, region.x1) < options.coverage * boxWidth(region)) continue;
      spans.push([r.y0, r.y1, r.x0, r.x1]);
    } else {
      if (r.x0 < region.x0 + options.edgeMargin || r.x1 > region.x1 - options.edgeMargin) continue;
      if (overlap1d(r.y0, r.y1, region.y0, region.y1) < options.coverage * boxHeight(region)) continue;
      spans.push([r.x0, r.x1, r.y0, r.y1]);
    }
  }
  return spans.sort((a, b) => a[0] - b[0]);
}

export function splitAt(region: Box, spans: ReadonlyArray<readonly [number, number, ...number[]]>, orientation: Rule['orientation']): Box[] {
  const parts: Box[] = [];
  let from = orientation === 'horizontal' ? region.y0 : region.x0;
  for (const [a, b] of spans) {
    if (a > from) parts.push(orientation === 'horizontal' ? { ...region, y0: from, y1: a } : { ...region, x0: from, x1: a });
    from = Math.max(from, b);
  }
  const end = orientation === 'horizontal' ? region.y1 : region.x1;
  if (end > from) parts.push(orientation === 'horizontal' ? { ...region, y0: from, y1: end } : { ...region, x0: from, x1: end });
  return parts;
}

/** Trims paper margins so a block's box is the box of its ink. */
export function shrinkToInk(region: Box, ink: InkMask): Box {
  let { x0, y0, x1, y1 } = region;
  while (y0 < y1 && !hasInk(ink, x0, y0, x1, y0 + 1)) y0++;
  while (y1 > y0 && !hasInk(ink, x0, y1 - 1, x1, y1)) y1--;
  while (x0 < x1 && !hasInk(ink, x0, y0, x0 + 1, y1)) x0++;
  while (x1 > x0 && !hasInk(ink, x1 - 1, y0, x1, y1)) x1--;
  return { x0, y0, x1, y1 };
}
