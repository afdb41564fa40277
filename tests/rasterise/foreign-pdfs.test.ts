/**
 * PDFs written by other tools (pdf-lib, Ghostscript, img2pdf, qpdf), updated incrementally, or with
 * a broken xref: the fast paths read their objects through the cross-reference data (tables,
 * streams, object streams), take the pages they are made for, give the pixels pdf.js gives, and
 * say why when they leave a page to pdf.js.
 */
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

import { resolveRasteriseOptions } from '../../src/stages/rasterise/options.js';
import { PdfObjects } from '../../src/stages/rasterise/pdf-objects.js';
import { PdfRef, isDict, nameOf } from '../../src/stages/rasterise/pdf-syntax.js';
import { openPdf } from '../../src/stages/rasterise/pdf.js';
import { scanPageContent } from '../../src/stages/rasterise/pdfjs-content.js';
import { extractPageImage } from '../../src/stages/rasterise/pdfjs-image.js';
import { loadDocument, loadPdfJs } from '../../src/stages/rasterise/pdfjs-load.js';
import { findPageImage } from '../../src/stages/rasterise/place-image.js';
import { withoutType3Glyphs } from '../../src/stages/rasterise/type3-glyphs.js';
import type { GrayImage } from '../../src/image/gray-image.js';
import type { PageRaster, PageRenderOptions } from '../../src/stages/rasterise/types.js';
import { makePdf, testPattern, type3Hex } from '../support/make-pdf.js';
import { bothReadings, meanAbsDiff } from './helpers.js';
import { appendUpdate, ghostscriptJpegPage, img2pdf, ps2pdf, qpdf, shiftObjects } from './tool-pdfs.js';

const W = 300;
const H = 450;
const pattern = testPattern(W, H);
const raw = { raw: { width: W, height: H, channels: 1 as const } };
const grayJpeg = Uint8Array.from(await sharp(pattern, raw).toColourspace('b-w').jpeg({ quality: 90 }).toBuffer());
const rgbJpeg = Uint8Array.from(await sharp(pattern, raw).toColourspace('srgb').jpeg({ quality: 90 }).toBuffer());
/** 150 dpi in its header, so img2pdf places it on a 144 x 216 pt page. */
const jpeg150 = Uint8Array.from(await sharp(pattern, raw).toColourspace('b-w').withMetadata({ density: 150 }).jpeg({ quality: 90 }).toBuffer());
const grayPng = Uint8Array.from(await sharp(pattern, raw).toColourspace('b-w').png().toBuffer());

async function firstPage(bytes: Uint8Array, render: PageRenderOptions = {}): Promise<PageRaster> {
  const doc = await openPdf(bytes);
  try {
    return await doc.renderPage(1, render);
  } finally {
    await doc.close();
  }
}

/** Page 1's one image the pdf.js way only (its operator list and its decoder), as the page raster. */
async function viaPdfJs(bytes: Uint8Array): Promise<GrayImage> {
  const pdfjs = await loadPdfJs();
  const options = resolveRasteriseOptions();
  const doc = await loadDocument(pdfjs, new Uint8Array(bytes), options);
  try {
    const page = await doc.getPage(1);
    const content = scanPageContent(await page.getOperatorList(), pdfjs.OPS);
    const image = findPageImage(content, page.view);
    const raster = image && (await extractPageImage(page, image, 1, options));
    if (!raster) throw new Error('pdf.js does not see one full-page image');
    return raster.image;
  } finally {
    await doc.destroy();
  }
}

/** A pdf-lib page that is `image` drawn over the whole page, `dpi` from its size. */
async function pdfLibScan(image: Uint8Array, useObjectStreams: boolean, kind: 'jpg' | 'png' = 'jpg', dpi = 200): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const embedded = kind === 'jpg' ? await doc.embedJpg(image) : await doc.embedPng(image);
  const page = doc.addPage([(W * 72) / dpi, (H * 72) / dpi]);
  page.drawImage(embedded, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
  return doc.save({ useObjectStreams });
}

/** A born-digital pdf-lib page: lines of Helvetica text, a rule and a filled box. */
async function pdfLibArticle(useObjectStreams: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([400, 600]);
  for (let i = 0; i < 12; i++) page.drawText(`Line ${i} of the article, set in Helvetica.`, { x: 40, y: 540 - i * 20, size: 12, font });
  page.drawLine({ start: { x: 40, y: 560 }, end: { x: 360, y: 560 }, thickness: 2, color: rgb(0, 0, 0) });
  page.drawRectangle({ x: 220, y: 100, width: 140, height: 120, color: rgb(0.5, 0.5, 0.5) });
  return doc.save({ useObjectStreams });
}

/** A makePdf scan: the JPEG over the whole 108 x 162 pt page (200 dpi), classic xref table. */
const makePdfScan = (content = 'q 108 0 0 162 0 0 cm /Im0 Do Q'): Uint8Array =>
  makePdf([{ width: 108, height: 162, content, images: { Im0: { width: W, height: H, filter: 'DCTDecode', data: grayJpeg } } }]);

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

/** Passes the JPEG through natively, and agrees with pdf.js on size, dpi and (within JPEG decoders' rounding) pixels. */
async function expectPassthrough(bytes: Uint8Array, objects: 'via-xref' | 'repaired-scan' = 'via-xref'): Promise<PageRaster> {
  const page = await firstPage(bytes);
  expect(page.provenance).toMatchObject({ path: 'jpeg-passthrough', objects });
  const reference = await viaPdfJs(bytes);
  expect([page.image.width, page.image.height, page.image.dpi]).toEqual([reference.width, reference.height, reference.dpi]);
  // libjpeg-turbo and pdf.js's JPEG decoder round their IDCTs differently: a fraction of a level
  // on average (the same bound as page-jpeg.test.ts's native-vs-pdf.js comparison).
  expect(meanAbsDiff(page.image.data, reference.data)).toBeLessThan(0.5);
  return page;
}

describe('scanned pages written by other tools take the JPEG fast path through the xref', () => {
  it('pdf-lib, classic xref table', async () => {
    const bytes = await pdfLibScan(grayJpeg, false);
    expect(latin1(bytes)).toMatch(/\nxref\n/);
    await expectPassthrough(bytes);
  });

  it('pdf-lib with object streams: an xref stream, the page dictionary packed in an object stream', async () => {
    const bytes = await pdfLibScan(rgbJpeg, true);
    const text = latin1(bytes);
    expect(text).toMatch(/\/Type\s*\/XRef/);
    expect(text).toMatch(/\/Type\s*\/ObjStm/);
    expect(text).not.toMatch(/\/Type\s*\/Page\b/); // compressed: only the object reader can see it
    expect(new PdfObjects(bytes).access).toEqual({ objects: 'via-xref' });
    await expectPassthrough(bytes);
  });

  it('Ghostscript pdfwrite (viewjpeg.ps), which passes the JPEG through', async () => {
    const bytes = ghostscriptJpegPage(grayJpeg);
    expect(latin1(bytes)).toMatch(/Ghostscript/);
    const page = await expectPassthrough(bytes);
    expect(page.image.dpi).toBe(72); // viewjpeg draws a pixel per point
  });

  it('img2pdf', async () => {
    const bytes = img2pdf(jpeg150);
    expect(latin1(bytes)).toMatch(/img2pdf/);
    const page = await expectPassthrough(bytes);
    expect(page.image.dpi).toBe(150);
  });

  it('qpdf --object-streams=generate: an xref stream with a PNG predictor, objects in object streams', async () => {
    const bytes = qpdf(makePdfScan(), '--object-streams=generate');
    const text = latin1(bytes);
    expect(text).toMatch(/\/Type\s*\/ObjStm/);
    expect(text).toMatch(/\/Predictor\s+12/);
    await expectPassthrough(bytes);
  });

  it('an incremental update: the newest version of an object wins', async () => {
    // The original places the JPEG on a quarter of the page: not a scan page.
    const original = makePdfScan('q 54 0 0 81 0 0 cm /Im0 Do Q');
    expect((await firstPage(original)).provenance.path).toBe('rendered');
    // The update rewrites the content stream (object 3 in makePdf's numbering) to cover the page.
    const objects = new PdfObjects(original);
    const page = [...Array(10).keys()].map((n) => objects.resolve(new PdfRef(n, 0))).find((v) => isDict(v) && nameOf(v.get('Type')) === 'Page');
    const contents = isDict(page) ? page.get('Contents') : undefined;
    if (!(contents instanceof PdfRef)) throw new Error('no content stream');
    const ops = 'q 108 0 0 162 0 0 cm /Im0 Do Q';
    const updated = appendUpdate(original, { [contents.num]: `<< /Length ${ops.length} >>\nstream\n${ops}\nendstream` });
    await expectPassthrough(updated);
    // Twice updated, back to the quarter page: the newest of three versions is read.
    const again = appendUpdate(updated, { [contents.num]: `<< /Length 27 >>\nstream\nq 54 0 0 81 0 0 cm /Im0 Do Q\nendstream` });
    expect(await firstPage(again)).toMatchObject({ provenance: { path: 'rendered', objects: 'fell-back-to-pdfjs' } });
  });
});

describe('a broken xref', () => {
  it('startxref pointing nowhere: objects found by the repairing scan, the fast path still taken', async () => {
    const bytes = shiftObjects(makePdfScan(), 7, false);
    const page = await expectPassthrough(bytes, 'repaired-scan');
    expect(page.provenance.reason).toMatch(/^xref: startxref \d+ points at neither/);
  });

  it('every xref offset stale: the first object not at its offset turns to the repairing scan', async () => {
    const bytes = shiftObjects(makePdfScan(), 7, true);
    const page = await expectPassthrough(bytes, 'repaired-scan');
    expect(page.provenance.reason).toMatch(/^xref: object \d+ 0 is not at its xref offset \d+$/);
  });

  it('objects in object streams and a broken xref: the scan cannot see them, pdf.js repairs and reads the page', async () => {
    const good = qpdf(makePdfScan(), '--object-streams=generate');
    const broken = shiftObjects(good, 7, false);
    const page = await firstPage(broken);
    expect(page.provenance).toMatchObject({ path: 'embedded-image', objects: 'fell-back-to-pdfjs' });
    expect(page.provenance.reason).toMatch(/^xref: .+; jpeg: page object \d+ 0 not readable/);
    const fast = await firstPage(good);
    expect(meanAbsDiff(page.image.data, fast.image.data)).toBeLessThan(0.5);
  });
});

describe('pages the fast paths leave to pdf.js say why', () => {
  it('a Flate (PNG) image from pdf-lib is decoded by pdf.js, losslessly', async () => {
    const page = await firstPage(await pdfLibScan(grayPng, true, 'png'));
    expect(page.provenance).toEqual({ path: 'embedded-image', objects: 'fell-back-to-pdfjs', reason: 'jpeg: image filter FlateDecode, not DCTDecode' });
    expect(meanAbsDiff(page.image.data, pattern)).toBe(0);
  });

  it('an encrypted file is not read by the fast paths', async () => {
    const bytes = qpdf(makePdfScan(), '--encrypt', '', 'owner', '256', '--');
    const page = await firstPage(bytes);
    expect(page.provenance).toMatchObject({ path: 'embedded-image', objects: 'fell-back-to-pdfjs', reason: 'the file is encrypted' });
    expect(meanAbsDiff(page.image.data, (await firstPage(makePdfScan())).image.data)).toBeLessThan(0.5);
  });
});

describe('born-digital pages written by other tools are sketched from their content through the xref', () => {
  const SKETCH = { textLayerRender: { dpi: 100, minChars: 50 } };

  it.each([false, true])('pdf-lib (object streams: %s)', async (useObjectStreams) => {
    const bytes = await pdfLibArticle(useObjectStreams);
    const { ours, pdfJs } = await bothReadings(bytes);
    expect(ours).toEqual(pdfJs);
    const page = await firstPage(bytes, SKETCH);
    expect(page.provenance).toEqual({ path: 'vector-sketch', objects: 'via-xref' });
    expect(page.textLayer?.map((t) => t.text).join(' ')).toMatch(/Line 11 of the article/);
  });

  it('Ghostscript (ps2pdf)', async () => {
    const lines = [...Array(12).keys()].map((i) => `72 ${700 - i * 20} moveto (Line ${i} of the article, set by Ghostscript.) show`);
    const bytes = ps2pdf(
      ['%!PS', '/Helvetica findfont 12 scalefont setfont', ...lines, '2 setlinewidth 72 720 moveto 500 720 lineto stroke', '0.5 setgray 300 100 150 120 rectfill', 'showpage'].join('\n'),
    );
    const { ours, pdfJs } = await bothReadings(bytes);
    expect(ours).toEqual(pdfJs);
    const page = await firstPage(bytes, SKETCH);
    expect(page.provenance).toEqual({ path: 'vector-sketch', objects: 'via-xref' });
  });
});

describe('Type 3 glyphs are found through the xref', () => {
  const CHARS = '报社新闻'.split('');
  const type3 = makePdf([
    { width: 200, height: 100, content: `BT /F1 20 Tf 20 40 Td ${type3Hex([1, 2, 3, 4])} Tj ET`, fonts: { F1: `type3:${CHARS.join('|')}` } },
  ]);

  it('in a file qpdf rewrote (new offsets, classic xref)', () => {
    const bytes = qpdf(type3, '--object-streams=disable');
    expect(withoutType3Glyphs(bytes, new PdfObjects(bytes))).toBeDefined();
  });

  it('but not when the font is packed in an object stream (it has no bytes of its own to blank)', () => {
    const bytes = qpdf(type3, '--object-streams=generate');
    expect(withoutType3Glyphs(bytes, new PdfObjects(bytes))).toBeUndefined();
  });
});
