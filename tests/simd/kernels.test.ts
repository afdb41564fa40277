/**
 * The SIMD kernels give exactly the bytes of the plain JavaScript they replace, for every size
 * (the vector loops run past row ends) and every input value.
 */
import { describe, expect, it } from 'vitest';
import { simdKernels } from '../../src/simd/kernels.js';

function bytes(length: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  return Uint8Array.from({ length }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  });
}

const kernels = simdKernels();
const SIZES = [
  [1, 1],
  [15, 1],
  [16, 2],
  [17, 3],
  [33, 7],
  [255, 11],
] as const;

describe('SIMD kernels', () => {
  it('are available on this Node (WebAssembly SIMD)', () => {
    expect(kernels).toBeDefined();
  });

  it.each(SIZES)('below: %i x %i', (w, h) => {
    const data = bytes(w * h, w + h);
    for (const threshold of [0, 1, 128, 200, 255]) {
      const expected = Uint8Array.from(data, (v) => (v < threshold ? 1 : 0));
      expect([...kernels!.below(data, threshold)]).toEqual([...expected]);
    }
  });

  it.each(SIZES)('mapLinear: the middle of a %i x %i image through f32 arithmetic', (w, h) => {
    const stride = w + 5;
    const rows = h + 3;
    const data = bytes(stride * rows, w * h);
    for (const [scale, offset] of [
      [1.2748, -38.25],
      [1.0851, -3.255],
      [2.5, -100],
    ] as const) {
      const s = Math.fround(scale);
      const o = Math.fround(offset);
      const expected = new Uint8Array(w * h);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const v = data[(y + 2) * stride + x + 3]!;
          expected[y * w + x] = Math.min(255, Math.max(0, Math.trunc(Math.fround(Math.fround(s * v) + o))));
        }
      }
      expect([...kernels!.mapLinear(data, stride, 3, 2, w, h, s, o)]).toEqual([...expected]);
    }
  });

  it.each(SIZES)('rgbToGray: %i x %i pixels', (w, h) => {
    const n = w * h;
    const rgb = bytes(3 * n, n);
    rgb.set([255, 255, 255, 0, 0, 0, 255, 0, 0].slice(0, 3 * n));
    const expected = new Uint8Array(n);
    for (let i = 0; i < n; i++) expected[i] = (77 * rgb[3 * i]! + 150 * rgb[3 * i + 1]! + 29 * rgb[3 * i + 2]! + 128) >> 8;
    expect([...kernels!.rgbToGray(rgb, n)]).toEqual([...expected]);
  });

  it('keeps earlier results when a later call grows its memory', () => {
    const small = kernels!.below(bytes(100, 1), 128);
    const copy = Uint8Array.from(small);
    kernels!.below(bytes(3_000_000, 2), 128);
    expect([...small]).toEqual([...copy]);
  });
});
