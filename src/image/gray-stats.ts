/**
 * Statistics of 8-bit gray buffers. One histogram pass serves percentiles and Otsu's threshold; a
 * page is large (24 million pixels at 300 dpi), so the pass is a tight typed-array loop.
 */

export function histogram(data: Uint8Array): Uint32Array {
  // Four interleaved counters: runs of equal pixels (paper) would otherwise make every increment
  // wait for the one before it to the same counter. Twice as fast on a page.
  const parts = new Uint32Array(1024);
  const n = data.length;
  const body = n - (n % 4);
  for (let i = 0; i < body; i += 4) {
    parts[data[i]!]!++;
    parts[256 + data[i + 1]!]!++;
    parts[512 + data[i + 2]!]!++;
    parts[768 + data[i + 3]!]!++;
  }
  for (let i = body; i < n; i++) parts[data[i]!]!++;
  const hist = new Uint32Array(256);
  for (let v = 0; v < 256; v++) hist[v] = parts[v]! + parts[256 + v]! + parts[512 + v]! + parts[768 + v]!;
  return hist;
}

/** Gray levels at two quantiles of an 8-bit buffer. */
export function percentiles(data: Uint8Array, lower: number, upper: number): [number, number] {
  const hist = histogram(data);
  const at = (q: number): number => {
    const target = q * data.length;
    let acc = 0;
    for (let v = 0; v < 256; v++) {
      acc += hist[v]!;
      if (acc >= target) return v;
    }
    return 255;
  };
  return [at(lower), at(upper)];
}

/**
 * Otsu's threshold over an 8-bit buffer, as the first gray level of the light class: a pixel is
 * dark when `value < threshold`.
 */
export function otsuThreshold(data: Uint8Array): number {
  const hist = histogram(data);
  const total = data.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * hist[i]!;
  let sumB = 0;
  let wB = 0;
  let best = 128;
  let maxVar = -1;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > maxVar) {
      maxVar = between;
      best = t;
    }
  }
  return best + 1;
}
