/**
 * Printed rules: long, thin, straight runs of ink. Rules separate stories and rows on a newspaper page,
 * so they are the strongest structural cue the page gives.
 */
import type { Box } from '../../image/geometry.js';
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
  /**
   * Paper gaps bridged inside a vertical rule, px: a dashed or dotted rule between two stories set
   * side by side. Not across: along a text line the gaps between glyphs are that small too.
   * Default: maxGap.
   */
  readonly maxDashGap?: number;
}

interface Segment {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  lastRow: number;
}

/** Finds horizontal rules by scanning rows, vertical rules by scanning columns. */
export function findRules(mask: InkMask, options: RuleOptions): Rule[] {
  const { data, width, height } = mask;
  const horizontal = joinRuns(height, (y) => longRuns(data, y * width, width, options.minLength, options.maxGap), options).map(
    (s): Rule => ({ orientation: 'horizontal', x0: s.x0, x1: s.x1, y0: s.y0, y1: s.y1 }),
  );
  const columns = columnRuns(mask, options.minLength, Math.max(options.maxGap, options.maxDashGap ?? 0));
  const vertical = joinRuns(width, (x) => columns[x] ?? [], options).map(
    (s): Rule => ({ orientation: 'vertical', x0: s.y0, x1: s.y1, y0: s.x0, y1: s.x1 }),
  );
  return [...horizontal, ...vertical];
}

/**
 * Joins the long runs of consecutive lines (rows, or columns) into segments. `runsOf(i)` gives line
 * i's runs along it; a segment's x spans along the lines and its y across them.
 */
function joinRuns(lines: number, runsOf: (line: number) => ReadonlyArray<readonly [number, number]>, options: RuleOptions): Segment[] {
  const done: Segment[] = [];
  let active: Segment[] = [];
  for (let y = 0; y < lines; y++) {
    const runs = runsOf(y);
    if (runs.length === 0 && active.length === 0) continue;
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

/**
 * The long runs of every column, as longRuns finds them along a row, in one pass over the rows
 * (the mask is stored by rows: reading it down each column, or transposing it, costs more).
 */
function columnRuns(mask: InkMask, minLength: number, maxGap: number): Array<Array<[number, number]>> {
  const { data, width, height } = mask;
  const start = new Int32Array(width).fill(-1);
  const lastInk = new Int32Array(width).fill(-1);
  const runs: Array<Array<[number, number]>> = [];
  const close = (x: number): void => {
    const s = start[x]!;
    const end = lastInk[x]! + 1;
    if (s >= 0 && end - s >= minLength) (runs[x] ??= []).push([s, end]);
  };
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (data[row + x] !== 1) continue;
      if (start[x]! < 0) start[x] = y;
      else if (y - lastInk[x]! - 1 > maxGap) {
        close(x);
        start[x] = y;
      }
      lastInk[x] = y;
    }
  }
  for (let x = 0; x < width; x++) close(x);
  return runs;
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

/**
 * Frames: four rules closing a rectangle (a boxed story, a box of notices). A frame groups what
 * is inside it. Rules meet within `tolerance` px at the corners.
 */
export function findFrames(rules: readonly Rule[], tolerance: number): Box[] {
  const horizontal = rules.filter((r) => r.orientation === 'horizontal');
  const vertical = rules.filter((r) => r.orientation === 'vertical').sort((a, b) => a.x0 - b.x0);
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= tolerance;
  const frames: Box[] = [];
  for (let i = 0; i < vertical.length; i++) {
    const left = vertical[i]!;
    for (let j = i + 1; j < vertical.length; j++) {
      const right = vertical[j]!;
      if (right.x0 - left.x1 < 2 * tolerance || !near(left.y0, right.y0) || !near(left.y1, right.y1)) continue;
      const edge = (y: number): boolean => horizontal.some((h) => near((h.y0 + h.y1) / 2, y) && near(h.x0, left.x0) && near(h.x1, right.x1));
      if (!edge(left.y0) || !edge(left.y1)) continue;
      frames.push({ x0: left.x0, y0: Math.min(left.y0, right.y0), x1: right.x1, y1: Math.max(left.y1, right.y1) });
      break;
    }
  }
  return frames;
}
