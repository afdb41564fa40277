/**
 * A reversed label set on a short dark box (观察, 链接: two glyphs white on black) is as tall as
 * headline type and about twice as wide as tall, too short for the bar test on its shape alone
 * (wider than 2.5 heights). What gives it away is its edge: the box is ink all round its rim, where
 * glyphs, even bold ones run together at low resolution, touch their box only here and there.
 */
import type { Component } from './components.js';
import type { InkMask } from './mask.js';

/** Share of a ring just inside the box that is ink, above which the box is solid to its rim. */
const SOLID_RIM = 0.8;

/** Whether `c` (a component of `mask`) is a dark box solid to its rim. */
export function solidToRim(mask: InkMask, c: Component): boolean {
  const inset = Math.max(1, Math.round(0.1 * (c.y1 - c.y0)));
  const x0 = c.x0 + inset;
  const y0 = c.y0 + inset;
  const x1 = c.x1 - 1 - inset;
  const y1 = c.y1 - 1 - inset;
  if (x1 <= x0 || y1 <= y0) return false;
  const { data, width } = mask;
  let ink = 0;
  let all = 0;
  for (let x = x0; x <= x1; x++) {
    ink += (data[y0 * width + x] ?? 0) + (data[y1 * width + x] ?? 0);
    all += 2;
  }
  for (let y = y0 + 1; y < y1; y++) {
    ink += (data[y * width + x0] ?? 0) + (data[y * width + x1] ?? 0);
    all += 2;
  }
  return ink >= SOLID_RIM * all;
}
