/**
 * Just enough of the WebAssembly binary format to write the few SIMD kernels of simd/kernels.ts
 * here, in the source, with no toolchain in the build: instructions as byte arrays, functions of
 * i32 parameters, one exported memory.
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const vector = (items: readonly number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => [...uleb(text.length), ...[...text].map((ch) => ch.charCodeAt(0))];

/** Plain instructions. */
export const op = {
  end: [0x0b],
  br: (depth: number): number[] => [0x0c, depth],
  brIf: (depth: number): number[] => [0x0d, depth],
  get: (local: number): number[] => [0x20, ...uleb(local)],
  set: (local: number): number[] => [0x21, ...uleb(local)],
  i32: (n: number): number[] => [0x41, ...sleb(n)],
  f64: (x: number): number[] => [0x44, ...new Uint8Array(new Float64Array([x]).buffer)],
  load8u: [0x2d, 0, 0],
  load8uAt: (offset: number): number[] => [0x2d, 0, ...uleb(offset)],
  store8: [0x3a, 0, 0],
  ifElse: (then: number[], otherwise: number[]): number[] => [0x04, 0x40, ...then, 0x05, ...otherwise, 0x0b],
  geS: [0x4e],
  ltS: [0x48],
  ltU: [0x49],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  and: [0x71],
  shrS: [0x75],
  select: [0x1b],
  f64add: [0xa0],
  f64sub: [0xa1],
  f64mul: [0xa2],
  f64floor: [0x9c],
  i32TruncF64S: [0xaa],
  f64ConvertI32S: [0xb7],
} as const;

const simd = (code: number): number[] => [0xfd, ...uleb(code)];

/** SIMD instructions (opcode numbers from the WebAssembly SIMD proposal). */
export const v = {
  load: (offset = 0): number[] => [...simd(0x00), 0, ...uleb(offset)],
  store: (offset = 0): number[] => [...simd(0x0b), 0, ...uleb(offset)],
  shuffle: (lanes: readonly number[]): number[] => [...simd(0x0d), ...lanes],
  i8splat: simd(0x0f),
  i16splat: simd(0x10),
  i8ltU: simd(0x26),
  and: simd(0x4e),
  i8narrowI16U: simd(0x66),
  i8minU: simd(0x77),
  i8maxU: simd(0x79),
  i16extendLowI8U: simd(0x89),
  i16extendHighI8U: simd(0x8a),
  i16shrU: simd(0x8d),
  i16add: simd(0x8e),
  i16mul: simd(0x95),
} as const;

/** A block that loops while `cond` (an i32 expression) is false: `while (!cond) { body }`. */
function until(cond: number[], body: number[]): number[] {
  return [0x02, 0x40, 0x03, 0x40, ...cond, ...op.brIf(1), ...body, ...op.br(0), ...op.end, ...op.end];
}

/** `for (counter = 0; counter < limit; counter += step) body`, `limit` an i32 expression. */
export function counted(counter: number, limit: number[], step: number, body: number[]): number[] {
  return [
    ...op.i32(0), ...op.set(counter),
    ...until([...op.get(counter), ...limit, ...op.geS], [...body, ...op.get(counter), ...op.i32(step), ...op.add, ...op.set(counter)]),
  ];
}

export interface KernelFunction {
  readonly name: string;
  /** Types of the parameters (i32 or f64). */
  readonly params: readonly number[];
  /** Locals after the parameters, as [count, type] runs. */
  readonly locals: ReadonlyArray<readonly [number, number]>;
  readonly body: number[];
}

/** A module of `functions` (no results) and one exported memory named `memory`. */
export function assemble(functions: readonly KernelFunction[]): Uint8Array {
  const types = functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), 0]);
  const code = functions.map((f) => {
    const body = [...vector(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.body, ...op.end];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(5, vector([[0x00, 1]])),
    ...section(7, vector([...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]), [...name('memory'), 0x02, 0]])),
    ...section(10, vector(code)),
  ]);
}
