/** Connected components (8-connected) of an ink mask inside a rectangle: bounding boxes and pixel counts. */
import type { Box } from './geometry.js';
import type { InkMask } from './mask.js';

export interface Component extends Box {
  readonly pixels: number;
}

export function connectedComponents(mask: InkMask, region: Box): Component[] {
  const x0 = Math.max(0, region.x0);
  const y0 = Math.max(0, region.y0);
  const x1 = Math.min(mask.width, region.x1);
  const y1 = Math.min(mask.height, region.y1);
  const w = x1 - x0;
  const h = y1 - y0;
  if (w <= 0 || h <= 0) return [];
  const labels = new Int32Array(w * h);
  const parent: number[] = [0];
  const find = (a: number): number => {
    let r = a;
    while (parent[r] !== r) r = parent[r] ?? r;
    let c = a;
    while (parent[c] !== r) {
      const next = parent[c] ?? r;
      parent[c] = r;
      c = next;
    }
    return r;
  };
  const unite = (a: number, b: number): number => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return ra;
    if (ra < rb) {
      parent[rb] = ra;
      return ra;
    }
    parent[ra] = rb;
    return rb;
  };
  const src = mask.data;
  const mw = mask.width;
  for (let y = 0; y < h; y++) {
    const srcRow = (y0 + y) * mw + x0;
    for (let x = 0; x < w; x++) {
      if (src[srcRow + x] !== 1) continue;
      const i = y * w + x;
      let label = 0;
      const consider = (j: number): void => {
        const l = labels[j] ?? 0;
        if (l === 0) return;
        label = label === 0 ? l : unite(label, l);
      };
      if (x > 0) consider(i - 1);
      if (y > 0) {
        const up = i - w;
        if (x > 0) consider(up - 1);
        consider(up);
        if (x < w - 1) consider(up + 1);
      }
      if (label === 0) {
        label = parent.length;
        parent.push(label);
      }
      labels[i] = label;
    }
  }
  const boxes = new Map<number, { x0: number; y0: number; x1: number; y1: number; pixels: number }>();
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const l = labels[y * w + x] ?? 0;
      if (l === 0) continue;
      const root = find(l);
      const b = boxes.get(root);
      if (b) {
        if (x + x0 < b.x0) b.x0 = x + x0;
        if (x + x0 + 1 > b.x1) b.x1 = x + x0 + 1;
        if (y + y0 + 1 > b.y1) b.y1 = y + y0 + 1;
        b.pixels++;
      } else {
        boxes.set(root, { x0: x + x0, y0: y + y0, x1: x + x0 + 1, y1: y + y0 + 1, pixels: 1 });
      }
    }
  }
  return [...boxes.values()];
}
