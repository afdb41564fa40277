/**
 * Photos and other pictures: large areas where almost no pixel is paper. Text, even bold headline
 * text, leaves most of any area of a few characters' size as paper.
 */
import type { GrayImage } from '../../image/gray-image.js';
import type { Box } from '../../image/geometry.js';

export interface PhotoOptions {
  /** Grid cell size, px. */
  readonly cell: number;
  /** Smallest photo side, px. */
  readonly minSide: number;
  /**
   * The scan was bilevel (1-bit): a picture's light tones are sparse dots that dense cells miss, so
   * pictures grow through such texture. Default false.
   */
  readonly bilevelSource?: boolean;
  /**
   * Light tones (sky, a white shirt) are not dense either on a low-resolution gray scan, whose
   * photos are small: grow through texture there too. Default false.
   */
  readonly growLightTones?: boolean;
  /**
   * The ink mask's threshold: a flat shade lighter than it around a dense area's rim is a tint,
   * not a picture (see tintLevel). Absent: no tints are looked for.
   */
  readonly inkThreshold?: number;
}

export function findPhotos(image: GrayImage, paperLevel: number, options: PhotoOptions): Box[] {
  return findPictures(image, paperLevel, options).photos;
}

/** A tinted box and the gray level of its tint. */
export interface Tint extends Box {
  readonly level: number;
}

/** Photos, and the tinted boxes that a dense area turned out to be (see tintLevel). */
export function findPictures(image: GrayImage, paperLevel: number, options: PhotoOptions): { photos: Box[]; tints: Tint[] } {
  const page = { x0: 0, y0: 0, x1: image.width, y1: image.height };
  const photos: Box[] = [];
  const tints: Tint[] = [];
  for (const box of denseAreas(image, page, paperLevel, options)) {
    const level = options.inkThreshold === undefined ? undefined : tintLevel(image, box, options.inkThreshold);
    if (level === undefined) {
      photos.push(box);
      continue;
    }
    // A tinted box is paper of another shade: its pictures are what is dense against the tint.
    tints.push({ ...box, level });
    photos.push(...denseAreas(image, box, level, options));
  }
  return { photos, tints };
}

/** Share of a box's rim that stands within TINT_SPREAD gray levels of one level, above which that level is a tint. */
const TINT_SHARE = 0.5;
/** Gray levels either side of a tint's level that its pixels fall in (scan noise, JPEG). */
const TINT_SPREAD = 6;

/**
 * The gray level of a tinted box (a story set on a light gray screen, 底纹), or undefined when `box`
 * is a picture. A tint is one flat light shade all round the box's rim (its margin around the
 * text), light enough that the ink mask takes it for paper; a picture's rim is of many tones, or
 * dark.
 */
function tintLevel(image: GrayImage, box: Box, inkThreshold: number): number | undefined {
  const margin = Math.max(2, Math.round(0.05 * Math.min(box.x1 - box.x0, box.y1 - box.y0)));
  const hist = new Uint32Array(256);
  let n = 0;
  for (let y = box.y0; y < box.y1; y += 2) {
    const row = y * image.width;
    const rimRow = y < box.y0 + margin || y >= box.y1 - margin;
    for (let x = box.x0; x < box.x1; x += 2) {
      if (!rimRow && x >= box.x0 + margin && x < box.x1 - margin) x = box.x1 - margin;
      hist[image.data[row + x] ?? 255]!++;
      n++;
    }
  }
  let mode = 0;
  for (let v = 1; v < 256; v++) if (hist[v]! > hist[mode]!) mode = v;
  let near = 0;
  for (let v = Math.max(0, mode - TINT_SPREAD); v <= Math.min(255, mode + TINT_SPREAD); v++) near += hist[v]!;
  return n > 0 && mode >= inkThreshold && near >= TINT_SHARE * n ? mode : undefined;
}

/** Areas of `within` where almost no pixel is as light as `paperLevel`, refined to the pixel. */
function denseAreas(image: GrayImage, within: Box, paperLevel: number, options: PhotoOptions): Box[] {
  const { cell, minSide } = options;
  const ox = within.x0;
  const oy = within.y0;
  const gw = Math.ceil((within.x1 - ox) / cell);
  const gh = Math.ceil((within.y1 - oy) / cell);
  const dense = new Uint8Array(gw * gh);
  const nonPaper = paperLevel - 25;
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      let dark = 0;
      let total = 0;
      const ymax = Math.min(within.y1, oy + (gy + 1) * cell);
      const xmax = Math.min(within.x1, ox + (gx + 1) * cell);
      for (let y = oy + gy * cell; y < ymax; y += 2) {
        const row = y * image.width;
        for (let x = ox + gx * cell; x < xmax; x += 2) {
          total++;
          if ((image.data[row + x] ?? 255) < nonPaper) dark++;
        }
      }
      if (total > 0 && dark / total >= 0.85) dense[gy * gw + gx] = 1;
    }
  }
  // Close one-cell holes (a light patch in a photo) before grouping.
  const closed = new Uint8Array(dense);
  for (let gy = 1; gy < gh - 1; gy++) {
    for (let gx = 1; gx < gw - 1; gx++) {
      const i = gy * gw + gx;
      if (dense[i]) continue;
      const n = (dense[i - 1] ?? 0) + (dense[i + 1] ?? 0) + (dense[i - gw] ?? 0) + (dense[i + gw] ?? 0);
      if (n >= 3) closed[i] = 1;
    }
  }
  const seen = new Uint8Array(gw * gh);
  const photos: Box[] = [];
  const grow = (options.bilevelSource ?? false) || (options.growLightTones ?? false);
  for (let start = 0; start < closed.length; start++) {
    if (!closed[start] || seen[start]) continue;
    const stack = [start];
    seen[start] = 1;
    let minX = gw;
    let minY = gh;
    let maxX = -1;
    let maxY = -1;
    let count = 0;
    while (stack.length > 0) {
      const i = stack.pop() ?? 0;
      const x = i % gw;
      const y = (i - x) / gw;
      count++;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
      for (const j of [x > 0 ? i - 1 : -1, x < gw - 1 ? i + 1 : -1, i - gw, i + gw]) {
        if (j >= 0 && j < closed.length && closed[j] && !seen[j]) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    const box = { x0: ox + minX * cell, y0: oy + minY * cell, x1: Math.min(within.x1, ox + (maxX + 1) * cell), y1: Math.min(within.y1, oy + (maxY + 1) * cell) };
    const area = (maxX - minX + 1) * (maxY - minY + 1);
    if (box.x1 - box.x0 >= minSide && box.y1 - box.y0 >= minSide && count >= 0.6 * area) {
      photos.push(grow ? growThroughTexture(image, box, nonPaper, cell, options.bilevelSource ?? false) : refineEdges(image, box, nonPaper, cell));
    }
  }
  return photos;
}

/**
 * Cells are coarse: move each edge of a picture to the pixel row or column where it turns dense
 * (at least half of it darker than paper), searching one cell either side.
 */
function refineEdges(image: GrayImage, box: Box, nonPaper: number, cell: number): Box {
  const denseRow = (y: number, x0: number, x1: number): boolean => {
    if (y < 0 || y >= image.height) return false;
    let dark = 0;
    for (let x = x0; x < x1; x++) if ((image.data[y * image.width + x] ?? 255) < nonPaper) dark++;
    return dark >= 0.5 * (x1 - x0);
  };
  const denseCol = (x: number, y0: number, y1: number): boolean => {
    if (x < 0 || x >= image.width) return false;
    let dark = 0;
    for (let y = y0; y < y1; y++) if ((image.data[y * image.width + x] ?? 255) < nonPaper) dark++;
    return dark >= 0.5 * (y1 - y0);
  };
  let y0 = Math.max(0, box.y0 - cell);
  while (y0 < box.y0 + cell && !denseRow(y0, box.x0, box.x1)) y0++;
  let y1 = Math.min(image.height, box.y1 + cell);
  while (y1 > box.y1 - cell && !denseRow(y1 - 1, box.x0, box.x1)) y1--;
  let x0 = Math.max(0, box.x0 - cell);
  while (x0 < box.x0 + cell && !denseCol(x0, y0, y1)) x0++;
  let x1 = Math.min(image.width, box.x1 + cell);
  while (x1 > box.x1 - cell && !denseCol(x1 - 1, y0, y1)) x1--;
  return y1 > y0 && x1 > x0 ? { x0, y0, x1, y1 } : box;
}

/** True when (nearly) every pixel is black or white: a 1-bit scan. */
export function isBilevel(image: GrayImage): boolean {
  let mid = 0;
  let n = 0;
  for (let i = 0; i < image.data.length; i += 97) {
    const v = image.data[i] ?? 255;
    if (v > 8 && v < 247) mid++;
    n++;
  }
  return n > 0 && mid / n < 0.01;
}

/**
 * A light or dithered part of a picture (common on bitonal scans) is not dense, but it is not paper
 * either: grow the box up and down through bands that still carry ink, until a blank band. On a
 * gray scan (no dithering) one blank line of pixels ends the picture: a headline set a millimetre
 * over it leaves no more than that at web resolution, and a band as wide as a third of a cell
 * would take the blurred gap and the headline's foot in with it.
 */
function growThroughTexture(image: GrayImage, box: Box, nonPaper: number, cell: number, dithered: boolean): Box {
  // Band by band, on all four sides: a band still dotted continues the picture; the gap to a caption,
  // a headline or a column of text is not.
  const band = dithered ? Math.max(2, Math.round(cell / 3)) : 1;
  const density = (x0: number, y0: number, x1: number, y1: number): number => {
    if (x0 < 0 || y0 < 0 || x1 > image.width || y1 > image.height || x1 <= x0 || y1 <= y0) return 0;
    let dark = 0;
    for (let y = y0; y < y1; y++) {
      const row = y * image.width;
      for (let x = x0; x < x1; x++) if ((image.data[row + x] ?? 255) < nonPaper) dark++;
    }
    return dark / ((x1 - x0) * (y1 - y0));
  };
  const maxGrowY = 0.5 * (box.y1 - box.y0);
  const maxGrowX = 0.5 * (box.x1 - box.x0);
  let { x0, y0, x1, y1 } = box;
  while (box.y0 - y0 < maxGrowY && density(x0, y0 - band, x1, y0) > 0.02) y0 -= band;
  while (y1 - box.y1 < maxGrowY && density(x0, y1, x1, y1 + band) > 0.02) y1 += band;
  while (box.x0 - x0 < maxGrowX && density(x0 - band, y0, x0, y1) > 0.02) x0 -= band;
  while (x1 - box.x1 < maxGrowX && density(x1, y0, x1 + band, y1) > 0.02) x1 += band;
  return { x0, y0, x1, y1 };
}

/** The paper's gray level: the 75th percentile of a sample of pixels (most of a page is paper). */
export function paperLevel(image: GrayImage): number {
  const hist = new Uint32Array(256);
  let n = 0;
  for (let i = 0; i < image.data.length; i += 7) {
    hist[image.data[i] ?? 255]!++;
    n++;
  }
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v] ?? 0;
    if (acc >= 0.75 * n) return v;
  }
  return 255;
}
