/**
 * Reading a region from a born-digital page's text layer instead of recognising its pixels: the runs
 * whose centre lies in the region, grouped into lines top to bottom and read left to right.
 */
import { overlap1d } from '../../image/geometry.js';
import type { TextLayerItem } from '../rasterise/index.js';
import type { RegionReader, TextLine } from './recognise.js';

export function textLayerReader(items: readonly TextLayerItem[], pad: number): RegionReader {
  return async (box, mode, within) => {
    const area = {
      x0: Math.max(within.x0, box.x0 - pad),
      y0: Math.max(within.y0, box.y0 - pad),
      x1: Math.min(within.x1, box.x1 + pad),
      y1: Math.min(within.y1, box.y1 + pad),
    };
    const inside = items.filter((i) => {
      const cx = i.x + i.w / 2;
      const cy = i.y + i.h / 2;
      return cx >= area.x0 && cx < area.x1 && cy >= area.y0 && cy < area.y1;
    });
    const rows: TextLayerItem[][] = [];
    for (const item of [...inside].sort((a, b) => a.y - b.y)) {
      const row = rows.find((r) => r.some((o) => overlap1d(o.y, o.y + o.h, item.y, item.y + item.h) > 0.5 * Math.min(o.h, item.h)));
      if (row) row.push(item);
      else rows.push([item]);
    }
    const lines = rows.map((row): TextLine => {
      const sorted = [...row].sort((a, b) => a.x - b.x);
      return {
        text: sorted.map((i) => i.text).join(''),
        box: {
          x0: Math.min(...sorted.map((i) => i.x)),
          y0: Math.min(...sorted.map((i) => i.y)),
          x1: Math.max(...sorted.map((i) => i.x + i.w)),
          y1: Math.max(...sorted.map((i) => i.y + i.h)),
        },
        confidence: 1,
        indented: false,
      };
    });
    lines.sort((a, b) => a.box.y0 - b.box.y0);
    if (mode === 'line' && lines.length > 1) {
      return [{ ...lines[0]!, text: lines.map((l) => l.text).join(''), box: { x0: Math.min(...lines.map((l) => l.box.x0)), y0: Math.min(...lines.map((l) => l.box.y0)), x1: Math.max(...lines.map((l) => l.box.x1)), y1: Math.max(...lines.map((l) => l.box.y1)) } }];
    }
    return lines;
  };
}
