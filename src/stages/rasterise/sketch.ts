/**
 * A sketch of a born-digital page, drawn from its vector content instead of rendering it (rendering
 * a publisher's PDF with pattern-filled photos costs seconds and gigabytes): rules and bars as they
 * are printed, pictures as mid-gray areas, text runs as grids of dots. Layout analysis finds rules,
 * pictures and story blocks on it as on a scan; the text itself comes from the text layer.
 */
import type { GrayImage } from '../../image/gray-image.js';
import type { TextLayerItem } from './types.js';
import { apply, type Matrix } from './text-layer.js';

export interface SketchArea {
  /** Bounds in PDF user space. */
  readonly bounds: readonly [number, number, number, number];
  /** Gray level of a plain colour; undefined for a picture (image, pattern, shading). */
  readonly gray: number | undefined;
  /** Stroked, not filled: only its outline is printed. */
  readonly stroked?: boolean;
}

const PICTURE_GRAY = 120;
/** Lighter plain fills (page and box backgrounds) are paper, not print. */
const LIGHTEST_PRINT = 200;

export function sketchPage(areas: readonly SketchArea[], text: readonly TextLayerItem[], userToPixel: Matrix, width: number, height: number, dpi: number): GrayImage {
  const data = new Uint8Array(width * height).fill(255);
  const fill = (x0: number, y0: number, x1: number, y1: number, gray: number): void => {
    const ax = Math.max(0, Math.floor(x0));
    const ay = Math.max(0, Math.floor(y0));
    const bx = Math.min(width, Math.max(ax + 1, Math.round(x1)));
    const by = Math.min(height, Math.max(ay + 1, Math.round(y1)));
    for (let y = ay; y < by; y++) data.fill(gray, y * width + ax, y * width + bx);
  };
  for (const area of areas) {
    const [ux0, uy0, ux1, uy1] = area.bounds;
    const [px0, py0] = apply(userToPixel, ux0, uy0);
    const [px1, py1] = apply(userToPixel, ux1, uy1);
    const x0 = Math.min(px0, px1);
    const x1 = Math.max(px0, px1);
    const y0 = Math.min(py0, py1);
    const y1 = Math.max(py0, py1);
    if (x1 - x0 >= 0.95 * width && y1 - y0 >= 0.95 * height) continue; // the page background
    if (area.gray === undefined) fill(x0, y0, x1, y1, PICTURE_GRAY);
    else if (area.gray >= LIGHTEST_PRINT) continue;
    else if (area.stroked) {
      fill(x0, y0, x1, y0 + 1, area.gray);
      fill(x0, y1 - 1, x1, y1, area.gray);
      fill(x0, y0, x0 + 1, y1, area.gray);
      fill(x1 - 1, y0, x1, y1, area.gray);
    } else fill(x0, y0, x1, y1, area.gray);
  }
  // Text runs as a grid of dots (every third column, every second row): ink for the layout to see,
  // never a horizontal run long enough to pass for a rule nor dense enough to pass for a picture.
  for (const item of text) {
    const x0 = Math.max(0, Math.ceil(item.x / 3) * 3);
    const x1 = Math.min(width, Math.round(item.x + item.w));
    const y0 = Math.max(0, Math.ceil(item.y / 2) * 2);
    const y1 = Math.min(height, Math.round(item.y + item.h));
    for (let y = y0; y < y1; y += 2) for (let x = x0; x < x1; x += 3) data[y * width + x] = 0;
  }
  return { width, height, data, dpi };
}
