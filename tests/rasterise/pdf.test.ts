import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';

import { openPdf, type PdfOptions } from '../../src/stages/rasterise/pdf.js';
import { findOversizedImages } from '../../src/stages/rasterise/pdfjs-image.js';
import type { PageRaster } from '../../src/stages/rasterise/types.js';
import { rotateGray } from '../../src/stages/rasterise/gray.js';
import {
  HELVETICA,
  STSONG_UCS2,
  flate,
  makePdf,
  packBits,
  testPattern,
  ucs2Hex,
  type PdfImage,
  type PdfPage,
} from '../support/make-pdf.js';
import { differingPixels, inkShare, isBitonal, meanAbsDiff, meanGray, repoFile, threshold } from './helpers.js';

async function firstPage(bytes: Uint8Array, options: PdfOptions = {}): Promise<PageRaster> {
  const doc = await openPdf(bytes, options);
  try {
    return await doc.renderPage(1);
  } finally {
    await doc.close();
  }
}

/** A page of `w` x `h` pixels at `dpi`, the image drawn over the whole page. */
function imagePage(image: PdfImage, dpi: number, extra: Partial<PdfPage> = {}): PdfPage {
  const width = (image.width * 72) / dpi;
  const height = (image.height * 72) / dpi;
  return {
    width,
    height,
    content: `q ${width} 0 0 ${height} 0 0 cm /Im0 Do Q`,
    images: { Im0: image },
    ...extra,
  };
}

// A 2x3 inch page at 300 dpi.
const W = 600;
const H = 900;
const pattern = testPattern(W, H);
const grayFlate: PdfImage = { width: W, height: H, filter: 'FlateDecode', data: flate(pattern) };

describe('openPdf on the bitonal sample (CCITT G4, 4133x5904 at 300 dpi)', () => {
  let page: PageRaster;
  beforeAll(async () => {
    page = await firstPage(repoFile('samples/daily-2023-12-02-p1.pdf'));
  });

  it('takes the page image out at its native size', () => {
    expect(page.pageNumber).toBe(1);
    expect(page.origin).toBe('embedded-image');
    expect(page.image.width).toBe(4133);
    expect(page.image.height).toBe(5904);
    expect(page.image.data.length).toBe(4133 * 5904);
    expect(page.image.dpi).toBe(300);
    expect(page.dpiSource).toBe('page-size');
    expect(page.textLayer).toBeUndefined();
  });

  it('is white paper with black ink (1-bit polarity)', () => {
    expect(isBitonal(page.image.data)).toBe(true);
    expect(meanGray(page.image)).toBeGreaterThan(170);
    expect(inkShare(page.image)).toBeGreaterThan(0.02);
    expect(inkShare(page.image)).toBeLessThan(0.3);
    // The top margin is paper.
    expect(meanGray({ data: page.image.data.subarray(0, 4133 * 40) })).toBeGreaterThan(250);
  });

  it('gives the same pixels as rendering the page', async () => {
    const rendered = await firstPage(repoFile('samples/daily-2023-12-02-p1.pdf'), { pageMode: 'render' });
    expect(rendered.origin).toBe('rendered');
    expect(rendered.dpiSource).toBe('render');
    expect([rendered.image.width, rendered.image.height]).toEqual([4133, 5904]);
    expect(meanAbsDiff(rendered.image.data, page.image.data)).toBeLessThan(0.5);
  }, 30_000);
});

describe('openPdf on generated pages', () => {
  it('takes a Flate gray image losslessly', async () => {
    const page = await firstPage(makePdf([imagePage(grayFlate, 300)]));
    expect(page.origin).toBe('embedded-image');
    expect([page.image.width, page.image.height, page.image.dpi]).toEqual([W, H, 300]);
    expect(differingPixels(page.image.data, pattern)).toBe(0);
  });

  it('takes a JPEG (DCTDecode, RGB) and derives 200 dpi', async () => {
    const jpeg = await sharp(pattern, { raw: { width: W, height: H, channels: 1 } })
      .toColourspace('srgb')
      .jpeg({ quality: 92 })
      .toBuffer();
    const image: PdfImage = { width: W, height: H, colorSpace: 'DeviceRGB', filter: 'DCTDecode', data: Uint8Array.from(jpeg) };
    const bytes = makePdf([imagePage(image, 200)]);
    const page = await firstPage(bytes);
    expect(page.origin).toBe('embedded-image');
    expect([page.image.width, page.image.height, page.image.dpi]).toEqual([W, H, 200]);
    expect(meanAbsDiff(page.image.data, pattern)).toBeLessThan(3);
    const rendered = await firstPage(bytes, { pageMode: 'render', renderDpi: 200 });
    expect(meanAbsDiff(rendered.image.data, page.image.data)).toBeLessThan(2);
  });

  it('applies /Decode to 1-bit images: 1 is white unless inverted', async () => {
    const bits: PdfImage = { width: W, height: H, bitsPerComponent: 1, data: packBits(pattern, W, H) };
    const plain = await firstPage(makePdf([imagePage(bits, 300)]));
    expect(differingPixels(plain.image.data, threshold(pattern))).toBe(0);
    const inverted = await firstPage(makePdf([imagePage({ ...bits, extra: '/Decode [1 0]' }, 300)]));
    expect(differingPixels(inverted.image.data, threshold(pattern).map((v) => 255 - v))).toBe(0);
  });

  it('takes an image mask painted black', async () => {
    const mask: PdfImage = { width: W, height: H, imageMask: true, data: packBits(pattern, W, H) };
    const bytes = makePdf([imagePage(mask, 300, { content: `q 0 g 144 0 0 216 0 0 cm /Im0 Do Q` })]);
    const page = await firstPage(bytes);
    expect(page.origin).toBe('embedded-image');
    expect(differingPixels(page.image.data, threshold(pattern))).toBe(0);
    const rendered = await firstPage(bytes, { pageMode: 'render' });
    expect(meanAbsDiff(rendered.image.data, page.image.data)).toBeLessThan(1);
  });

  it('falls back to renderDpi when the page size gives an absurd resolution', async () => {
    // 600 px over 1 pt would be 43200 dpi.
    const page = await firstPage(makePdf([{ width: 1, height: 1.5, content: 'q 1 0 0 1.5 0 0 cm /Im0 Do Q', images: { Im0: grayFlate } }]));
    expect(page.origin).toBe('embedded-image');
    expect([page.image.width, page.image.dpi, page.dpiSource]).toEqual([W, 300, 'default']);
  });

  it('takes a small inline image', async () => {
    const w = 60;
    const small = testPattern(w, w);
    const content = `q 72 0 0 72 0 0 cm BI /W ${w} /H ${w} /CS /G /BPC 8 ID ${Buffer.from(small).toString('latin1')} EI Q`;
    const page = await firstPage(makePdf([{ width: 72, height: 72, content }]));
    expect(page.origin).toBe('embedded-image');
    expect([page.image.width, page.image.height, page.image.dpi]).toEqual([w, w, 60]);
    expect(differingPixels(page.image.data, small)).toBe(0);
  });

  it('decodes JPEG 2000 at full size (not the half pdf.js gives in Node by default)', async () => {
    const jp2 = repoFile('tests/fixtures/rasterise/a4-300dpi-gray.jp2');
    const bytes = makePdf([imagePage({ width: 2480, height: 3508, filter: 'JPXDecode', data: jp2 }, 300)]);
    const page = await firstPage(bytes);
    expect(page.origin).toBe('embedded-image');
    expect([page.image.width, page.image.height, page.image.dpi]).toEqual([2480, 3508, 300]);
    expect(meanAbsDiff(page.image.data, testPattern(2480, 3508))).toBeLessThan(3);
  }, 30_000);

  it.each([90, 180, 270] as const)('honours /Rotate %i on the image path as rendering does', async (rotate) => {
    const text = 'BT 3 Tr /F1 12 Tf 10 200 Td (Hello) Tj ET';
    const bytes = makePdf([
      imagePage(grayFlate, 300, { rotate, content: `q 144 0 0 216 0 0 cm /Im0 Do Q ${text}`, fonts: { F1: HELVETICA } }),
    ]);
    const page = await firstPage(bytes);
    const rendered = await firstPage(bytes, { pageMode: 'render' });
    expect(page.origin).toBe('embedded-image');
    const expected = rotateGray(pattern, W, H, rotate);
    expect([page.image.width, page.image.height]).toEqual([expected.width, expected.height]);
    expect(differingPixels(page.image.data, expected.data)).toBe(0);
    expect([rendered.image.width, rendered.image.height]).toEqual([expected.width, expected.height]);
    expect(meanAbsDiff(rendered.image.data, page.image.data)).toBeLessThan(1);
    // The invisible text lands on the same pixels either way.
    const [a] = page.textLayer ?? [];
    const [b] = rendered.textLayer ?? [];
    expect(a?.text).toBe('Hello');
    for (const key of ['x', 'y', 'w', 'h', 'size'] as const) expect(a?.[key]).toBeCloseTo(b?.[key] as number, 3);
  });

  it('keeps an invisible OCR text layer in image pixels', async () => {
    const bytes = makePdf([
      imagePage(grayFlate, 300, {
        content: 'q 144 0 0 216 0 0 cm /Im0 Do Q BT 3 Tr /F1 12 Tf 10 200 Td (Hello) Tj ET',
        fonts: { F1: HELVETICA },
      }),
    ]);
    const page = await firstPage(bytes);
    expect(page.origin).toBe('embedded-image');
    const [run] = page.textLayer ?? [];
    const k = 300 / 72;
    expect(run?.text).toBe('Hello');
    expect(run?.x).toBeCloseTo(10 * k, 3);
    expect(run?.size).toBeCloseTo(12 * k, 3);
    const baseline = (216 - 200) * k;
    expect(run!.y).toBeLessThan(baseline);
    expect(run!.y + run!.h).toBeGreaterThan(baseline);
    expect(run!.w).toBeGreaterThan(20 * k);
  });

  it('renders a page whose image has visible text or drawings over it, or covers too little', async () => {
    const withText = await firstPage(
      makePdf([imagePage(grayFlate, 300, { content: 'q 144 0 0 216 0 0 cm /Im0 Do Q BT /F1 12 Tf 10 200 Td (Hello) Tj ET', fonts: { F1: HELVETICA } })]),
    );
    expect(withText.origin).toBe('rendered');
    expect(withText.textLayer?.map((t) => t.text)).toEqual(['Hello']);
    const withRule = await firstPage(makePdf([imagePage(grayFlate, 300, { content: 'q 144 0 0 216 0 0 cm /Im0 Do Q 0 g 10 10 100 2 re f' })]));
    expect(withRule.origin).toBe('rendered');
    const small = await firstPage(makePdf([imagePage(grayFlate, 300, { content: 'q 100 0 0 150 20 30 cm /Im0 Do Q' })]));
    expect(small.origin).toBe('rendered');
    expect([small.image.width, small.image.height, small.image.dpi]).toEqual([W, H, 300]);
  });

  it('extracts a Chinese text layer (predefined CMap) from a born-digital page', async () => {
    const text = '新华社北京12月1日电';
    const page = await firstPage(
      makePdf([{ width: 300, height: 100, content: `BT /F1 20 Tf 20 40 Td ${ucs2Hex(text)} Tj ET`, fonts: { F1: STSONG_UCS2 } }]),
    );
    expect(page.origin).toBe('rendered');
    expect([page.image.width, page.image.height, page.image.dpi]).toEqual([1250, 417, 300]);
    expect(page.textLayer?.map((t) => t.text).join('')).toBe(text);
    expect(meanGray(page.image)).toBeGreaterThan(200);
  });

  it('repairs radicals from a ToUnicode map to the ideographs meant', async () => {
    const page = await firstPage(
      makePdf([
        {
          width: 200,
          height: 100,
          content: 'BT /F1 20 Tf 20 40 Td <000100020003> Tj ET',
          fonts: { F1: 'identity-h:\u2f24|\u2ea0|\u2f3e' },
        },
      ]),
    );
    expect(page.textLayer?.map((t) => t.text).join('')).toBe('大民户');
  });

  it('serves several pages on demand and refuses out-of-range numbers', async () => {
    const doc = await openPdf(makePdf([imagePage(grayFlate, 300), imagePage(grayFlate, 150)]));
    expect(doc.kind).toBe('pdf');
    expect(doc.pageCount).toBe(2);
    const [p2, p1] = await Promise.all([doc.renderPage(2), doc.renderPage(1)]);
    expect([p1.pageNumber, p1.image.dpi]).toEqual([1, 300]);
    expect([p2.pageNumber, p2.image.dpi]).toEqual([2, 150]);
    await expect(doc.renderPage(3)).rejects.toThrow(RangeError);
    await doc.close();
    await expect(doc.renderPage(1)).rejects.toThrow('after close');
  });
});

describe('findOversizedImages', () => {
  const dict = (body: string): Uint8Array => new TextEncoder().encode(`%PDF-1.4\n7 0 obj\n<< ${body} >>\nstream\nxx\nendstream\nendobj\n`);

  it('reads the declared size of image XObjects from the raw file', () => {
    expect(findOversizedImages(dict('/Type/XObject/Subtype/Image/Width 20000/Height 10000/BitsPerComponent 1'), 150e6)).toEqual([
      { width: 20000, height: 10000 },
    ]);
    expect(findOversizedImages(dict('/Type /XObject /Subtype /Image /Width 4133 /Height 5904'), 150e6)).toEqual([]);
    // Not an image dictionary: a form XObject mentioning /ImageMask, a /ProcSet entry.
    expect(findOversizedImages(dict('/Subtype /Form /Width 99999 /Height 99999 /ImageMask true /ProcSet [/PDF /ImageB]'), 1)).toEqual([]);
  });
});
