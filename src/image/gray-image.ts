/** One 8-bit grayscale image in memory: row-major, 0 = black, 255 = white. Passed between stages as is. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  /** Resolution in dots per inch (derived from page size and pixels for PDFs). */
  readonly dpi: number;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** [x, y, w, h] as written in the JSON contract. */
export type BBox = [number, number, number, number];

export function toBBox(r: Rect): BBox {
  return [Math.round(r.x), Math.round(r.y), Math.round(r.w), Math.round(r.h)];
}

export function cropGray(image: GrayImage, rect: Rect): GrayImage {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(image.width, Math.ceil(rect.x + rect.w));
  const y1 = Math.min(image.height, Math.ceil(rect.y + rect.h));
  const width = Math.max(0, x1 - x0);
  const height = Math.max(0, y1 - y0);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (y0 + y) * image.width + x0;
    data.set(image.data.subarray(from, from + width), y * width);
  }
  return { width, height, data, dpi: image.dpi };
}
