/**
 * Printed rules: long, thin, straight runs of ink. Rules separate stories and rows on a newspaper page,
 * so they are the strongest structural cue the page gives.
 */
import type { Box } from './geometry.js';
import type { InkMask } from './mask.js';

export interface Rule extends Box {
  readonly orientation: 'horizontal' | 'vertical';
}

export interface RuleOptions {
  /** Shortest run counted as a rule, px. */
  readonly minLength: number;
  /** Thickest a rule may be, px (thicker runs are photos, bars or bold strokes). */
  readonly maxThickness: number;
  /** Paper gaps bridged inside one rule (scan dropouts), px. */
  readonly maxGap: number;
}

interface Segment {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  lastRow: number;
}

/** Finds horizontal rules by scanning rows; vertical rules by scanning a transposed copy. */
export function findRules(mask: InkMask, options: RuleOptions): Rule[] {
  const horizontal = scanRows(mask.data, mask.width, mask.height, options).map(
    (s): Rule => ({ orientation: 'horizontal', x0: s.x0, x1: s.x1, y0: s.y0, y1: s.y1 }),
  );
  const transposed = transpose(mask.data, mask.width, mask.height);
  const vertical = scanRows(transposed, mask.height, mask.width, options).map(
    (s): Rule => ({ orientation: 'vertical', x0: s.y0, x1: s.y1, y0: s.x0, y1: s.x1 }),
  );
  return [...horizontal, ...vertical];
}

function transpose(data: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const tile = 64;
  for (let by = 0; by < height; by += tile) {
    for (let bx = 0; bx < width; bx += tile) {
      const ymax = Math.min(height, by + tile);
      const xmax = Math.min(width, bx + tile);
      for (let y = by; y < ymax; y++) {
        for (let x = bx; x < xmax; x++) out[x * height + y] = data[y * width + x] ?? 0;
      }
    }
  }
  return out;
}

function scanRows(data: Uint8Array, width: number, height: number, options: RuleOptions): Segment[] {
  const done: Segment[] = [];
  let active: Segment[] = [];
  for (let y = 0; y < height; y++) {
    const runs = longRuns(data, y * width, width, options.minLength, options.maxGap);
    const next: Segment[] = [];
    for (const [r0, r1] of runs) {
      let host: Segment | undefined;
      for (const s of active) {
        const ov = Math.min(s.x1, r1) - Math.max(s.x0, r0);
        if (ov > 0.5 * Math.min(s.x1 - s.x0, r1 - r0)) {
          host = s;
          break;
        }
      }
      if (host && !next.includes(host)) {
        host.x0 = Math.min(host.x0, r0);
        host.x1 = Math.max(host.x1, r1);
        host.y1 = y + 1;
        host.lastRow = y;
        next.push(host);
      } else if (!host) {
        next.push({ x0: r0, x1: r1, y0: y, y1: y + 1, lastRow: y });
      }
    }
    for (const s of active) if (!next.includes(s)) done.push(s);
    active = next;
  }
  done.push(...active);
  return done.filter((s) => s.y1 - s.y0 <= options.maxThickness);
}

function longRuns(data: Uint8Array, offset: number, width: number, minLength: number, maxGap: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let start = -1;
  let lastInk = -1;
  for (let x = 0; x < width; x++) {
    if (data[offset + x] === 1) {
      if (start < 0) start = x;
      else if (x - lastInk - 1 > maxGap) {
        if (lastInk + 1 - start >= minLength) runs.push([start, lastInk + 1]);
        start = x;
      }
      lastInk = x;
    }
  }
  if (start >= 0 && lastInk + 1 - start >= minLength) runs.push([start, lastInk + 1]);
  return runs;
}
