import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

import { InputError } from '../../src/errors.js';
import type { LogFields, Logger } from '../../src/logger.js';
import { openImageFile } from '../../src/stages/rasterise/image-file.js';
import { testPattern } from '../support/make-pdf.js';
import { differingPixels, encodeGray, inkShare, isBitonal, meanAbsDiff, meanGray, repoFile, threshold } from './helpers.js';

const W = 600;
const H = 900;
const pattern = testPattern(W, H);

function recordingLogger(): Logger & { lines: Array<{ level: string; message: string; fields?: LogFields }> } {
  const lines: Array<{ level: string; message: string; fields?: LogFields }> = [];
  const log = (level: string) => (message: string, fields?: LogFields) => {
    lines.push({ level, message, ...(fields ? { fields } : {}) });
  };
  const logger = { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: () => logger };
  return logger;
}

describe('openImageFile', () => {
  it('reads the CCITT G4 TIFF sample: 4133x5904 at 300 dpi, white paper', async () => {
    const doc = await openImageFile(repoFile('samples/daily-2023-12-02-p2.tif'), 'tiff');
    expect([doc.kind, doc.pageCount]).toEqual(['tiff', 1]);
    const page = await doc.renderPage(1);
    expect(page.origin).toBe('image-file');
    expect([page.image.width, page.image.height, page.image.dpi]).toEqual([4133, 5904, 300]);
    expect(page.dpiSource).toBe('metadata');
    expect(page.image.data.length).toBe(4133 * 5904);
    expect(isBitonal(page.image.data)).toBe(true);
    expect(meanGray(page.image)).toBeGreaterThan(170);
    expect(inkShare(page.image)).toBeGreaterThan(0.02);
    expect(inkShare(page.image)).toBeLessThan(0.3);
    expect(page.textLayer).toBeUndefined();
    await doc.close();
  });

  it('reads every page of a multi-page G4 TIFF', async () => {
    const second = pattern.map((v) => 255 - v);
    const pages = await Promise.all(
      [pattern, second].map((data) => sharp(data, { raw: { width: W, height: H, channels: 1 } }).png().toBuffer()),
    );
    const tiff = await sharp(pages, { join: { animated: true } })
      .toColourspace('b-w')
      .tiff({ compression: 'ccittfax4', bitdepth: 1, xres: 200 / 25.4, yres: 200 / 25.4 })
      .toBuffer();
    const doc = await openImageFile(Uint8Array.from(tiff), 'tiff');
    expect(doc.pageCount).toBe(2);
    const p2 = await doc.renderPage(2);
    const p1 = await doc.renderPage(1);
    expect([p1.pageNumber, p1.image.width, p1.image.height, p1.image.dpi]).toEqual([1, W, H, 200]);
    expect([p2.pageNumber, p2.image.width, p2.image.height, p2.image.dpi]).toEqual([2, W, H, 200]);
    expect(differingPixels(p1.image.data, threshold(pattern))).toBe(0);
    expect(differingPixels(p2.image.data, threshold(second))).toBe(0);
    await expect(doc.renderPage(3)).rejects.toThrow(RangeError);
    await doc.close();
  });

  it('reads a JPEG as 1-channel gray with its density', async () => {
    const jpeg = await encodeGray(pattern, W, H, 'jpeg', 200);
    const page = await (await openImageFile(jpeg, 'jpeg')).renderPage(1);
    expect([page.image.width, page.image.height, page.image.dpi, page.dpiSource]).toEqual([W, H, 200, 'metadata']);
    expect(page.image.data.length).toBe(W * H);
    expect(meanAbsDiff(page.image.data, pattern)).toBeLessThan(3);
  });

  it('reads an RGB JPEG into luma', async () => {
    const rgb = await sharp(pattern, { raw: { width: W, height: H, channels: 1 } })
      .toColourspace('srgb')
      .jpeg()
      .withMetadata({ density: 300 })
      .toBuffer();
    const page = await (await openImageFile(Uint8Array.from(rgb), 'jpeg')).renderPage(1);
    expect(page.image.data.length).toBe(W * H);
    expect(meanAbsDiff(page.image.data, pattern)).toBeLessThan(3);
  });

  it('composites a transparent PNG over white paper', async () => {
    // Black ink where the pattern is dark, fully transparent elsewhere.
    const rgba = new Uint8Array(W * H * 4);
    for (let i = 0; i < W * H; i++) rgba[i * 4 + 3] = (pattern[i] as number) < 128 ? 255 : 0;
    const png = await sharp(rgba, { raw: { width: W, height: H, channels: 4 } }).png().toBuffer();
    const page = await (await openImageFile(Uint8Array.from(png), 'png')).renderPage(1);
    expect(differingPixels(page.image.data, threshold(pattern))).toBe(0);
  });

  it('assumes 300 dpi when the file gives no usable resolution, and says so', async () => {
    const logger = recordingLogger();
    const png = await encodeGray(pattern, W, H, 'png'); // PNG without pHYs
    const page = await (await openImageFile(png, 'png', { logger })).renderPage(1);
    expect([page.image.dpi, page.dpiSource]).toEqual([300, 'default']);
    expect(logger.lines.some((l) => l.level === 'warn' && /resolution/.test(l.message))).toBe(true);

    // A 72-dpi placeholder on a page-sized scan would make it 57 inches wide: not believed.
    const big = testPattern(4133, 300);
    const jpeg72 = await encodeGray(big, 4133, 300, 'jpeg', 72);
    const wide = await (await openImageFile(jpeg72, 'jpeg')).renderPage(1);
    expect([wide.image.dpi, wide.dpiSource]).toEqual([300, 'default']);
  });

  it('refuses a page over maxPixels from its header, naming the size', async () => {
    const doc = await openImageFile(repoFile('samples/daily-2023-12-02-p2.tif'), 'tiff', { maxPixels: 1e6 });
    const err = await doc.renderPage(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe('page 1 is 4133x5904 px (24.4 Mpx), over the limit of 1.0 Mpx');
  });

  it('refuses a truncated image', async () => {
    const jpeg = await encodeGray(pattern, W, H, 'jpeg', 200);
    const doc = await openImageFile(jpeg.subarray(0, jpeg.length >> 1), 'jpeg');
    const err = await doc.renderPage(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/^corrupt or truncated JPEG image: /);
  });
});
