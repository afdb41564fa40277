/**
 * Page segmentation by rules: a recursive XY cut that splits a region at every rule running across
 * (nearly) all of it. On a newspaper page this yields the story blocks in reading order: rows top to
 * bottom, inside a row left to right, stacked blocks top to bottom.
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
  out.push(region);
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

function splitAt(region: Box, spans: ReadonlyArray<readonly [number, number, ...number[]]>, orientation: Rule['orientation']): Box[] {
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
