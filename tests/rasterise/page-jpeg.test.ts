import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

import { decodePageJpeg, findPageJpeg as findOrDecline, type PageJpeg } from '../../src/stages/rasterise/page-jpeg.js';
import { openPdf } from '../../src/stages/rasterise/pdf.js';
import { PdfObjects } from '../../src/stages/rasterise/pdf-objects.js';
import { PdfLexer, PdfName, PdfRef } from '../../src/stages/rasterise/pdf-syntax.js';
import type { PageRaster } from '../../src/stages/rasterise/types.js';
import { flate, makePdf, testPattern, type PdfImage, type PdfPage } from '../support/make-pdf.js';
import { meanAbsDiff } from './helpers.js';

/** The page's JPEG, undefined when the page is declined. */
const findPageJpeg = (objects: PdfObjects, page: PdfRef): PageJpeg | undefined => {
  const found = findOrDecline(objects, page);
  return 'declined' in found ? undefined : found;
};

const latin1 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

/** Objects written one after the other, no xref table: the reader finds them by their headers. */
function objectsFile(objects: Record<number, string | { dict: string; data: Uint8Array }>): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n', 'latin1')];
  for (const [num, body] of Object.entries(objects)) {
    parts.push(Buffer.from(`${num} 0 obj\n`, 'latin1'));
    if (typeof body === 'string') parts.push(Buffer.from(body, 'latin1'));
    else parts.push(Buffer.from(`${body.dict}\nstream\n`, 'latin1'), Buffer.from(body.data), Buffer.from('\nendstream', 'latin1'));
    parts.push(Buffer.from('\nendobj\n', 'latin1'));
  }
  return Uint8Array.from(Buffer.concat(parts));
}

const W = 300;
const H = 450;
const pattern = testPattern(W, H);
const grayJpeg = Uint8Array.from(
  await sharp(pattern, { raw: { width: W, height: H, channels: 1 } }).toColourspace('b-w').jpeg({ quality: 90 }).toBuffer(),
);
const jpegDict = (extra = '', space = '/DeviceGray'): string =>
  `<< /Type /XObject /Subtype /Image /Width ${W} /Height ${H} /ColorSpace ${space} /BitsPerComponent 8 /Filter /DCTDecode ${extra} /Length ${grayJpeg.length} >>`;
const content = (ops: string): { dict: string; data: Uint8Array } => {
  const data = flate(latin1(ops));
  return { dict: `<< /Filter /FlateDecode /Length ${data.length} >>`, data };
};

/** A one-page file: page 3, its content 4, the image 5; `page` adds to the page dictionary. */
function scanFile(options: { ops?: string; image?: string; page?: string; more?: Record<number, string> } = {}): PdfObjects {
  return new PdfObjects(
    objectsFile({
      1: '<< /Type /Catalog /Pages 2 0 R >>',
      2: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      3: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 108] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R ${options.page ?? ''} >>`,
      4: content(options.ops ?? 'q 72 0 0 108 0 0 cm /Im0 Do Q'),
      5: { dict: options.image ?? jpegDict(), data: grayJpeg },
      ...options.more,
    }),
  );
}

describe('PDF object syntax', () => {
  it('reads dictionaries, arrays, names, numbers, strings and references', () => {
    const value = new PdfLexer(latin1('<< /A 1 0 R /B [-1.5 .5 (a (nested) \\) string) <4142>] /C#20D /N /E true /F null >>')).value();
    expect(value).toBeInstanceOf(Map);
    const dict = value as ReadonlyMap<string, unknown>;
    expect(dict.get('A')).toEqual(new PdfRef(1, 0));
    expect(dict.get('B')).toEqual([-1.5, 0.5, 'a (nested) \\) string', '4142']);
    expect(dict.get('C D')).toEqual(new PdfName('N'));
    expect([dict.get('E'), dict.get('F')]).toEqual([true, null]);
  });

  it('finds objects by their headers, the last definition winning, and reads streams with an indirect length', () => {
    const file = new PdfObjects(
      objectsFile({ 7: '<< /V 1 >>', 8: { dict: '<< /Length 9 0 R >>', data: latin1('abc') }, 9: '3' }),
    );
    expect(file.get(new PdfRef(8, 0))?.stream?.raw).toEqual(latin1('abc'));
    expect(file.resolve(new PdfRef(7, 0))).toEqual(new Map([['V', 1]]));
    const updated = new PdfObjects(Uint8Array.from([...objectsFile({ 7: '<< /V 1 >>' }), ...objectsFile({ 7: '<< /V 2 >>' })]));
    expect(updated.resolve(new PdfRef(7, 0))).toEqual(new Map([['V', 2]]));
    expect(file.get(new PdfRef(70, 0))).toBeUndefined();
  });

  it('gives up on a stream whose /Length does not end at endstream', () => {
    const file = new PdfObjects(objectsFile({ 8: { dict: '<< /Length 2 >>', data: latin1('abc') } }));
    expect(file.get(new PdfRef(8, 0))).toBeUndefined();
  });
});

describe('findPageJpeg', () => {
  const page = new PdfRef(3, 0);

  it('finds the one JPEG a scanned page places, with its matrix', () => {
    const found = findPageJpeg(scanFile(), page);
    expect(found).toMatchObject({ width: W, height: H, components: 1, ctm: [72, 0, 0, 108, 0, 0] });
    expect(found?.jpeg).toEqual(grayJpeg);
  });

  it('follows cm inside q/Q, marked content, a content array and resources inherited from the page tree', () => {
    const file = new PdfObjects(
      objectsFile({
        2: '<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /XObject << /Scan 5 0 R >> >> >>',
        3: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 108] /Contents [4 0 R 6 0 R] >>',
        4: content('/Artifact BMC q 2 0 0 2 0 0 cm'),
        6: content('36 0 0 54 0 0 cm /Scan Do Q EMC'),
        5: { dict: jpegDict(), data: grayJpeg },
      }),
    );
    expect(findPageJpeg(file, page)?.ctm).toEqual([72, 0, 0, 108, 0, 0]);
  });

  it('takes a page with an empty /Annots array (pdf-lib writes one on every page)', () => {
    expect(findPageJpeg(scanFile({ page: '/Annots []' }), page)).toBeDefined();
  });

  it('takes RGB and ICC-based colour spaces by their number of components', () => {
    expect(findPageJpeg(scanFile({ image: jpegDict('', '/DeviceRGB') }), page)?.components).toBe(3);
    const icc = scanFile({ image: jpegDict('', '[/ICCBased 6 0 R]'), more: { 6: '<< /N 1 /Length 0 >>\nstream\n\nendstream' } });
    expect(findPageJpeg(icc, page)?.components).toBe(1);
  });

  it.each([
    ['text painted over the scan', { ops: 'q 72 0 0 108 0 0 cm /Im0 Do Q BT /F1 12 Tf (x) Tj ET' }],
    ['a second image', { ops: 'q 72 0 0 108 0 0 cm /Im0 Do Q q 10 0 0 10 0 0 cm /Im0 Do Q' }],
    ['a path', { ops: '0 0 10 10 re f q 72 0 0 108 0 0 cm /Im0 Do Q' }],
    ['a clip', { ops: 'q 0 0 72 108 re W n 72 0 0 108 0 0 cm /Im0 Do Q' }],
    ['an annotation', { page: '/Annots [9 0 R]' }],
    ['a soft mask', { image: jpegDict('/SMask 9 0 R') }],
    ['a /Decode array', { image: jpegDict('/Decode [1 0]') }],
    ['optional content', { image: jpegDict('/OC 9 0 R') }],
    ['an optional-content section', { ops: '/OC /L1 BDC q 72 0 0 108 0 0 cm /Im0 Do Q EMC' }],
    ['a CMYK image', { image: jpegDict('', '/DeviceCMYK') }],
    ['a Flate image', { image: jpegDict().replace('/DCTDecode', '/FlateDecode') }],
    ['a JPEG under a second filter', { image: jpegDict().replace('/DCTDecode', '[/FlateDecode /DCTDecode]') }],
  ])('leaves a page with %s to pdf.js', (_what, options) => {
    expect(findOrDecline(scanFile(options), page)).toHaveProperty('declined');
  });

  it('decodes to the gray of the stored samples, and refuses data that does not match the dictionary', async () => {
    const found = findPageJpeg(scanFile(), page);
    if (!found) throw new Error('not found');
    const gray = await decodePageJpeg(found, 150e6);
    expect(gray).toHaveLength(W * H);
    expect(meanAbsDiff(gray ?? new Uint8Array(), pattern)).toBeLessThan(3);
    expect(await decodePageJpeg({ ...found, width: W + 1 }, 150e6)).toBeUndefined();
    expect(await decodePageJpeg({ ...found, components: 3 }, 150e6)).toBeUndefined();
    const rgbJpeg = await sharp(pattern, { raw: { width: W, height: H, channels: 1 } }).toColourspace('srgb').jpeg().toBuffer();
    expect(await decodePageJpeg({ ...found, jpeg: Uint8Array.from(rgbJpeg) }, 150e6)).toBeUndefined();
    expect(await decodePageJpeg({ ...found, jpeg: found.jpeg.subarray(0, 100) }, 150e6)).toBeUndefined();
  });
});

describe('openPdf on a one-JPEG scan', () => {
  async function firstPage(bytes: Uint8Array): Promise<PageRaster> {
    const doc = await openPdf(bytes);
    try {
      return await doc.renderPage(1);
    } finally {
      await doc.close();
    }
  }
  const image: PdfImage = { width: W, height: H, filter: 'DCTDecode', data: grayJpeg };
  // 200 dpi: 300 x 450 px on 108 x 162 pt.
  const scan = (extra: Partial<PdfPage> = {}, clip = ''): Uint8Array =>
    makePdf([{ width: 108, height: 162, content: `q ${clip} 108 0 0 162 0 0 cm /Im0 Do Q`, images: { Im0: image }, ...extra }]);

  it.each([0, 90])('gives the pixels and dpi pdf.js gives (page /Rotate %i)', async (rotate) => {
    // The clip path keeps the second file from the native decoder: it goes through pdf.js.
    const [native, viaPdfJs] = await Promise.all([firstPage(scan({ rotate })), firstPage(scan({ rotate }, '0 0 108 162 re W n'))]);
    expect(native.origin).toBe('embedded-image');
    expect(viaPdfJs.origin).toBe('embedded-image');
    expect([native.image.width, native.image.height, native.image.dpi, native.dpiSource]).toEqual([
      viaPdfJs.image.width,
      viaPdfJs.image.height,
      200,
      'page-size',
    ]);
    expect(native.image.width).toBe(rotate === 90 ? H : W);
    expect(meanAbsDiff(native.image.data, viaPdfJs.image.data)).toBeLessThan(0.5);
  });

  it('leaves a JPEG that only covers part of the page to rendering', async () => {
    const page = await firstPage(scan({ content: 'q 54 0 0 81 0 0 cm /Im0 Do Q' }));
    expect(page.origin).toBe('rendered');
  });
});
