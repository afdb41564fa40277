/**
 * A PDF fetched in parts (PartialFile): each page the same raster, text layer and provenance as from
 * the whole bytes, fetching only part of the file; failures of a fetch fail the page (pdf.js would
 * wait forever); files the own reader cannot read in parts (broken xref) are fetched whole.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { InputChangedError, RetryableError } from '../../src/errors.js';
import { openPageSource, PartialFile, type PageRaster, type PageSource } from '../../src/stages/rasterise/index.js';
import { BytesMissing, readInParts } from '../../src/stages/rasterise/partial-file.js';
import { HELVETICA, makePdf } from '../support/make-pdf.js';
import { scanPdf } from '../support/scans.js';
import { repoFile } from './helpers.js';

/** A PartialFile over `bytes` that counts what it is asked for, failing when `fail` says so. */
function partialOf(bytes: Uint8Array, chunkBytes: number, fail?: (start: number) => Error | undefined): PartialFile {
  return new PartialFile(
    bytes.length,
    async (start, end) => {
      const err = fail?.(start);
      if (err) throw err;
      return bytes.slice(start, end);
    },
    chunkBytes,
  );
}

/** Everything a page gives, the pixels by their hash (a diff of megabytes of pixels would not help). */
function comparable(raster: PageRaster): unknown {
  return { ...raster, image: { ...raster.image, data: createHash('sha256').update(raster.image.data).digest('hex') } };
}

async function pagesOf(source: PageSource): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let p = 1; p <= source.pageCount; p++) out.push(comparable(await source.renderPage(p, { textLayerRender: { dpi: 100, minChars: 1 } })));
  await source.close();
  return out;
}

describe('a PDF fetched in parts', () => {
  it('gives each page of a multi-page scan as the whole bytes do, fetching a part of the file for it', async () => {
    const bytes = scanPdf(7, 6);
    const whole = await pagesOf(await openPageSource(bytes));
    for (let p = 1; p <= 6; p++) {
      const partial = partialOf(bytes, 1024);
      const source = await openPageSource(partial);
      const raster = await source.renderPage(p, { textLayerRender: { dpi: 100, minChars: 1 } });
      expect(comparable(raster)).toEqual(whole[p - 1]);
      await source.close();
      expect(partial.stats.bytes, `page ${p}`).toBeLessThan(bytes.length * 0.75);
      expect(partial.stats.requests).toBeGreaterThan(1);
    }
  });

  it('gives the same pages for a born-digital PDF and a plain page with text (read by both readers)', async () => {
    const text = makePdf([{ width: 200, height: 100, content: 'BT /F1 12 Tf 20 50 Td (hello) Tj ET', fonts: { F1: HELVETICA } }]);
    for (const bytes of [repoFile('samples/daily-2023-12-02-p1.pdf'), text]) {
      expect(await pagesOf(await openPageSource(partialOf(bytes, 1024)))).toEqual(await pagesOf(await openPageSource(bytes)));
    }
  });

  it('fetches the whole file when the cross-reference data is broken, and gives the same pages', async () => {
    const good = scanPdf(3, 2);
    const broken = Uint8Array.from(good);
    const at = Buffer.from(broken).lastIndexOf('startxref');
    broken.set(Buffer.from('startxref\n1 '), at); // points into the header: no xref there
    const partial = partialOf(broken, 1024);
    expect(await pagesOf(await openPageSource(partial))).toEqual(await pagesOf(await openPageSource(broken)));
    expect(partial.stats.bytes).toBe(broken.length);
  });

  it('fails the page with the fetch\'s own error when a range cannot be fetched, rather than wait', async () => {
    const bytes = scanPdf(5, 3);
    const tail = bytes.length - 4096;
    for (const error of [new RetryableError('store down', { stage: 'storage' }), new InputChangedError('etag changed', { stage: 'storage' })]) {
      // The head and tail open the document; the third page's image lies between.
      const partial = partialOf(bytes, 1024, (start) => (start > 2048 && start < tail ? error : undefined));
      // Opening may already need a chunk that fails: either way the error is the fetch's.
      const page = openPageSource(partial).then((source) => source.renderPage(3, {}).finally(() => source.close()));
      await expect(page).rejects.toBe(error);
    }
  });

  it('readInParts fetches what a reader misses and reads again; without a partial file it just reads', async () => {
    const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => i % 251);
    const partial = partialOf(bytes, 1000);
    let rounds = 0;
    const sum = await readInParts(partial, () => {
      rounds++;
      if (!partial.has(4500, 7200)) throw new BytesMissing(4500, 7200);
      return partial.bytes.subarray(4500, 7200).reduce((a, b) => a + b, 0);
    });
    expect(sum).toBe(bytes.subarray(4500, 7200).reduce((a, b) => a + b, 0));
    expect(rounds).toBe(2);
    expect(partial.stats).toEqual({ bytes: 4000, requests: 1 });
    expect(await readInParts(undefined, () => 42)).toBe(42);
  });
});
