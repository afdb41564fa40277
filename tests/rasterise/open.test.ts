import { describe, expect, it } from 'vitest';

import { ConfigError, InputError } from '../../src/errors.js';
import { openPageSource } from '../../src/stages/rasterise/index.js';
import { HELVETICA, makePdf } from '../support/make-pdf.js';
import { encodeGray, repoFile } from './helpers.js';
import { testPattern } from '../support/make-pdf.js';

/** The error `promise` rejects with, or a failure when it resolves. */
async function failure(promise: Promise<unknown>): Promise<InputError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  const input = err as InputError;
  expect(input.stage).toBe('rasterise');
  expect(input.action).toBe('skip-document');
  return input;
}

const textPage = makePdf([
  { width: 200, height: 100, content: 'BT /F1 12 Tf 20 50 Td (hello) Tj ET', fonts: { F1: HELVETICA } },
]);

describe('openPageSource', () => {
  it('dispatches on the bytes, not on a name', async () => {
    const pdf = await openPageSource(repoFile('samples/daily-2023-12-02-p1.pdf'));
    expect([pdf.kind, pdf.pageCount]).toEqual(['pdf', 1]);
    await pdf.close();
    const tiff = await openPageSource(repoFile('samples/daily-2023-12-02-p2.tif'));
    expect([tiff.kind, tiff.pageCount]).toEqual(['tiff', 1]);
    await tiff.close();
    const jpeg = await openPageSource(await encodeGray(testPattern(60, 80), 60, 80, 'jpeg', 150));
    expect(jpeg.kind).toBe('jpeg');
    expect((await jpeg.renderPage(1)).image.dpi).toBe(150);
    const png = await openPageSource(await encodeGray(testPattern(60, 80), 60, 80, 'png'));
    expect(png.kind).toBe('png');
  });

  it('renders a born-digital page at renderDpi with its text layer', async () => {
    const doc = await openPageSource(textPage, { renderDpi: 150 });
    const page = await doc.renderPage(1);
    expect(page.origin).toBe('rendered');
    expect([page.image.width, page.image.height, page.image.dpi]).toEqual([417, 208, 150]);
    expect(page.textLayer?.map((t) => t.text)).toEqual(['hello']);
    await doc.close();
  });

  it('opens a PDF with junk before %PDF-', async () => {
    const doc = await openPageSource(makePdf([{ width: 72, height: 72, content: '' }], { junkPrefix: 'SCANNER 1.0\r\n' }));
    expect(doc.pageCount).toBe(1);
    const page = await doc.renderPage(1);
    expect(page.textLayer).toBeUndefined();
    await doc.close();
  });

  it('does not mind its input being reused or viewed through a subarray', async () => {
    const sample = repoFile('samples/daily-2023-12-02-p1.pdf');
    const padded = new Uint8Array(sample.length + 10);
    padded.set(sample, 5);
    const doc = await openPageSource(padded.subarray(5, 5 + sample.length));
    expect(doc.pageCount).toBe(1);
    await doc.close();
    expect(padded.byteLength).toBe(sample.length + 10); // not detached by pdf.js
  });

  it.each([
    ['a zero-byte file', new Uint8Array(), 'empty file (0 bytes)'],
    ['a .txt', new TextEncoder().encode('not a scan, just notes\n'), 'not a PDF or a supported image (TIFF, JPEG, PNG)'],
    ['a .docx', Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0, 8, 0, 0, 0, 0, 0), 'not a PDF or a supported image (TIFF, JPEG, PNG)'],
    ['a PDF without pages', makePdf([]), 'PDF has no pages'],
  ])('refuses %s', async (_label, bytes, message) => {
    expect((await failure(openPageSource(bytes))).message).toBe(message);
  });

  it('refuses corrupt PDFs', async () => {
    const corrupt = new Uint8Array(5000);
    corrupt.set(new TextEncoder().encode('%PDF-1.4\n'));
    let seed = 1;
    for (let i = 9; i < corrupt.length; i++) corrupt[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    expect((await failure(openPageSource(corrupt))).message).toMatch(/^corrupt or truncated PDF: /);
  });

  it('refuses truncated PDFs (the first half of the sample)', async () => {
    const sample = repoFile('samples/daily-2023-12-02-p1.pdf');
    const err = await failure(openPageSource(sample.subarray(0, sample.length >> 1)));
    expect(err.message).toMatch(/^corrupt or truncated PDF: /);
  });

  it('refuses a PDF that needs a password, and opens one that needs none', async () => {
    const locked = repoFile('tests/fixtures/rasterise/encrypted-user-password.pdf');
    expect((await failure(openPageSource(locked))).message).toBe('encrypted PDF (password required)');
    const ownerOnly = await openPageSource(repoFile('tests/fixtures/rasterise/encrypted-owner-only.pdf'));
    const page = await ownerOnly.renderPage(1);
    expect(page.textLayer?.map((t) => t.text)).toEqual(['secret text']);
    await ownerOnly.close();
  });

  it('refuses an embedded image over maxPixels without decoding it, naming its size', async () => {
    const doc = await openPageSource(repoFile('samples/daily-2023-12-02-p1.pdf'), { maxPixels: 1e6 });
    const err = await failure(doc.renderPage(1));
    expect(err.message).toBe('page 1: an embedded image is 4133x5904 px (24.4 Mpx), over the limit of 1.0 Mpx');
    await doc.close();
  });

  it('refuses a page whose render would exceed maxPixels', async () => {
    const doc = await openPageSource(textPage, { maxPixels: 1e5 });
    const err = await failure(doc.renderPage(1));
    expect(err.message).toBe('page 1 at 300 dpi is 833x417 px (0.3 Mpx), over the limit of 0.1 Mpx');
    await doc.close();
  });

  it('refuses bad options at once', async () => {
    await expect(openPageSource(textPage, { maxPixels: 0 })).rejects.toThrow(ConfigError);
    await expect(openPageSource(textPage, { renderDpi: 5 })).rejects.toThrow(/renderDpi must be between 36 and 1200/);
  });
});
