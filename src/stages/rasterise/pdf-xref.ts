/**
 * A PDF's cross-reference data, read as a reader of record reads it: `startxref` at the end of the
 * file, then each section it leads to, newest first along the /Prev chain (an incremental update
 * appends a section; its entries win). A section is a classic `xref` table (with, in a hybrid
 * file, the /XRefStm stream beside it) or a cross-reference stream (/Type /XRef: binary rows of
 * /W widths over the /Index ranges, Flate-compressed, usually with a PNG predictor). Entries give an
 * object's byte offset, or the object stream it is packed in and its index there.
 *
 * Anything inconsistent is an XrefBroken with the reason: the caller then scans for `obj` headers
 * instead (pdf-objects.ts), as pdf.js's own recovery does.
 */
import { PdfLexer, PdfOperator, bytesAt, decodeStream, isDict, nameOf, type PdfDict, type PdfStream, type PdfValue } from './pdf-syntax.js';

export type XrefEntry =
  /** In use, written at `offset` (the `n g obj` header). */
  | { readonly kind: 'offset'; readonly offset: number; readonly gen: number }
  /** In use, packed as the `index`-th object of the object stream numbered `stream`. */
  | { readonly kind: 'packed'; readonly stream: number; readonly index: number }
  /** Free (deleted, or never used): an older section's entry for the number does not count. */
  | { readonly kind: 'free' };

export interface Xref {
  /** By object number, newest section first already applied. */
  readonly entries: ReadonlyMap<number, XrefEntry>;
  /** The newest trailer (or cross-reference stream dictionary): /Root, /Encrypt, /Size. */
  readonly trailer: PdfDict;
  /** Added to every offset: bytes before `%PDF-` that the writer did not count. */
  readonly shift: number;
  /**
   * The byte ranges read besides the file's head and tail (each section, start to end), so that a
   * reader of a file fetched in parts can tell whether all it read was fetched (pdf-objects.ts).
   */
  readonly spans: ReadonlyArray<readonly [number, number]>;
}

/** The cross-reference data is missing or inconsistent; the message says where. */
export class XrefBroken extends Error {}

/** Sections followed at most: more is taken as a /Prev loop. */
const MAX_SECTIONS = 256;

export function readXref(bytes: Uint8Array): Xref {
  const start = lastStartxref(bytes);
  // Some scanners write junk before `%PDF-` and count offsets from the header, not the file.
  const header = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).indexOf('%PDF-', 0, 'latin1');
  const shifts = header > 0 ? [0, header] : [0];
  const shift = shifts.find((s) => startsSection(bytes, start + s));
  if (shift === undefined) throw new XrefBroken(`startxref ${start} points at neither an xref table nor an xref stream`);

  const entries = new Map<number, XrefEntry>();
  let trailer: PdfDict | undefined;
  const spans: Array<readonly [number, number]> = [[start, Math.min(bytes.length, start + shift + 32)]];
  const seen = new Set<number>();
  const pending: number[] = [start];
  while (pending.length > 0) {
    const at = (pending.shift() as number) + shift;
    if (seen.has(at)) continue; // a /Prev loop
    if (seen.size >= MAX_SECTIONS) throw new XrefBroken('too many cross-reference sections');
    seen.add(at);
    const section = bytesAt(bytes, at, 'xref') ? readTable(bytes, at) : readStream(bytes, at);
    spans.push([at, section.end]);
    for (const [num, entry] of section.entries) if (!entries.has(num)) entries.set(num, entry);
    trailer ??= section.trailer;
    // A hybrid file's stream holds what the table leaves out: it comes before the older sections.
    const more = [section.trailer.get('XRefStm'), section.trailer.get('Prev')].filter((v): v is number => typeof v === 'number');
    pending.unshift(...more);
  }
  return { entries, trailer: trailer as PdfDict, shift, spans };
}

/** The offset after the last `startxref` in the file's tail. */
function lastStartxref(bytes: Uint8Array): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = buf.lastIndexOf('startxref', Math.max(0, buf.length), 'latin1');
  if (at < 0 || buf.length - at > 4096) throw new XrefBroken('no startxref at the end of the file');
  const lexer = new PdfLexer(bytes, at + 'startxref'.length);
  const offset = lexer.next();
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset >= bytes.length) {
    throw new XrefBroken(`startxref gives no offset inside the file (${String(offset)})`);
  }
  return offset;
}

/** Whether a section starts at `at`: `xref`, or the `n g obj` of a cross-reference stream. */
function startsSection(bytes: Uint8Array, at: number): boolean {
  if (at < 0 || at >= bytes.length) return false;
  if (bytes[at - 1] !== undefined && !isBoundary(bytes[at - 1] as number)) return false;
  if (bytesAt(bytes, at, 'xref')) return true;
  try {
    return objectHeader(new PdfLexer(bytes, at)) !== undefined;
  } catch {
    return false;
  }
}

const isBoundary = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x20 || c === 0x09 || c === 0x0c || c === 0x00 || c === 0x3e;

/** `num gen obj` at the lexer's position, read past; undefined when something else is there. */
export function objectHeader(lexer: PdfLexer): { num: number; gen: number } | undefined {
  const num = lexer.next();
  const gen = lexer.next();
  const keyword = lexer.next();
  const whole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (!whole(num) || !whole(gen) || !(keyword instanceof PdfOperator) || keyword.op !== 'obj') return undefined;
  return { num, gen };
}

interface Section {
  readonly entries: ReadonlyMap<number, XrefEntry>;
  readonly trailer: PdfDict;
  /** Where the section's bytes end. */
  readonly end: number;
}

/** A classic table: subsections of `first count`, then 20-byte rows `offset gen n|f`, then `trailer << >>`. */
function readTable(bytes: Uint8Array, at: number): Section {
  const lexer = new PdfLexer(bytes, at + 'xref'.length);
  const entries = new Map<number, XrefEntry>();
  for (;;) {
    const token = lexer.next();
    if (token instanceof PdfOperator && token.op === 'trailer') break;
    const count = lexer.next();
    if (typeof token !== 'number' || typeof count !== 'number' || !Number.isInteger(token) || !Number.isInteger(count) || count < 0) {
      throw new XrefBroken(`xref table at ${at}: subsection header expected`);
    }
    for (let i = 0; i < count; i++) {
      const offset = lexer.next();
      const gen = lexer.next();
      const type = lexer.next();
      if (typeof offset !== 'number' || typeof gen !== 'number' || !(type instanceof PdfOperator) || (type.op !== 'n' && type.op !== 'f')) {
        throw new XrefBroken(`xref table at ${at}: bad row for object ${token + i}`);
      }
      if (!entries.has(token + i)) entries.set(token + i, type.op === 'n' ? { kind: 'offset', offset, gen } : { kind: 'free' });
    }
  }
  const trailer = lexer.value();
  if (!isDict(trailer)) throw new XrefBroken(`xref table at ${at}: no trailer dictionary`);
  return { entries, trailer, end: lexer.pos };
}

/** A cross-reference stream at `at` (its `n g obj` header). */
function readStream(bytes: Uint8Array, at: number): Section {
  const lexer = new PdfLexer(bytes, at);
  if (!objectHeader(lexer)) throw new XrefBroken(`no xref table or stream at ${at}`);
  const dict = lexer.value();
  if (!isDict(dict) || nameOf(dict.get('Type')) !== 'XRef') throw new XrefBroken(`object at ${at} is not an xref stream`);
  lexer.skipWhite();
  const stream = directStream(bytes, dict, lexer.pos);
  // Its own dictionary may not use indirect objects (ISO 32000 7.5.8.2): resolving is the identity.
  const data = stream && decodeStream(stream, { resolve: (v: PdfValue | undefined) => v });
  if (!data) throw new XrefBroken(`xref stream at ${at}: data not readable`);
  const w = dict.get('W');
  const size = dict.get('Size');
  const index = dict.get('Index') ?? [0, size ?? 0];
  if (!Array.isArray(w) || w.length !== 3 || !w.every((n: PdfValue) => typeof n === 'number' && n >= 0 && n <= 8)) {
    throw new XrefBroken(`xref stream at ${at}: bad /W`);
  }
  if (!Array.isArray(index) || index.length % 2 !== 0 || !index.every((n: PdfValue) => typeof n === 'number')) {
    throw new XrefBroken(`xref stream at ${at}: bad /Index`);
  }
  const [w0, w1, w2] = w as [number, number, number];
  const rowBytes = w0 + w1 + w2;
  const field = (pos: number, width: number): number => {
    let v = 0;
    for (let i = 0; i < width; i++) v = v * 256 + (data[pos + i] as number);
    return v;
  };
  const entries = new Map<number, XrefEntry>();
  let row = 0;
  for (let k = 0; k < index.length; k += 2) {
    const first = index[k] as number;
    const count = index[k + 1] as number;
    for (let i = 0; i < count; i++, row++) {
      const pos = row * rowBytes;
      if (pos + rowBytes > data.length) throw new XrefBroken(`xref stream at ${at}: fewer rows than /Index says`);
      // A zero-width type field means type 1 (in use, at an offset).
      const type = w0 === 0 ? 1 : field(pos, w0);
      const a = field(pos + w0, w1);
      const b = field(pos + w0 + w1, w2);
      const num = first + i;
      if (entries.has(num)) continue;
      if (type === 1) entries.set(num, { kind: 'offset', offset: a, gen: b });
      else if (type === 2) entries.set(num, { kind: 'packed', stream: a, index: b });
      else if (type === 0) entries.set(num, { kind: 'free' });
      // Other types are reserved: a reader takes them as null objects, so as free.
      else entries.set(num, { kind: 'free' });
    }
  }
  return { entries, trailer: dict, end: stream.raw.byteOffset - bytes.byteOffset + stream.raw.byteLength };
}

/** A stream whose /Length is a direct number, its keyword at `at`; undefined when it does not fit. */
function directStream(bytes: Uint8Array, dict: PdfDict, at: number): PdfStream | undefined {
  if (!bytesAt(bytes, at, 'stream')) return undefined;
  let start = at + 'stream'.length;
  if (bytes[start] === 0x0d) start++;
  if (bytes[start] === 0x0a) start++;
  const length = dict.get('Length');
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || start + length > bytes.length) return undefined;
  return { dict, raw: bytes.subarray(start, start + length) };
}
