import { describe, expect, it } from 'vitest';
import { histogram, otsuThreshold, percentiles } from '../../src/image/gray-stats.js';

describe('gray statistics', () => {
  const twoLevels = new Uint8Array(1000).map((_, i) => (i < 200 ? 30 : 220));

  it('counts every gray level', () => {
    const h = histogram(twoLevels);
    expect(h[30]).toBe(200);
    expect(h[220]).toBe(800);
    expect(h.reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('counts every pixel of a buffer whose length is not a multiple of four', () => {
    for (const length of [0, 1, 2, 3, 5, 7, 1001]) {
      const data = new Uint8Array(length).map((_, i) => (i * 37) % 256);
      const expected = new Uint32Array(256);
      for (const v of data) expected[v]!++;
      expect(histogram(data)).toEqual(expected);
    }
  });

  it('finds the quantiles', () => {
    expect(percentiles(twoLevels, 0.1, 0.9)).toEqual([30, 220]);
    const ramp = new Uint8Array(256).map((_, i) => i);
    expect(percentiles(ramp, 0.01, 0.99)).toEqual([2, 253]);
  });

  it("puts Otsu's threshold between ink and paper: dark is value < threshold", () => {
    const t = otsuThreshold(twoLevels);
    expect(t).toBeGreaterThan(30);
    expect(t).toBeLessThanOrEqual(220);
    expect(twoLevels.filter((v) => v < t).length).toBe(200);
  });
});
