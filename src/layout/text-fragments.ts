/**
 * Fragments from a PDF text layer (born-digital pages): each text run becomes a fragment whose parts
 * are its characters, so the layout code treats typeset text exactly like glyphs found in a scan.
 */
import type { TextLayerItem } from '../stages/raster-types.js';
import type { Box } from './geometry.js';
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
            ? { x0: item.x + offset, y0: item.y, x1: item.x + offset + step, y1: item.y + item.h }
            : { x0: item.x, y0: item.y + offset, x1: item.x + item.w, y1: item.y + offset + step },
        );
      }
      offset += step;
    }
    out.push({ x0: item.x, y0: item.y, x1: item.x + item.w, y1: item.y + item.h, height: item.h, glyphs: chars.length, reversed: false, parts });
  }
  return out;
}
