/**
 * The cross-reference reader on files built byte by byte: xref streams (/W, /Index ranges, PNG
 * predictors), object streams, hybrid files (/XRefStm), /Prev chains with freed objects.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

import { PdfObjects } from '../../src/stages/rasterise/pdf-objects.js';
import { PdfRef, undoPredictor } from '../../src/stages/rasterise/pdf-syntax.js';
import { readXref } from '../../src/stages/rasterise/pdf-xref.js';

/** A file assembled from parts; `at(name)` is where the part of that name starts. */
class FileBuilder {
  private readonly parts: Buffer[] = [Buffer.from('%PDF-1.7\n', 'latin1')];
  private readonly offsets = new Map<string, number>();
  private length = 9;
  add(name: string, part: string | Buffer): this {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'latin1') : part;
    this.offsets.set(name, this.length);
    this.parts.push(bytes);
    this.length += bytes.length;
    return this;
  }
  at(name: string): number {
    const at = this.offsets.get(name);
    if (at === undefined) throw new Error(`no part ${name}`);
    return at;
  }
  get size(): number {
    return this.length;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(Buffer.concat(this.parts));
  }
}

const stream = (num: number, dict: string, data: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`${num} 0 obj\n<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream\nendobj\n', 'latin1')]);

/** Rows of `columns` bytes, each led by PNG filter type 2 (Up), as qpdf writes xref streams. */
function pngUp(rows: readonly number[][], columns: number): Buffer {
  const out: number[] = [];
  let previous = new Array<number>(columns).fill(0);
  for (const row of rows) {
    out.push(2, ...row.map((v, i) => (v - (previous[i] as number) + 256) & 0xff));
    previous = row;
  }
  return Buffer.from(out);
}

/** An xref stream row of widths [1 2 1]. */
const row = (type: number, a: number, b: number): number[] => [type, (a >> 8) & 0xff, a & 0xff, b];

/** An object stream holding `objects` (number to body). */
function objectStream(num: number, objects: Record<number, string>): Buffer {
  let header = '';
  let body = '';
  for (const [n, text] of Object.entries(objects)) {
    header += `${n} ${body.length} `;
    body += `${text}\n`;
  }
  const data = deflateSync(Buffer.from(header + body, 'latin1'));
  return stream(num, `/Type /ObjStm /N ${Object.keys(objects).length} /First ${header.length} /Filter /FlateDecode`, data);
}

describe('readXref and PdfObjects', () => {
  it('read an xref stream with two /Index ranges and a PNG predictor, and objects in an object stream', () => {
    const file = new FileBuilder()
      .add('1', '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n')
      .add('2', '2 0 obj\n<< /V 2 /Packed 10 0 R >>\nendobj\n')
      .add('11', objectStream(11, { 10: '<< /V 10 >>', 12: '[1 2 3]' }));
    const rows = [row(0, 0, 255), row(1, file.at('1'), 0), row(1, file.at('2'), 0), row(2, 11, 0), row(1, file.at('11'), 0), row(2, 11, 1)];
    const data = deflateSync(pngUp(rows, 4));
    file.add('xref', stream(13, '/Type /XRef /Size 14 /W [1 2 1] /Index [0 3 10 3] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >>', data));
    const bytes = Buffer.concat([Buffer.from(file.bytes()), Buffer.from(`startxref\n${file.at('xref')}\n%%EOF\n`, 'latin1')]);
    const objects = new PdfObjects(Uint8Array.from(bytes));
    expect(objects.access).toEqual({ objects: 'via-xref' });
    expect(objects.resolve(new PdfRef(2, 0))).toEqual(new Map<string, unknown>([['V', 2], ['Packed', new PdfRef(10, 0)]]));
    expect(objects.resolve(new PdfRef(10, 0))).toEqual(new Map([['V', 10]]));
    expect(objects.resolve(new PdfRef(12, 0))).toEqual([1, 2, 3]);
    expect(objects.get(new PdfRef(5, 0))).toBeUndefined(); // not in any range
    expect(objects.offsetOf(new PdfRef(10, 0))).toBeUndefined(); // packed: no bytes of its own
  });

  it('read a hybrid file: the table, then its /XRefStm, then /Prev, newest first, a freed object staying free', () => {
    const file = new FileBuilder()
      .add('1', '1 0 obj\n<< /Type /Catalog >>\nendobj\n')
      .add('2', '2 0 obj\n<< /V (old) >>\nendobj\n')
      .add('3', '3 0 obj\n<< /V (kept) >>\nendobj\n');
    const table = (entries: string): string => `xref\n${entries}`;
    const firstTable = file.size;
    file.add('xref0', table(`0 4\n0000000000 65535 f \n${[1, 2, 3].map((n) => `${String(file.at(String(n))).padStart(10, '0')} 00000 n \n`).join('')}`));
    file.add('trailer0', 'trailer\n<< /Size 4 /Root 1 0 R >>\n');
    // The update: object 2 freed, object 3 rewritten, object 10 packed in 11 (listed by the stream only).
    file.add('3b', '3 0 obj\n<< /V (new) >>\nendobj\n').add('11', objectStream(11, { 10: '(packed)' }));
    const data = deflateSync(Buffer.from([...row(2, 11, 0), ...row(1, file.at('11'), 0)]));
    file.add('xrefstm', stream(12, '/Type /XRef /Size 13 /W [1 2 1] /Index [10 2] /Filter /FlateDecode', data));
    file.add('xref1', table(`2 2\n0000000000 00001 f \n${String(file.at('3b')).padStart(10, '0')} 00000 n \n`));
    file.add('trailer1', `trailer\n<< /Size 13 /Root 1 0 R /Prev ${firstTable} /XRefStm ${file.at('xrefstm')} >>\nstartxref\n${file.at('xref1')}\n%%EOF\n`);
    const bytes = file.bytes();
    const xref = readXref(bytes);
    expect(xref.entries.get(2)).toEqual({ kind: 'free' });
    expect(xref.entries.get(10)).toEqual({ kind: 'packed', stream: 11, index: 0 });
    const objects = new PdfObjects(bytes);
    expect(objects.resolve(new PdfRef(2, 0))).toBeUndefined();
    expect(objects.resolve(new PdfRef(3, 0))).toEqual(new Map([['V', 'new']]));
    expect(objects.resolve(new PdfRef(10, 0))).toBe('packed');
    expect(objects.access).toEqual({ objects: 'via-xref' });
  });

  it('turn to the repairing scan, saying why, when there is no xref at all', () => {
    const bytes = Uint8Array.from(Buffer.from('%PDF-1.7\n4 0 obj\n<< /V 4 >>\nendobj\n', 'latin1'));
    const objects = new PdfObjects(bytes);
    expect(objects.resolve(new PdfRef(4, 0))).toEqual(new Map([['V', 4]]));
    expect(objects.access).toEqual({ objects: 'repaired-scan', reason: 'no startxref at the end of the file' });
  });
});

describe('undoPredictor', () => {
  // Two rows of 2 pixels x 2 bytes (bpp 2): [10 20 30 40] then [15 25 35 45].
  const parms = new Map<string, number>([['Predictor', 12], ['Colors', 2], ['Columns', 2]]);
  const expected = [10, 20, 30, 40, 15, 25, 35, 45];
  it.each([
    ['None', [0, 10, 20, 30, 40, 0, 15, 25, 35, 45]],
    ['Sub', [1, 10, 20, 20, 20, 1, 15, 25, 20, 20]],
    ['Up', [2, 10, 20, 30, 40, 2, 5, 5, 5, 5]],
    ['Average', [3, 10, 20, 25, 30, 3, 10, 15, 35 - ((15 + 30) >> 1), 45 - ((25 + 40) >> 1)]],
    ['Paeth', [4, 10, 20, 20, 20, 4, 5, 5, 5, 5]],
  ])('undoes the PNG %s filter', (_name, encoded) => {
    expect([...(undoPredictor(Uint8Array.from(encoded), parms) ?? [])]).toEqual(expected);
  });

  it('leaves the TIFF predictor alone', () => {
    expect(undoPredictor(Uint8Array.of(1, 2), new Map([['Predictor', 2]]))).toBeUndefined();
  });
});
