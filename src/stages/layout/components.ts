/** Connected components (8-connected) of an ink mask inside a rectangle: bounding boxes and pixel counts. */
import type { Box } from '../../image/geometry.js';
import type { InkMask } from './mask.js';

export interface Component extends Box {
  readonly pixels: number;
}

/**
 * Run-based labelling: each row's runs of ink get a label, a run joins the runs of the row above
 * that touch it (8-connected: overlapping or diagonal), and a union-find keeps the labels of one
 * component together. A broadsheet page has 24 million pixels but a few hundred thousand runs, so
 * the per-pixel work is one scan for runs. Components come out in raster order of their first pixel.
 */
export function connectedComponents(mask: InkMask, region: Box): Component[] {
  const x0 = Math.max(0, region.x0);
  const y0 = Math.max(0, region.y0);
  const x1 = Math.min(mask.width, region.x1);
  const y1 = Math.min(mask.height, region.y1);
  if (x1 <= x0 || y1 <= y0) return [];
  const src = mask.data;
  const mw = mask.width;

  let capacity = 4096;
  let runStart = new Int32Array(capacity);
  let runEnd = new Int32Array(capacity);
  let runRow = new Int32Array(capacity);
  let parent = new Int32Array(capacity);
  let runs = 0;
  const find = (a: number): number => {
    let r = a;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[a] !== r) {
      const n = parent[a]!;
      parent[a] = r;
      a = n;
    }
    return r;
  };
  const grow = (): void => {
    capacity *= 2;
    const more = (old: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const next = new Int32Array(capacity);
      next.set(old);
      return next;
    };
    runStart = more(runStart);
    runEnd = more(runEnd);
    runRow = more(runRow);
    parent = more(parent);
  };

  let above = 0; // first run of the previous row
  let aboveEnd = 0;
  for (let y = y0; y < y1; y++) {
    const rowStart = runs;
    const base = y * mw;
    let k = above;
    for (let x = x0; x < x1; x++) {
      if (src[base + x] !== 1) continue;
      const s = x;
      while (x < x1 && src[base + x] === 1) x++;
      if (runs >= capacity) grow();
      const run = runs++;
      runStart[run] = s;
      runEnd[run] = x;
      runRow[run] = y;
      parent[run] = run;
      // Runs above that touch [s - 1, x]: they are sorted by start, so skip those ending before s - 1.
      while (k < aboveEnd && runEnd[k]! < s) k++;
      for (let j = k; j < aboveEnd && runStart[j]! <= x; j++) {
        const a = find(j);
        const b = find(run);
        if (a !== b) {
          if (a < b) parent[b] = a;
          else parent[a] = b;
        }
      }
    }
    above = rowStart;
    aboveEnd = runs;
  }

  const minX = new Int32Array(runs).fill(2147483647);
  const minY = new Int32Array(runs).fill(2147483647);
  const maxX = new Int32Array(runs).fill(-1);
  const maxY = new Int32Array(runs).fill(-1);
  const count = new Int32Array(runs);
  for (let run = 0; run < runs; run++) {
    const r = find(run);
    const s = runStart[run]!;
    const e = runEnd[run]!;
    const y = runRow[run]!;
    if (s < minX[r]!) minX[r] = s;
    if (e - 1 > maxX[r]!) maxX[r] = e - 1;
    if (y < minY[r]!) minY[r] = y;
    if (y > maxY[r]!) maxY[r] = y;
    count[r]! += e - s;
  }
  const out: Component[] = [];
  for (let r = 0; r < runs; r++) {
    if (count[r] === 0 || parent[r] !== r) continue;
    out.push({ x0: minX[r]!, y0: minY[r]!, x1: maxX[r]! + 1, y1: maxY[r]! + 1, pixels: count[r]! });
  }
  return out;
}
