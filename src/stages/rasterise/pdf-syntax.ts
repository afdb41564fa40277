/**
 * Just enough of PDF's object syntax to follow a page to the image it paints, read straight from
 * the file's bytes: numbers, names, strings, arrays, dictionaries, references, streams, and the
 * operators of a content stream. pdf.js stays the reader of record; this is what lets a scanned
 * page's JPEG reach a native decoder without pdf.js decoding it first (see page-jpeg.ts). Anything
 * it does not understand comes out as `undefined` or a `SyntaxUnsupported` throw, never as a guess.
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

/** Byte classes: 0 regular, 1 white space, 2 delimiter. A content stream is lexed byte by byte. */
const CLASS = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CLASS[c] = 1;
for (const c of [0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]) CLASS[c] = 2;
const isRegular = (c: number | undefined): boolean => c !== undefined && CLASS[c] === 0;
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

export const nameOf = (v: PdfValue | undefined): string | undefined => (v instanceof PdfName ? v.name : undefined);
export const isDict = (v: PdfValue | undefined): v is PdfDict => v instanceof Map;

/**
 * The indirect objects of a PDF, found by their `n g obj` headers (the last definition wins, as
 * after an incremental update). Objects packed in object streams are not seen: asking for one gives
 * undefined, as does anything that does not parse.
 */
export class PdfObjects {
  private offsets: Map<string, number> | undefined;

  constructor(readonly bytes: Uint8Array) {}

  /** The object `ref` points at, with its stream when it has one. */
  get(ref: PdfRef): { value: PdfValue; stream?: PdfStream } | undefined {
    const at = this.offsetOf(ref);
    if (at === undefined) return undefined;
    try {
      const lexer = new PdfLexer(this.bytes, at);
      const value = lexer.value();
      if (!isDict(value) || !lexer.skipWhite() || !this.startsWith(lexer.pos, 'stream')) return { value };
      const stream = this.readStream(value, lexer.pos + 'stream'.length);
      return stream ? { value, stream } : undefined;
    } catch (err) {
      if (err instanceof SyntaxUnsupported) return undefined;
      throw err;
    }
  }

  /** Where the definition of `ref` starts (just past its `n g obj` header); undefined when not found. */
  offsetOf(ref: PdfRef): number | undefined {
    return this.index().get(`${ref.num} ${ref.gen}`);
  }

  /** The object whose definition holds byte `pos`: the last header before it. */
  objectAt(pos: number): PdfRef | undefined {
    const headers = this.headersByOffset();
    let lo = 0;
    let hi = headers.length - 1;
    let found: PdfRef | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const header = headers[mid] as { at: number; ref: PdfRef };
      if (header.at <= pos) {
        found = header.ref;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  private sortedHeaders: Array<{ at: number; ref: PdfRef }> | undefined;
  private headersByOffset(): Array<{ at: number; ref: PdfRef }> {
    this.sortedHeaders ??= [...this.index()]
      .map(([key, at]) => {
        const [num, gen] = key.split(' ').map(Number) as [number, number];
        return { at, ref: new PdfRef(num, gen) };
      })
      .sort((a, b) => a.at - b.at);
    return this.sortedHeaders;
  }

  /** `value`, or the object it refers to (one level; the chain is followed until a direct value). */
  resolve(value: PdfValue | undefined): PdfValue | undefined {
    for (let hops = 0; value instanceof PdfRef; hops++) {
      if (hops > 8) return undefined;
      value = this.get(value)?.value;
    }
    return value;
  }

  private readStream(dict: PdfDict, afterKeyword: number): PdfStream | undefined {
    let start = afterKeyword;
    if (this.bytes[start] === 0x0d) start++;
    if (this.bytes[start] === 0x0a) start++;
    const length = this.resolve(dict.get('Length'));
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || start + length > this.bytes.length) return undefined;
    // A wrong /Length is a damaged file: leave it to pdf.js's recovery.
    const tail = new PdfLexer(this.bytes, start + length);
    tail.skipWhite();
    if (!this.startsWith(tail.pos, 'endstream')) return undefined;
    return { dict, raw: this.bytes.subarray(start, start + length) };
  }

  private startsWith(pos: number, text: string): boolean {
    for (let i = 0; i < text.length; i++) if (this.bytes[pos + i] !== text.charCodeAt(i)) return false;
    return true;
  }

  /** Offsets just past each `n g obj` header. */
  private index(): Map<string, number> {
    if (this.offsets) return this.offsets;
    const offsets = new Map<string, number>();
    const buf = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const header = /(\d+)[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]*$/;
    for (let at = buf.indexOf('obj', 0, 'latin1'); at >= 0; at = buf.indexOf('obj', at + 3, 'latin1')) {
      if (isRegular(buf[at + 3])) continue; // `objects`, `endobj` is caught below
      const before = buf.toString('latin1', Math.max(0, at - 24), at);
      const m = header.exec(before);
      if (!m) continue;
      const startOfNumber = at - before.length + (m.index ?? 0);
      if (startOfNumber > 0 && isRegular(buf[startOfNumber - 1])) continue;
      offsets.set(`${Number(m[1])} ${Number(m[2])}`, at + 3);
    }
    this.offsets = offsets;
    return offsets;
  }
}

/**
 * A stream's data with its filters undone, for the filters a content stream is written with
 * (none, FlateDecode without a predictor); undefined for any other.
 */
export function decodeStream(stream: PdfStream, objects: PdfObjects): Uint8Array | undefined {
  const filter = objects.resolve(stream.dict.get('Filter'));
  const filters = Array.isArray(filter) ? filter.map((f) => nameOf(f)) : filter === undefined ? [] : [nameOf(filter as PdfValue)];
  if (filters.length === 0) return stream.raw;
  if (filters.length !== 1 || (filters[0] !== 'FlateDecode' && filters[0] !== 'Fl')) return undefined;
  if (stream.dict.has('DecodeParms') || stream.dict.has('DP')) return undefined;
  try {
    return new Uint8Array(inflateSync(stream.raw));
  } catch {
    return undefined;
  }
}
