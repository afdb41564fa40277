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
