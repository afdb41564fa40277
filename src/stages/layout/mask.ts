/** Binary ink mask for layout analysis only (the recogniser gets gray pixels). */
import type { GrayImage } from '../../image/gray-image.js';
import { otsuThreshold } from '../../image/gray-stats.js';
import { simdKernels } from '../../simd/kernels.js';
import { paperLevel, type Tint } from './photos.js';

export interface InkMask {
  readonly width: number;
  readonly height: number;
  /** 1 = ink, 0 = paper. */
  readonly data: Uint8Array;
  readonly threshold: number;
}

/**
 * Under this resolution a body glyph is a few pixels high and its one-pixel strokes are smeared to
 * gray by the scan (and JPEG): Otsu's threshold, pulled dark by pictures, keeps only pieces of each
 * glyph. Such a page gets a threshold nearer the paper (see lowResolutionThreshold).
 */
export const LOW_RESOLUTION_DPI = 150;

export function inkMask(image: GrayImage): InkMask {
  const otsu = otsuThreshold(image.data);
  const threshold = image.dpi < LOW_RESOLUTION_DPI ? lowResolutionThreshold(image, otsu) : otsu;
  const kernels = simdKernels();
  const src = image.data;
  let data: Uint8Array;
  if (kernels) data = kernels.below(src, threshold);
  else {
    data = new Uint8Array(image.width * image.height);
    for (let i = 0; i < src.length; i++) data[i] = (src[i] ?? 255) < threshold ? 1 : 0;
  }
  return { width: image.width, height: image.height, data, threshold };
}

/**
 * On a low-resolution page ink is whatever is clearly darker than the paper: 40 % of the way from
 * the paper's level to Otsu's threshold. On the 72 dpi real scan (paper 255, Otsu 170) that is 221,
 * where body glyphs come out whole instead of in specks.
 */
function lowResolutionThreshold(image: GrayImage, otsu: number): number {
  const paper = paperLevel(image);
  return Math.max(otsu, Math.round(paper - 0.4 * (paper - otsu)));
}

/**
 * Share of ink pixels that stand alone (no ink among their 8 neighbours), on every fourth row:
 * near zero on a clean scan, around a percent on a noisy one.
 */
export function speckRate(mask: InkMask): number {
  const { width, height, data } = mask;
  let ink = 0;
  let alone = 0;
  for (let y = 1; y < height - 1; y += 4) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (data[i] !== 1) continue;
      ink++;
      const above = i - width;
      const below = i + width;
      const neighbours = data[i - 1]! + data[i + 1]! + data[above - 1]! + data[above]! + data[above + 1]! + data[below - 1]! + data[below]! + data[below + 1]!;
      if (neighbours === 0) alone++;
    }
  }
  return ink === 0 ? 0 : alone / ink;
}

/**
 * Whether [x0, x1) x [y0, y1) (clipped to the mask) holds at least `atLeast` ink pixels. Counting
 * stops as soon as it does: segmentation only asks "is this empty" and "is there enough ink here",
 * and a story region answers within a few rows. (A summed-area table answered the same questions in
 * O(1) but cost a 96 MB array and 0.1 s on every 300 dpi page.)
 */
export function hasInk(mask: InkMask, x0: number, y0: number, x1: number, y1: number, atLeast = 1): boolean {
  const ax = Math.max(0, Math.min(mask.width, Math.floor(x0)));
  const bx = Math.max(0, Math.min(mask.width, Math.floor(x1)));
  const ay = Math.max(0, Math.min(mask.height, Math.floor(y0)));
  const by = Math.max(0, Math.min(mask.height, Math.floor(y1)));
  if (atLeast <= 0) return true;
  const { data, width } = mask;
  let count = 0;
  for (let y = ay; y < by; y++) {
    const row = y * width;
    for (let x = ax; x < bx; x++) {
      if (data[row + x] === 1 && ++count >= atLeast) return true;
    }
  }
  return false;
}

/**
 * The ink mask with each tinted box thresholded against its tint, as the page is against its
 * paper: ink there is what stands as far below the tint as ink stands below the paper elsewhere. On
 * a low-resolution page the threshold sits close under the paper, and a tint scarcely lighter than
 * it would come out speckled with JPEG noise; at higher resolution Otsu's threshold lies far below
 * any tint and nothing changes.
 */
export function withTints(mask: InkMask, image: GrayImage, tints: readonly Tint[], paper: number): InkMask {
  if (tints.length === 0) return mask;
  const data = Uint8Array.from(mask.data);
  for (const t of tints) {
    const threshold = Math.min(mask.threshold, t.level - (paper - mask.threshold));
    if (threshold >= mask.threshold) continue;
    for (let y = t.y0; y < t.y1; y++) {
      const row = y * mask.width;
      for (let x = t.x0; x < t.x1; x++) data[row + x] = (image.data[row + x] ?? 255) < threshold ? 1 : 0;
    }
  }
  return { ...mask, data };
}
