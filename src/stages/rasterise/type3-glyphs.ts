/**
 * A copy of a PDF whose Type 3 fonts have no glyph programs, for reading text and vector content.
 *
 * pdf.js parses every glyph program (CharProcs) of a Type 3 font into an operator list as soon as
 * the font is used, even for `getTextContent`, which never draws a glyph. Publisher and browser
 * PDFs set Chinese text in hundreds of such fonts (Skia writes one per 256 glyphs): on a broadsheet
 * page that parsing is more than half of pdf.js's time. Text positions come from /Widths and
 * /FontMatrix, the characters from /ToUnicode, so without the glyph programs the text content is
 * the same; only drawing the glyphs needs them, and a page that is drawn is drawn from the file as
 * given (see pdf.ts).
 *
 * The glyph dictionaries are overwritten with spaces in place, so every byte offset (and the
 * cross-reference data) stays valid. The fonts are found through the file's objects
 * (pdf-objects.ts); a font packed in an object stream has no bytes of its own to overwrite (they
 * are compressed) and keeps its glyphs.
 */
import type { PdfObjects } from './pdf-objects.js';
import { PdfLexer, PdfName, PdfRef, SyntaxUnsupported, isDict, nameOf, type PdfValue } from './pdf-syntax.js';

/** A byte range holding a `<< ... >>` dictionary. */
interface DictSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * `bytes` with the CharProcs of every Type 3 font emptied, as a new array of the same length;
 * undefined when there is no such font (nothing to gain).
 */
export function withoutType3Glyphs(bytes: Uint8Array, objects: PdfObjects): Uint8Array | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fonts = new Map<string, PdfRef>();
  for (let at = buf.indexOf('/Type3', 0, 'latin1'); at >= 0; at = buf.indexOf('/Type3', at + 6, 'latin1')) {
    const ref = objects.objectAt(at);
    if (ref) fonts.set(`${ref.num} ${ref.gen}`, ref);
  }
  const spans = new Map<number, DictSpan>();
  for (const font of fonts.values()) {
    const span = glyphDictSpan(objects, font);
    if (span) spans.set(span.start, span);
  }
  if (spans.size === 0) return undefined;
  const copy = new Uint8Array(bytes);
  for (const { start, end } of spans.values()) copy.fill(0x20, start + 2, end - 2);
  return copy;
}

/** Where the glyph dictionary of the Type 3 font `ref` is written, when it is one this can empty. */
function glyphDictSpan(objects: PdfObjects, ref: PdfRef): DictSpan | undefined {
  const font = objects.get(ref);
  if (!font || font.stream || !isDict(font.value)) return undefined;
  if (nameOf(font.value.get('Subtype')) !== 'Type3' || !font.value.has('CharProcs')) return undefined;
  const at = objects.offsetOf(ref);
  if (at === undefined) return undefined;
  try {
    const entry = entrySpan(objects.bytes, at, 'CharProcs');
    if (!entry) return undefined;
    if (entry.value instanceof PdfRef) {
      // The glyph dictionary is an object of its own.
      const target = objects.get(entry.value);
      const targetAt = objects.offsetOf(entry.value);
      if (!target || target.stream || targetAt === undefined) return undefined;
      const lexer = new PdfLexer(objects.bytes, targetAt);
      lexer.skipWhite();
      const start = lexer.pos;
      return onlyGlyphRefs(lexer.value()) ? dictSpan(objects.bytes, start, lexer.pos) : undefined;
    }
    return onlyGlyphRefs(entry.value) ? dictSpan(objects.bytes, entry.start, entry.end) : undefined;
  } catch (err) {
    if (err instanceof SyntaxUnsupported) return undefined;
    throw err;
  }
}

/** The value of `key` in the dictionary that starts at `at`, with the bytes it spans. */
function entrySpan(bytes: Uint8Array, at: number, key: string): { value: PdfValue; start: number; end: number } | undefined {
  const lexer = new PdfLexer(bytes, at);
  if (!lexer.skipWhite() || bytes[lexer.pos] !== 0x3c || bytes[lexer.pos + 1] !== 0x3c) return undefined;
  lexer.pos += 2;
  while (lexer.skipWhite()) {
    if (bytes[lexer.pos] === 0x3e && bytes[lexer.pos + 1] === 0x3e) return undefined;
    const name = lexer.next();
    if (!(name instanceof PdfName)) return undefined;
    lexer.skipWhite();
    const start = lexer.pos;
    const value = lexer.value();
    if (name.name === key) return { value, start, end: lexer.pos };
  }
  return undefined;
}

/** A glyph dictionary as fonts write it: glyph names to glyph program streams. */
function onlyGlyphRefs(value: PdfValue): boolean {
  return isDict(value) && [...value.values()].every((v) => v instanceof PdfRef);
}

function dictSpan(bytes: Uint8Array, start: number, end: number): DictSpan | undefined {
  const opens = bytes[start] === 0x3c && bytes[start + 1] === 0x3c;
  const closes = bytes[end - 2] === 0x3e && bytes[end - 1] === 0x3e;
  return opens && closes && end - start >= 4 ? { start, end } : undefined;
}
