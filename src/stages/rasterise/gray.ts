/** Pixel conversions into 8-bit gray (0 = black, 255 = white), as the rest of the pipeline wants. */
import { simdKernels } from '../../simd/kernels.js';

/** 8 output bytes for every value of a packed byte, most significant bit first. */
function bitTable(zero: number, one: number): Uint8Array {
  const table = new Uint8Array(256 * 8);
  for (let v = 0; v < 256; v++) {
    for (let b = 0; b < 8; b++) table[v * 8 + b] = (v >> (7 - b)) & 1 ? one : zero;
  }
  return table;
}

/**
 * Unpacks 1-bit rows (each padded to a whole byte, MSB first) into one byte per pixel. A short
 * buffer (truncated stream) leaves the missing rows at `one`.
 */
export function unpackBits(
  packed: Uint8Array,
  width: number,
  height: number,
  zero: number,
  one: number,
): Uint8Array {
  const rowBytes = (width + 7) >> 3;
  const out = new Uint8Array(width * height).fill(one);
  const table = bitTable(zero, one);
  const fullBytes = width >> 3;
  const rest = width & 7;
  for (let y = 0; y < height; y++) {
    const src = y * rowBytes;
    if (src + rowBytes > packed.length) break;
    let dst = y * width;
    for (let i = 0; i < fullBytes; i++, dst += 8) {
      const t = (packed[src + i] as number) * 8;
      for (let b = 0; b < 8; b++) out[dst + b] = table[t + b] as number;
    }
    if (rest > 0) {
      const t = (packed[src + fullBytes] as number) * 8;
      for (let b = 0; b < rest; b++) out[dst + b] = table[t + b] as number;
    }
  }
  return out;
}

/** One RGB colour's gray: the BT.601 luma weights in fixed point, as {@link rgbToGray} applies them. */
export function lumaOf(r: number, g: number, b: number): number {
  return (77 * r + 150 * g + 29 * b + 128) >> 8;
}

/**
 * Interleaved RGB (3 channels) or RGBA (4, alpha composited over white paper) to gray with the
 * BT.601 luma weights in fixed point. Equal channels (a gray JPEG that pdf.js hands over as RGB)
 * come out unchanged.
 */
export function rgbToGray(data: ArrayLike<number>, width: number, height: number, channels: 3 | 4): Uint8Array {
  const n = width * height;
  if (data.length < n * channels) throw new RangeError(`pixel buffer too short: ${data.length} < ${n * channels}`);
  const kernels = channels === 3 && (data instanceof Uint8Array || data instanceof Uint8ClampedArray) ? simdKernels() : undefined;
  if (kernels) return kernels.rgbToGray(data as Uint8Array | Uint8ClampedArray, n);
  const out = new Uint8Array(n);
  if (channels === 3) {
    for (let i = 0, p = 0; i < n; i++, p += 3) {
      out[i] = (77 * (data[p] as number) + 150 * (data[p + 1] as number) + 29 * (data[p + 2] as number) + 128) >> 8;
    }
  } else {
    for (let i = 0, p = 0; i < n; i++, p += 4) {
      const luma = (77 * (data[p] as number) + 150 * (data[p + 1] as number) + 29 * (data[p + 2] as number) + 128) >> 8;
      const a = data[p + 3] as number;
      out[i] = a === 255 ? luma : Math.round((luma * a + 255 * (255 - a)) / 255);
    }
  }
  return out;
}

export type QuarterTurns = 0 | 90 | 180 | 270;

/** Rotates a gray raster clockwise by `degrees` (as a PDF page's /Rotate shows it). */
export function rotateGray(
  data: Uint8Array,
  width: number,
  height: number,
  degrees: QuarterTurns,
): { data: Uint8Array; width: number; height: number } {
  if (degrees === 0) return { data, width, height };
  const out = new Uint8Array(width * height);
  if (degrees === 180) {
    for (let i = 0, n = width * height; i < n; i++) out[n - 1 - i] = data[i] as number;
    return { data: out, width, height };
  }
  // 90 cw: source (x, y) lands at (height-1-y, x) in a height-wide raster; 270 cw: at (y, width-1-x).
  const outWidth = height;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    if (degrees === 90) {
      const col = height - 1 - y;
      for (let x = 0; x < width; x++) out[x * outWidth + col] = data[row + x] as number;
    } else {
      for (let x = 0; x < width; x++) out[(width - 1 - x) * outWidth + y] = data[row + x] as number;
    }
  }
  return { data: out, width: height, height: width };
}
