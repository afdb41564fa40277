/**
 * Fragments from a PDF text layer (born-digital pages): each text run becomes a fragment whose parts
 * are its characters, so the layout code treats typeset text exactly like glyphs found in a scan.
 */
import type { TextLayerItem } from '../rasterise/index.js';
import type { Box } from '../../image/geometry.js';
import type { Fragment } from './lines.js';

export function fragmentsFromTextLayer(items: readonly TextLayerItem[]): Fragment[] {
  const out: Fragment[] = [];
  for (const item of items) {
    const chars = [...item.text.replace(/\s+/gu, '')];
    if (chars.length === 0) continue;
    const horizontal = item.w >= item.h || chars.length === 1;
    const step = (horizontal ? item.w : item.h) / [...item.text].length;
    const parts: Box[] = [];
    let offset = 0;
    for (const ch of item.text) {
      if (!/\s/u.test(ch)) {
        parts.push(
          horizontal
            ? pixelBox(item.x + offset, item.y, item.x + offset + step, item.y + item.h)
            : pixelBox(item.x, item.y + offset, item.x + item.w, item.y + offset + step),
        );
      }
      offset += step;
    }
    const box = pixelBox(item.x, item.y, item.x + item.w, item.y + item.h);
    out.push({ ...box, height: box.y1 - box.y0, glyphs: chars.length, reversed: false, parts });
  }
  return out;
}

/** Layout works on whole pixels (coverage histograms are indexed by them). */
function pixelBox(x0: number, y0: number, x1: number, y1: number): Box {
  return { x0: Math.floor(x0), y0: Math.floor(y0), x1: Math.max(Math.floor(x0) + 1, Math.round(x1)), y1: Math.max(Math.floor(y0) + 1, Math.round(y1)) };
}
