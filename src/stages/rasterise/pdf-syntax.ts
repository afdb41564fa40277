/**
 * Just enough of PDF's object syntax to follow a page to the image it paints, read straight from
 * the file's bytes: numbers, names, strings, arrays, dictionaries, references, streams, and the
 * operators of a content stream. pdf.js stays the reader of record; this is what lets a scanned
 * page's JPEG reach a native decoder without pdf.js decoding it first (see page-jpeg.ts). Anything
 * it does not understand comes out as `undefined` or a `SyntaxUnsupported` throw, never as a guess.
 * Where the objects are in the file is pdf-objects.ts's business.
 */
import { inflateSync } from 'node:zlib';

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

/** A content-stream operator (`cm`, `Do`, `q`...). */
export class PdfOperator {
  constructor(readonly op: string) {}
}

export type PdfDict = ReadonlyMap<string, PdfValue>;
export type PdfValue = number | boolean | null | string | PdfName | PdfRef | readonly PdfValue[] | PdfDict;

export interface PdfStream {
  readonly dict: PdfDict;
  /** The stream's bytes as stored (still encoded). */
  readonly raw: Uint8Array;
}

/** Thrown on syntax this reader does not take: the caller falls back to pdf.js. */
export class SyntaxUnsupported extends Error {}

/** What a fast path gives for a page it leaves to pdf.js: why, for the page's provenance. */
export interface Declined {
  readonly declined: string;
}
export const declined = (reason: string): Declined => ({ declined: reason });
export const isDeclined = (v: object): v is Declined => 'declined' in v;

/** Byte classes: 0 regular, 1 white space, 2 delimiter. A content stream is lexed byte by byte. */
const CLASS = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CLASS[c] = 1;
for (const c of [0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]) CLASS[c] = 2;
export const isRegular = (c: number | undefined): boolean => c !== undefined && CLASS[c] === 0;
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;

/** Reads objects and operators from `bytes` starting at `pos`. */
export class PdfLexer {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    pos = 0,
  ) {
    this.pos = pos;
  }

  /** Skips white space and comments; false at the end. */
  skipWhite(): boolean {
    const b = this.bytes;
    while (this.pos < b.length) {
      const c = b[this.pos] as number;
      if (CLASS[c] === 1) this.pos++;
      else if (c === 0x25) while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      else return true;
    }
    return false;
  }

  private word(): string {
    const b = this.bytes;
    const start = this.pos;
    while (this.pos < b.length && CLASS[b[this.pos] as number] === 0) this.pos++;
    // Operators and names are short: building the string here beats a Buffer per token.
    let text = '';
    for (let i = start; i < this.pos; i++) text += String.fromCharCode(b[i] as number);
    return text;
  }

  /**
   * A number at the current position (`12`, `-3.5`, `.5`, `4.`), or undefined with the position
   * unchanged when the word there is not one.
   */
  private number(): number | undefined {
    const b = this.bytes;
    let i = this.pos;
    let sign = 1;
    if (b[i] === 0x2d || b[i] === 0x2b) sign = b[i++] === 0x2d ? -1 : 1;
    let value = 0;
    let digits = 0;
    while (isDigit(b[i])) {
      value = value * 10 + ((b[i++] as number) - 0x30);
      digits++;
    }
    if (b[i] === 0x2e) {
      i++;
      let scale = 1;
      let fraction = 0;
      while (isDigit(b[i])) {
        fraction = fraction * 10 + ((b[i++] as number) - 0x30);
        scale *= 10;
        digits++;
      }
      // Long fractions go through the parser, so the value is the nearest double as before.
      if (scale > 1e15) return this.numberFromText(i);
      value += fraction / scale;
    }
    if (digits === 0 || isRegular(b[i])) return undefined;
    this.pos = i;
    return sign * value;
  }

  private numberFromText(end: number): number | undefined {
    if (isRegular(this.bytes[end])) return undefined;
    let text = '';
    for (let i = this.pos; i < end; i++) text += String.fromCharCode(this.bytes[i] as number);
    this.pos = end;
    return Number(text);
  }

  /** The next object or operator, or undefined at the end. References `n g R` come back whole. */
  next(): PdfValue | PdfOperator | undefined {
    if (!this.skipWhite()) return undefined;
    const c = this.bytes[this.pos] as number;
    if (c === 0x2f) {
      this.pos++;
      return new PdfName(this.word().replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))));
    }
    if (c === 0x28) return this.literalString();
    if (c === 0x3c && this.bytes[this.pos + 1] === 0x3c) {
      this.pos += 2;
      return this.dictionary();
    }
    if (c === 0x3c) return this.hexString();
    if (c === 0x5b) {
      this.pos++;
      return this.array();
    }
    if (c === 0x5d || c === 0x3e || c === 0x7b || c === 0x7d || c === 0x29) {
      throw new SyntaxUnsupported(`unexpected '${String.fromCharCode(c)}' at ${this.pos}`);
    }
    const start = this.pos;
    const n = this.number();
    if (n !== undefined) return isDigit(this.bytes[start]) && n === Math.floor(n) && !this.sawPoint(start) ? this.maybeReference(n) : n;
    const word = this.word();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    return new PdfOperator(word);
  }

  /** An object (no operator allowed here). */
  value(): PdfValue {
    const v = this.next();
    if (v === undefined || v instanceof PdfOperator) throw new SyntaxUnsupported(`expected an object at ${this.pos}`);
    return v;
  }

  private sawPoint(start: number): boolean {
    for (let i = start; i < this.pos; i++) if (this.bytes[i] === 0x2e) return true;
    return false;
  }

  /** `n g R` when the words after the integer `n` make a reference; `n` itself otherwise. */
  private maybeReference(n: number): PdfValue {
    const b = this.bytes;
    let i = this.pos;
    const white = (): boolean => {
      const from = i;
      while (CLASS[b[i] as number] === 1 && i < b.length) i++;
      return i > from;
    };
    if (!white() || !isDigit(b[i])) return n;
    let gen = 0;
    while (isDigit(b[i])) gen = gen * 10 + ((b[i++] as number) - 0x30);
    if (!white() || b[i] !== 0x52 || isRegular(b[i + 1])) return n;
    this.pos = i + 1;
    return new PdfRef(n, gen);
  }

  private dictionary(): PdfDict {
    const dict = new Map<string, PdfValue>();
    for (;;) {
      if (!this.skipWhite()) throw new SyntaxUnsupported('unterminated dictionary');
      if (this.bytes[this.pos] === 0x3e && this.bytes[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return dict;
      }
      const key = this.next();
      if (!(key instanceof PdfName)) throw new SyntaxUnsupported(`dictionary key expected at ${this.pos}`);
      dict.set(key.name, this.value());
    }
  }

  private array(): PdfValue[] {
    const out: PdfValue[] = [];
    for (;;) {
      if (!this.skipWhite()) throw new SyntaxUnsupported('unterminated array');
      if (this.bytes[this.pos] === 0x5d) {
        this.pos++;
        return out;
      }
      out.push(this.value());
    }
  }

  private literalString(): string {
    // Kept as raw latin1 with escapes undone only for nesting: no caller reads string contents.
    let depth = 0;
    const start = this.pos;
    for (; this.pos < this.bytes.length; this.pos++) {
      const c = this.bytes[this.pos];
      if (c === 0x5c) this.pos++;
      else if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) {
        this.pos++;
        return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start + 1, this.pos - start - 2).toString('latin1');
      }
    }
    throw new SyntaxUnsupported('unterminated string');
  }

  private hexString(): string {
    const end = this.bytes.indexOf(0x3e, this.pos);
    if (end < 0) throw new SyntaxUnsupported('unterminated hex string');
    const text = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.pos + 1, end - this.pos - 1).toString('latin1');
    this.pos = end + 1;
    return text;
  }
}

/** Whether `text` (ASCII) is written at `pos`. */
export function bytesAt(bytes: Uint8Array, pos: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[pos + i] !== text.charCodeAt(i)) return false;
  return true;
}

export const nameOf = (v: PdfValue | undefined): string | undefined => (v instanceof PdfName ? v.name : undefined);
export const isDict = (v: PdfValue | undefined): v is PdfDict => v instanceof Map;

/**
 * A stream's data with its filters undone, for the filters content, object and cross-reference
 * streams are written with: none, or FlateDecode with or without a PNG predictor; undefined for any
 * other (images keep their filters: their decoders are pdf.js's or sharp's).
 */
export function decodeStream(stream: PdfStream, objects: { resolve(value: PdfValue | undefined): PdfValue | undefined }): Uint8Array | undefined {
  const filter = objects.resolve(stream.dict.get('Filter'));
  const filters = Array.isArray(filter) ? filter.map((f) => nameOf(f)) : filter === undefined ? [] : [nameOf(filter as PdfValue)];
  if (filters.length === 0) return stream.raw;
  if (filters.length !== 1 || (filters[0] !== 'FlateDecode' && filters[0] !== 'Fl')) return undefined;
  let parms = objects.resolve(stream.dict.get('DecodeParms') ?? stream.dict.get('DP'));
  if (Array.isArray(parms)) parms = parms.length === 1 ? objects.resolve(parms[0]) : undefined;
  if (parms !== undefined && parms !== null && !isDict(parms)) return undefined;
  let inflated: Uint8Array;
  try {
    inflated = new Uint8Array(inflateSync(stream.raw));
  } catch {
    return undefined;
  }
  return isDict(parms) ? undoPredictor(inflated, parms) : inflated;
}

/**
 * Rows encoded with a PNG predictor (/Predictor 10-15, each row led by its filter type byte) back to
 * the bytes they encode; the data as is for /Predictor 1; undefined for the TIFF predictor (2) or
 * anything malformed. Cross-reference streams are written with /Predictor 12 (Up).
 */
export function undoPredictor(data: Uint8Array, parms: PdfDict): Uint8Array | undefined {
  const int = (key: string, fallback: number): number | undefined => {
    const v = parms.get(key) ?? fallback;
    return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
  };
  const predictor = int('Predictor', 1);
  const colors = int('Colors', 1);
  const bits = int('BitsPerComponent', 8);
  const columns = int('Columns', 1);
  if (predictor === 1) return data;
  if (predictor === undefined || predictor < 10 || !colors || !bits || !columns) return undefined;
  const bpp = Math.max(1, Math.ceil((colors * bits) / 8));
  const rowBytes = Math.ceil((colors * bits * columns) / 8);
  const rows = Math.floor(data.length / (rowBytes + 1));
  const out = new Uint8Array(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowBytes + 1)];
    const src = r * (rowBytes + 1) + 1;
    const row = r * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const raw = data[src + i] as number;
      const left = i >= bpp ? (out[row + i - bpp] as number) : 0;
      const up = r > 0 ? (out[row - rowBytes + i] as number) : 0;
      const upLeft = r > 0 && i >= bpp ? (out[row - rowBytes + i - bpp] as number) : 0;
      let predicted: number;
      if (type === 0) predicted = 0;
      else if (type === 1) predicted = left;
      else if (type === 2) predicted = up;
      else if (type === 3) predicted = (left + up) >> 1;
      else if (type === 4) predicted = paeth(left, up, upLeft);
      else return undefined;
      out[row + i] = (raw + predicted) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
