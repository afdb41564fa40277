/**
 * A worker's open inputs (DocumentSources) for `file://` inputs in a shared folder: a PDF is fetched
 * in parts under its etag, anything else whole under its sha256, and a file that changed since its
 * page was queued is refused either way. (Over S3: tests/e2e/queue.test.ts, tests/page-queue/worker-faults.test.ts.)
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputChangedError, InputVanishedError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import type { QueuedPageSource } from '../../src/page-queue/job.js';
import { DocumentSources } from '../../src/page-queue/sources.js';
import { createFsStorage } from '../../src/storage/fs.js';
import { repoFile } from '../rasterise/helpers.js';
import { scanPdf } from '../support/scans.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'newsprint-sources-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `bytes` written as `name`, and its source as a submitter queues it (etag from the folder's listing). */
async function queued(name: string, bytes: Uint8Array): Promise<QueuedPageSource> {
  await writeFile(path.join(dir, name), bytes);
  const etag = (await createFsStorage({ root: dir }).head(name))?.etag;
  return { uri: pathToFileURL(path.join(dir, name)).href, sha256: createHash('sha256').update(bytes).digest('hex'), ...(etag ? { etag } : {}), bytes: bytes.length };
}

describe('DocumentSources over file:// inputs', () => {
  it('fetches a PDF in parts, a page at a time, and another format whole', async () => {
    const pdf = scanPdf(21, 4);
    const sources = new DocumentSources({}, silentLogger, { chunkBytes: 1024 });
    try {
      const opened = await sources.open(await queued('four.pdf', pdf));
      await opened.document.renderPage(3, {});
      const fetched = opened.takeFetched();
      opened.release();
      expect(fetched.inParts).toBe(true);
      expect(fetched.bytes).toBeLessThan(pdf.length);
      const tiff = repoFile('samples/daily-2023-12-02-p2.tif');
      const image = await sources.open(await queued('page.tif', tiff));
      expect(image.takeFetched()).toEqual({ bytes: tiff.length, requests: 1, inParts: false });
      image.release();
    } finally {
      await sources.close();
    }
  });

  it('refuses a file replaced since its page was queued, in parts (etag) and whole (sha256), as an input fault', async () => {
    const pdfSource = await queued('replaced.pdf', scanPdf(22, 2));
    const tiff = repoFile('samples/daily-2023-12-02-p2.tif');
    // Without an etag a source is fetched whole: then its sha256 is what refuses it.
    const { etag: _etag, ...tiffSource } = await queued('replaced.tif', tiff);
    // Replaced the way writers replace files: a new file renamed over the old one (a new inode).
    await writeFile(path.join(dir, 'new.pdf'), scanPdf(23, 2));
    await rename(path.join(dir, 'new.pdf'), path.join(dir, 'replaced.pdf'));
    await writeFile(path.join(dir, 'replaced.tif'), Uint8Array.from(tiff).map((b, i) => (i === tiff.length - 1 ? b ^ 1 : b)));
    const sources = new DocumentSources({}, silentLogger);
    try {
      for (const source of [pdfSource, tiffSource]) {
        const error = await sources.open(source).catch((e: unknown) => e);
        expect(error, source.uri).toBeInstanceOf(InputChangedError);
        expect((error as InputChangedError).fault).toBe('input');
        expect((error as Error).message).toMatch(source === pdfSource ? /not the version asked for/ : /sha256/);
      }
      const gone = await sources.open({ ...pdfSource, uri: pathToFileURL(path.join(dir, 'missing.pdf')).href }).catch((e: unknown) => e);
      expect(gone).toBeInstanceOf(InputVanishedError);
    } finally {
      await sources.close();
    }
  });
});
