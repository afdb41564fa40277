/**
 * The indirect objects of a PDF, read where the cross-reference data says they are (pdf-xref.ts):
 * at a byte offset, or packed in an object stream (/Type /ObjStm: /N pairs of number and offset,
 * the objects from /First on). Only when that data is broken (missing, inconsistent, or an object
 * is not where it says) are the objects found instead by scanning for their `n g obj` headers, the
 * last definition winning, as after an incremental update; `access` tells which, and why.
 *
 * Anything that does not parse comes out as undefined, never as a guess: the caller then leaves
 * the page to pdf.js, the reader of record.
 *
 * A file fetched in parts (partial-file.ts) comes with `fetched`: every read first checks that its
 * bytes are there (an object from its offset to the next object's, the cross-reference sections,
 * a stream's data) and throws BytesMissing when not, and checks again afterwards what the lexer
 * actually went over; the repairing scan needs the whole file.
 */
import { BytesMissing } from './partial-file.js';
import { PdfLexer, PdfRef, SyntaxUnsupported, bytesAt, decodeStream, isDict, isRegular, nameOf, type PdfDict, type PdfStream, type PdfValue } from './pdf-syntax.js';
import { XrefBroken, objectHeader, readXref, type XrefEntry } from './pdf-xref.js';

/** How the objects are found: through the cross-reference data, or by the repairing scan. */
export interface ObjectIndexAccess {
  readonly objects: 'via-xref' | 'repaired-scan';
  /** Why the cross-reference data was not used. */
  readonly reason?: string;
}

interface ObjectIndex {
  readonly access: ObjectIndexAccess;
  readonly entries: ReadonlyMap<number, XrefEntry>;
  readonly trailer: PdfDict | undefined;
}

/** An object stream, decoded: its data and where each of its objects starts in it. */
interface ObjectStream {
  readonly data: Uint8Array;
  /** [object number, offset from the start of `data`] by index. */
  readonly objects: ReadonlyArray<readonly [number, number]>;
}

export class PdfObjects {
  private index: ObjectIndex | undefined;
  private readonly objectStreams = new Map<number, ObjectStream | undefined>();
  private sortedHeaders: Array<{ at: number; ref: PdfRef }> | undefined;

  /** `fetched`: for a file fetched in parts, whether bytes `start`..`end` are there. */
  constructor(
    readonly bytes: Uint8Array,
    private readonly fetched?: (start: number, end: number) => boolean,
  ) {}

  /** Throws BytesMissing unless bytes `start`..`end` are there. */
  private need(start: number, end: number): void {
    if (this.fetched && !this.fetched(start, end)) throw new BytesMissing(start, end);
  }

  /** Needs the bytes of the object written at `offset`: up to the next object's offset. */
  private needObjectAt(offset: number): void {
    if (!this.fetched) return;
    const headers = this.headersByOffset();
    let lo = 0;
    let hi = headers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((headers[mid] as { at: number }).at <= offset) lo = mid + 1;
      else hi = mid;
    }
    this.need(offset, headers[lo]?.at ?? this.bytes.length);
  }

  /** Through the cross-reference data or by the repairing scan (read on first use). */
  get access(): ObjectIndexAccess {
    return this.objectIndex().access;
  }

  /** Whether the file is encrypted: its strings and streams are then not readable as they are. */
  get encrypted(): boolean {
    const trailer = this.objectIndex().trailer;
    return trailer ? trailer.has('Encrypt') : false;
  }

  /** The object `ref` points at, with its stream when it has one. */
  get(ref: PdfRef): { value: PdfValue; stream?: PdfStream } | undefined {
    const entry = this.objectIndex().entries.get(ref.num);
    if (!entry || entry.kind === 'free') return undefined;
    try {
      if (entry.kind === 'packed') return ref.gen === 0 ? this.packed(ref.num, entry.stream, entry.index) : undefined;
      if (entry.gen !== ref.gen) return undefined;
      this.needObjectAt(entry.offset);
      const lexer = new PdfLexer(this.bytes, entry.offset);
      try {
        return this.readObject(ref, entry.offset, lexer);
      } finally {
        // What the lexer went over must have been there, also when it stopped on a syntax error
        // (after a repair it went nowhere: the object was read again from its new offset).
        if (this.index?.access.objects === 'via-xref') this.need(entry.offset, lexer.pos + 'stream'.length);
      }
    } catch (err) {
      if (err instanceof SyntaxUnsupported) return undefined;
      throw err;
    }
  }

  /** The object `ref` read from its header at `offset` on, `lexer` standing there. */
  private readObject(ref: PdfRef, offset: number, lexer: PdfLexer): { value: PdfValue; stream?: PdfStream } | undefined {
    const header = objectHeader(lexer);
    if (!header || header.num !== ref.num || header.gen !== ref.gen) {
      if (this.index?.access.objects !== 'via-xref') return undefined;
      this.repair(`object ${ref.num} ${ref.gen} is not at its xref offset ${offset}`);
      return this.get(ref);
    }
    const value = lexer.value();
    if (!isDict(value) || !lexer.skipWhite() || !bytesAt(this.bytes, lexer.pos, 'stream')) return { value };
    const stream = this.readStream(value, lexer.pos + 'stream'.length);
    return stream ? { value, stream } : undefined;
  }

  /**
   * Where the definition of `ref` starts in the file (just past its `n g obj` header); undefined
   * when not found, or when the object is packed in an object stream (it has no bytes of its own).
   */
  offsetOf(ref: PdfRef): number | undefined {
    const entry = this.objectIndex().entries.get(ref.num);
    if (entry?.kind !== 'offset' || entry.gen !== ref.gen) return undefined;
    this.needObjectAt(entry.offset);
    const lexer = new PdfLexer(this.bytes, entry.offset);
    try {
      const header = objectHeader(lexer);
      return header?.num === ref.num ? lexer.pos : undefined;
    } catch (err) {
      if (err instanceof SyntaxUnsupported) return undefined;
      throw err;
    }
  }

  /** The object written in the file whose definition holds byte `pos`: the last header before it. */
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

  /** `value`, or the object it refers to (the chain is followed until a direct value). */
  resolve(value: PdfValue | undefined): PdfValue | undefined {
    for (let hops = 0; value instanceof PdfRef; hops++) {
      if (hops > 8) return undefined;
      value = this.get(value)?.value;
    }
    return value;
  }

  private objectIndex(): ObjectIndex {
    if (this.index) return this.index;
    // The tail holds `startxref`, the head a `%PDF-` after junk (pdf-xref.ts).
    this.need(Math.max(0, this.bytes.length - 4200), this.bytes.length);
    this.need(0, 1024);
    try {
      const xref = readXref(this.bytes);
      for (const [start, end] of xref.spans) this.need(start, end);
      const entries = new Map<number, XrefEntry>();
      for (const [num, entry] of xref.entries) {
        entries.set(num, entry.kind === 'offset' ? { ...entry, offset: entry.offset + xref.shift } : entry);
      }
      this.index = { access: { objects: 'via-xref' }, entries, trailer: xref.trailer };
    } catch (err) {
      if (!(err instanceof XrefBroken || err instanceof SyntaxUnsupported)) throw err;
      this.repair(err.message);
    }
    return this.index as ObjectIndex;
  }

  /** Gives up the cross-reference data for the scan, saying why. */
  private repair(reason: string): void {
    this.need(0, this.bytes.length);
    this.index = { access: { objects: 'repaired-scan', reason }, entries: scanHeaders(this.bytes), trailer: this.index?.trailer };
    this.sortedHeaders = undefined;
  }

  private headersByOffset(): Array<{ at: number; ref: PdfRef }> {
    this.sortedHeaders ??= [...this.objectIndex().entries]
      .flatMap(([num, entry]) => (entry.kind === 'offset' ? [{ at: entry.offset, ref: new PdfRef(num, entry.gen) }] : []))
      .sort((a, b) => a.at - b.at);
    return this.sortedHeaders;
  }

  /** The `index`-th object of object stream `streamNum`, when it is object `num`. */
  private packed(num: number, streamNum: number, index: number): { value: PdfValue } | undefined {
    const stream = this.objectStream(streamNum);
    const slot = stream?.objects[index];
    // The index is a hint (ISO 32000 7.5.8.3); the stream's own table is the truth.
    const offset = slot && slot[0] === num ? slot[1] : stream?.objects.find(([n]) => n === num)?.[1];
    if (!stream || offset === undefined) return undefined;
    return { value: new PdfLexer(stream.data, offset).value() };
  }

  private objectStream(num: number): ObjectStream | undefined {
    if (this.objectStreams.has(num)) return this.objectStreams.get(num);
    let decoded: ObjectStream | undefined;
    const stream = this.get(new PdfRef(num, 0))?.stream;
    const n = stream && this.resolve(stream.dict.get('N'));
    const first = stream && this.resolve(stream.dict.get('First'));
    const data = stream && nameOf(stream.dict.get('Type')) === 'ObjStm' ? decodeStream(stream, this) : undefined;
    if (data && typeof n === 'number' && typeof first === 'number' && first <= data.length) {
      const lexer = new PdfLexer(data.subarray(0, first));
      const objects: Array<readonly [number, number]> = [];
      for (let i = 0; i < n; i++) {
        const objNum = lexer.next();
        const offset = lexer.next();
        if (typeof objNum !== 'number' || typeof offset !== 'number') break;
        objects.push([objNum, first + offset]);
      }
      if (objects.length === n) decoded = { data, objects };
    }
    this.objectStreams.set(num, decoded);
    return decoded;
  }

  private readStream(dict: PdfDict, afterKeyword: number): PdfStream | undefined {
    let start = afterKeyword;
    if (this.bytes[start] === 0x0d) start++;
    if (this.bytes[start] === 0x0a) start++;
    const length = this.resolve(dict.get('Length'));
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || start + length > this.bytes.length) return undefined;
    this.need(afterKeyword, start + length + ENDSTREAM_SLACK);
    // A wrong /Length is a damaged file: leave it to pdf.js's recovery.
    const tail = new PdfLexer(this.bytes, start + length);
    tail.skipWhite();
    this.need(start + length, tail.pos + 'endstream'.length);
    if (!bytesAt(this.bytes, tail.pos, 'endstream')) return undefined;
    return { dict, raw: this.bytes.subarray(start, start + length) };
  }
}

/** Bytes past a stream's data fetched with it, for the end-of-line and `endstream` after it. */
const ENDSTREAM_SLACK = 32;

/** The repairing scan: each `n g obj` header's offset by object number, the last one winning. */
function scanHeaders(bytes: Uint8Array): Map<number, XrefEntry> {
  const entries = new Map<number, XrefEntry>();
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = /(\d+)[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]*$/;
  for (let at = buf.indexOf('obj', 0, 'latin1'); at >= 0; at = buf.indexOf('obj', at + 3, 'latin1')) {
    if (isRegular(buf[at + 3])) continue; // `objects`, `endobj` is caught below
    const before = buf.toString('latin1', Math.max(0, at - 24), at);
    const m = header.exec(before);
    if (!m) continue;
    const startOfNumber = at - before.length + (m.index ?? 0);
    if (startOfNumber > 0 && isRegular(buf[startOfNumber - 1])) continue;
    entries.set(Number(m[1]), { kind: 'offset', offset: startOfNumber, gen: Number(m[2]) });
  }
  return entries;
}
