/**
 * WebAssembly SIMD kernels for the whole-page pixel passes that run on the main thread of every
 * scan: 16 pixels an instruction where JavaScript does one. Each gives exactly the pixels of the
 * plain JavaScript it replaces (tests compare them), so nothing downstream changes but the time.
 * Without WebAssembly SIMD, `simdKernels()` is undefined and callers keep their JavaScript.
 *
 * Buffers are copied into the module's memory and the result copied out: a few milliseconds on a
 * 24-megapixel page, against 50-100 ms saved per pass. Every buffer is followed by spare bytes,
 * because the kernels read and write whole 16-byte vectors past the end of a row.
 */
import { F64, I32, V128, assemble, counted, op, v, type KernelFunction } from './assembler.js';

const SPARE = 64;
const PAGE = 65536;

// ---------------------------------------------------------------------------------------------
// Kernels

/** below(src, dst, n, threshold): dst[i] = src[i] < threshold ? 1 : 0. */
function belowKernel(): KernelFunction {
  const [src, dst, n, threshold, i, limit, one] = [0, 1, 2, 3, 4, 5, 6];
  return {
    name: 'below',
    params: [I32, I32, I32, I32],
    locals: [
      [1, I32],
      [2, V128],
    ],
    body: [
      ...op.get(threshold), ...v.i8splat, ...op.set(limit),
      ...op.i32(1), ...v.i8splat, ...op.set(one),
      ...counted(i, op.get(n), 16, [
        ...op.get(dst), ...op.get(i), ...op.add,
        ...op.get(src), ...op.get(i), ...op.add, ...v.load(), ...op.get(limit), ...v.i8ltU,
        ...op.get(one), ...v.and,
        ...v.store(),
      ]),
    ],
  };
}

/** rgbToGray(src, dst, n): n interleaved RGB pixels to (77 R + 150 G + 29 B + 128) >> 8. */
function rgbToGrayKernel(): KernelFunction {
  const [src, dst, n, i, at, a, b, c, r, g, bl] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const range = (from: number, count: number, step: number): number[] => Array.from({ length: count }, (_, k) => from + k * step);
  const pad = (lanes: number[]): number[] => [...lanes, ...new Array<number>(16 - lanes.length).fill(0)];
  /** One channel's 16 bytes out of the 48 in a, b, c: two shuffles. */
  const channel = (first: number[], second: number[]): number[] => [
    ...op.get(a), ...op.get(b), ...v.shuffle(pad(first)),
    ...op.get(c), ...v.shuffle([...range(0, first.length, 1), ...second]),
  ];
  /** 77 R + 150 G + 29 B + 128 >> 8 for one half (extend low or high), i16x8 on the stack. */
  const luma = (extend: number[]): number[] => [
    ...op.get(r), ...extend, ...op.i32(77), ...v.i16splat, ...v.i16mul,
    ...op.get(g), ...extend, ...op.i32(150), ...v.i16splat, ...v.i16mul, ...v.i16add,
    ...op.get(bl), ...extend, ...op.i32(29), ...v.i16splat, ...v.i16mul, ...v.i16add,
    ...op.i32(128), ...v.i16splat, ...v.i16add,
    ...op.i32(8), ...v.i16shrU,
  ];
  return {
    name: 'rgbToGray',
    params: [I32, I32, I32],
    locals: [
      [2, I32],
      [6, V128],
    ],
    body: [
      ...counted(i, op.get(n), 16, [
        ...op.get(src), ...op.get(i), ...op.i32(3), ...op.mul, ...op.add, ...op.set(at),
        ...op.get(at), ...v.load(0), ...op.set(a),
        ...op.get(at), ...v.load(16), ...op.set(b),
        ...op.get(at), ...v.load(32), ...op.set(c),
        ...channel(range(0, 11, 3), range(17, 5, 3)), ...op.set(r),
        ...channel(range(1, 11, 3), range(18, 5, 3)), ...op.set(g),
        ...channel(range(2, 10, 3), range(16, 6, 3)), ...op.set(bl),
        ...op.get(dst), ...op.get(i), ...op.add,
        ...luma(v.i16extendLowI8U),
        ...luma(v.i16extendHighI8U),
        ...v.i8narrowI16U,
        ...v.store(),
      ]),
    ],
  };
}

/**
 * median3(src, dst, w, h, scratch): the 3 x 3 median of w x h rows (edges replicated), from three
 * sorted columns: med3(max of the los, med3 of the mids, min of the his). `scratch` holds three
 * column buffers of w + SPARE bytes.
 */
function median3Kernel(): KernelFunction {
  const [src, dst, w, h, scratch, y, x, up, row, down, lo, mid, hi, a, b, c, mn, mx] = Array.from({ length: 18 }, (_, k) => k) as [
    number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number,
  ];
  const at = (base: number): number[] => [...op.get(base), ...op.get(x), ...op.add];
  const columns = counted(x, op.get(w), 16, [
    ...at(up), ...v.load(), ...op.set(a),
    ...at(row), ...v.load(), ...op.set(b),
    ...at(down), ...v.load(), ...op.set(c),
    ...op.get(a), ...op.get(b), ...v.i8minU, ...op.set(mn),
    ...op.get(a), ...op.get(b), ...v.i8maxU, ...op.set(mx),
    // Stored one byte in: byte 0 and byte w + 1 are the replicated edges.
    ...at(lo), ...op.get(mn), ...op.get(c), ...v.i8minU, ...v.store(1),
    ...at(hi), ...op.get(mx), ...op.get(c), ...v.i8maxU, ...v.store(1),
    ...at(mid), ...op.get(mn), ...op.get(mx), ...op.get(c), ...v.i8minU, ...v.i8maxU, ...v.store(1),
  ]);
  const copyByte = (col: number, from: number[], to: number[]): number[] => [
    ...op.get(col), ...to, ...op.add, ...op.get(col), ...from, ...op.add, ...op.load8u, ...op.store8,
  ];
  const edges = [lo, mid, hi].flatMap((col) => [
    ...copyByte(col, op.i32(1), op.i32(0)),
    ...copyByte(col, op.get(w), [...op.get(w), ...op.i32(1), ...op.add]),
  ]);
  const three = (col: number, combine: number[]): number[] => [
    ...at(col), ...v.load(0), ...at(col), ...v.load(1), ...combine, ...at(col), ...v.load(2), ...combine,
  ];
  const medians = counted(x, op.get(w), 16, [
    ...op.get(dst), ...op.get(row), ...op.get(src), ...op.sub, ...op.add, ...op.get(x), ...op.add,
    ...three(lo, v.i8maxU), ...op.set(a),
    ...three(hi, v.i8minU), ...op.set(b),
    ...at(mid), ...v.load(0), ...op.set(mn),
    ...at(mid), ...v.load(1), ...op.set(mx),
    ...op.get(mn), ...op.get(mx), ...v.i8minU,
    ...op.get(mn), ...op.get(mx), ...v.i8maxU, ...at(mid), ...v.load(2), ...v.i8minU,
    ...v.i8maxU, ...op.set(c),
    // med3(a, c, b) = max(min(a, c), min(max(a, c), b))
    ...op.get(a), ...op.get(c), ...v.i8minU,
    ...op.get(a), ...op.get(c), ...v.i8maxU, ...op.get(b), ...v.i8minU,
    ...v.i8maxU,
    ...v.store(),
  ]);
  const rowStart = (target: number, yExpr: number[]): number[] => [...op.get(src), ...yExpr, ...op.get(w), ...op.mul, ...op.add, ...op.set(target)];
  const above = [...op.get(y), ...op.i32(1), ...op.sub, ...op.i32(0), ...op.get(y), ...op.i32(1), ...op.geS, ...op.select];
  const below = [...op.get(y), ...op.i32(1), ...op.add, ...op.get(y), ...op.get(y), ...op.i32(1), ...op.add, ...op.get(h), ...op.ltS, ...op.select];
  return {
    name: 'median3',
    params: [I32, I32, I32, I32, I32],
    locals: [
      [8, I32],
      [5, V128],
    ],
    body: [
      ...op.get(scratch), ...op.set(lo),
      ...op.get(lo), ...op.get(w), ...op.add, ...op.i32(SPARE), ...op.add, ...op.set(mid),
      ...op.get(mid), ...op.get(w), ...op.add, ...op.i32(SPARE), ...op.add, ...op.set(hi),
      ...counted(y, op.get(h), 1, [
        ...rowStart(up, above),
        ...rowStart(row, op.get(y)),
        ...rowStart(down, below),
        ...columns,
        ...edges,
        ...medians,
      ]),
    ],
  };
}

/**
 * rotateCrop(src, W, H, dst, w, h, table, ia, ib, ic, id, ox0, oy0): a w x h window of the W x H
 * page at `src` turned by the inverse matrix (ia ib; ic id), given times 4096: output pixel (X, Y)
 * is sampled at (ia ox + ib oy, ic ox + id oy) / 4096 for ox = ox0 + X, oy = oy0 + Y, bilinear in
 * 12-bit fixed point, white outside the page, then mapped through the 256-byte `table`. This is
 * libvips' affine with its bilinear interpolator as sharp's rotate runs it, pixel for pixel (see
 * stages/deskew.ts).
 */
function rotateCropKernel(): KernelFunction {
  const [src, W, H, dst, w, h, table, ia, ib, ic, id, ox0, oy0] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const [Y, X, fx, fy, xx, yy, c1, c2, c3, c4, out, at, tx, ty] = [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26];
  const [oy, rx, ry, ox] = [27, 28, 29, 30];
  /** One source pixel, 255 outside the page; the address is clamped so the load stays in memory. */
  const pixel = (dx: number, dy: number): number[] => {
    const px = [...op.get(fx), ...op.i32(dx), ...op.add];
    const py = [...op.get(fy), ...op.i32(dy), ...op.add];
    const inside = [...px, ...op.get(W), ...op.ltU, ...py, ...op.get(H), ...op.ltU, ...op.and];
    // select(a, b, cond) is cond ? a : b.
    return [
      ...op.get(src), ...py, ...op.get(W), ...op.mul, ...px, ...op.add, ...op.i32(0), ...inside, ...op.select, ...op.add, ...op.load8u,
      ...op.i32(255), ...inside, ...op.select,
    ];
  };
  const inner = [
    ...op.get(src), ...op.get(fy), ...op.get(W), ...op.mul, ...op.add, ...op.get(fx), ...op.add, ...op.set(at),
    ...op.get(c1), ...op.get(at), ...op.load8u, ...op.mul,
    ...op.get(c2), ...op.get(at), ...op.load8uAt(1), ...op.mul, ...op.add,
    ...op.get(c3), ...op.get(at), ...op.get(W), ...op.add, ...op.load8u, ...op.mul, ...op.add,
    ...op.get(c4), ...op.get(at), ...op.get(W), ...op.add, ...op.load8uAt(1), ...op.mul, ...op.add,
    ...op.set(at),
  ];
  const edge = [
    ...op.get(c1), ...pixel(0, 0), ...op.mul,
    ...op.get(c2), ...pixel(1, 0), ...op.mul, ...op.add,
    ...op.get(c3), ...pixel(0, 1), ...op.mul, ...op.add,
    ...op.get(c4), ...pixel(1, 1), ...op.mul, ...op.add,
    ...op.set(at),
  ];
  const allInside = [
    ...op.get(fx), ...op.get(W), ...op.i32(1), ...op.sub, ...op.ltU,
    ...op.get(fy), ...op.get(H), ...op.i32(1), ...op.sub, ...op.ltU, ...op.and,
  ];
  /**
   * The sample position in 1/4096 pixels, floor(4096 (a ox + r)): the matrix comes pre-scaled by
   * 4096, which is exact (a power of two), so this is floor(4096 ix) to the bit; its integer part
   * is floor(ix) and its low 12 bits are trunc(4096 (ix - floor(ix))), libvips' weight.
   */
  const fixed = (a: number, r: number): number[] => [...op.get(a), ...op.get(ox), ...op.f64mul, ...op.get(r), ...op.f64add, ...op.f64floor, ...op.i32TruncF64S];
  return {
    name: 'rotateCrop',
    params: [I32, I32, I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64],
    locals: [
      [14, I32],
      [4, F64],
    ],
    body: [
      ...counted(Y, op.get(h), 1, [
        ...op.get(oy0), ...op.get(Y), ...op.f64ConvertI32S, ...op.f64add, ...op.set(oy),
        ...op.get(ib), ...op.get(oy), ...op.f64mul, ...op.set(rx),
        ...op.get(id), ...op.get(oy), ...op.f64mul, ...op.set(ry),
        ...op.get(dst), ...op.get(Y), ...op.get(w), ...op.mul, ...op.add, ...op.set(out),
        ...op.get(ox0), ...op.set(ox),
        ...counted(X, op.get(w), 1, [
          ...fixed(ia, rx), ...op.set(tx),
          ...fixed(ic, ry), ...op.set(ty),
          ...op.get(tx), ...op.i32(12), ...op.shrS, ...op.set(fx),
          ...op.get(ty), ...op.i32(12), ...op.shrS, ...op.set(fy),
          ...op.get(tx), ...op.i32(4095), ...op.and, ...op.set(xx),
          ...op.get(ty), ...op.i32(4095), ...op.and, ...op.set(yy),
          // c4 = yy xx >> 12, c2 = (4096 - yy) xx >> 12, c3 = yy - c4, c1 = 4096 - yy - c2
          ...op.get(yy), ...op.get(xx), ...op.mul, ...op.i32(12), ...op.shrS, ...op.set(c4),
          ...op.i32(4096), ...op.get(yy), ...op.sub, ...op.get(xx), ...op.mul, ...op.i32(12), ...op.shrS, ...op.set(c2),
          ...op.get(yy), ...op.get(c4), ...op.sub, ...op.set(c3),
          ...op.i32(4096), ...op.get(yy), ...op.sub, ...op.get(c2), ...op.sub, ...op.set(c1),
          // The weighted sum goes to `at` (reused), then rounds, then through the table.
          ...allInside, ...op.ifElse(inner, edge),
          ...op.get(out), ...op.get(X), ...op.add,
          ...op.get(table), ...op.get(at), ...op.i32(2048), ...op.add, ...op.i32(12), ...op.shrS, ...op.add, ...op.load8u,
          ...op.store8,
          // Integers are exact in a double: ox + 1 is the next column's coordinate.
          ...op.get(ox), ...op.f64(1), ...op.f64add, ...op.set(ox),
        ]),
      ]),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Loading and calling

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
/** The part of the WebAssembly API used here (Node's types leave the JS API out). */
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object) => { readonly exports: unknown };
}
interface Exports {
  readonly memory: WasmMemory;
  readonly below: (src: number, dst: number, n: number, threshold: number) => void;
  readonly rgbToGray: (src: number, dst: number, n: number) => void;
  readonly median3: (src: number, dst: number, w: number, h: number, scratch: number) => void;
  readonly rotateCrop: (...args: number[]) => void;
}

export interface SimdKernels {
  /** 1 where `data` is below `threshold`, else 0. */
  below(data: Uint8Array, threshold: number): Uint8Array;
  /** `pixels` interleaved RGB pixels to 8-bit gray, (77 R + 150 G + 29 B + 128) >> 8. */
  rgbToGray(rgb: Uint8Array | Uint8ClampedArray, pixels: number): Uint8Array;
  /** The 3 x 3 median, edges replicated. */
  median3(data: Uint8Array, width: number, height: number): Uint8Array;
  /** See rotateCropKernel: the `width` x `height` window of a turned page, through `table`. */
  rotateCrop(page: Uint8Array, pageWidth: number, pageHeight: number, width: number, height: number, table: Uint8Array, inverse: readonly [number, number, number, number], origin: readonly [number, number]): Uint8Array;
}

let loaded: SimdKernels | null | undefined;

/** The kernels, or undefined where WebAssembly SIMD is not available. */
export function simdKernels(): SimdKernels | undefined {
  if (loaded === undefined) loaded = instantiate();
  return loaded ?? undefined;
}

function instantiate(): SimdKernels | null {
  let exports: Exports;
  try {
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const bytes = assemble([belowKernel(), rgbToGrayKernel(), median3Kernel(), rotateCropKernel()]);
    exports = new wasm.Instance(new wasm.Module(bytes)).exports as Exports;
  } catch {
    return null;
  }
  /**
   * Copies `inputs` into the module's memory one after the other, leaves `output` bytes (and
   * `scratch` bytes) after them, each followed by spare bytes, runs `call` with the offsets and
   * returns a copy of the output.
   */
  const run = (
    inputs: ReadonlyArray<Uint8Array | Uint8ClampedArray>,
    output: number,
    call: (offsets: number[], out: number, scratch: number) => void,
    scratch = 0,
  ): Uint8Array => {
    const offsets: number[] = [];
    let end = 0;
    for (const input of inputs) {
      offsets.push(end);
      end += input.length + SPARE;
    }
    const out = end;
    const scratchAt = out + output + SPARE;
    const needed = scratchAt + scratch + SPARE;
    const have = exports.memory.buffer.byteLength;
    if (needed > have) exports.memory.grow(Math.ceil((needed - have) / PAGE));
    const mem = new Uint8Array(exports.memory.buffer);
    inputs.forEach((input, k) => mem.set(input, offsets[k]));
    call(offsets, out, scratchAt);
    return mem.slice(out, out + output);
  };
  return {
    below: (data, threshold) => run([data], data.length, ([src], out) => exports.below(src!, out, data.length, threshold)),
    rgbToGray: (rgb, pixels) => run([rgb.subarray(0, 3 * pixels)], pixels, ([src], out) => exports.rgbToGray(src!, out, pixels)),
    median3: (data, width, height) =>
      run([data], width * height, ([src], out, scratch) => exports.median3(src!, out, width, height, scratch), 3 * (width + SPARE)),
    rotateCrop: (page, pageWidth, pageHeight, width, height, table, inverse, origin) =>
      run([page, table], width * height, ([src, tableAt], out) => {
        // The matrix in 1/4096 pixels (see the kernel): exact, 4096 being a power of two.
        const scaled = inverse.map((m) => m * 4096);
        exports.rotateCrop(src!, pageWidth, pageHeight, out, width, height, tableAt!, ...scaled, ...origin);
      }),
  };
}
