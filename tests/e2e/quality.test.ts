/**
 * Reassembly quality floor on a sample page: if layout, reading order or joining regress, CER rises
 * or articles split/merge, and this fails. (Measured when written: CER ≈ 0.01, F1 1.0.)
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';
import { loadGroundTruth, loadPrediction } from '../../src/eval/load.js';
import { evaluate } from '../../src/eval/score.js';
import { silentLogger } from '../../src/logger.js';
import type { DocumentJson } from '../../src/output/types.js';
import { runIngest } from '../../src/pipeline/ingest.js';

const SAMPLE = new URL('../../samples/daily-2023-12-02-p2.tif', import.meta.url).pathname;
const GT = new URL('../../samples/gt/daily-2023-12-02-p2.gt.json', import.meta.url).pathname;

describe('article reassembly quality on a sample page', () => {
  it('reads the page as printed: CER ≤ 0.05, article F1 ≥ 0.9, paragraphs mostly right', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'newsprint-quality-'));
    const report = await runIngest({
      inputs: [SAMPLE],
      out,
      workers: 2,
      logger: silentLogger,
      progress: createProgress({ isTTY: false, logger: silentLogger }),
    });
    expect(report.ok).toBe(true);
    const id = report.documents[0]!.documentId;
    const doc = JSON.parse(await readFile(path.join(out, id, 'document.json'), 'utf8')) as DocumentJson;
    // The sample is page 2 of its issue; as a single image it is page 1 of its document.
    const [gtPage] = await loadGroundTruth(GT);
    const predicted = (await loadPrediction(path.join(out, id, 'document.json'))).map((p) => ({ ...p, page: gtPage!.page }));
    const scores = evaluate([gtPage!], predicted).overall;
    expect(scores.cer).toBeLessThanOrEqual(0.05);
    expect(scores.f1).toBeGreaterThanOrEqual(0.9);
    expect(scores.paragraphAgreement ?? 0).toBeGreaterThanOrEqual(0.6);
    // Furniture stays out of the articles.
    expect(doc.pages[0]!.furniture.length).toBeGreaterThan(0);
    expect(doc.articles.some((a) => /公益广告|关爱老人/u.test(a.paragraphs.join('')))).toBe(false);
  }, 240_000);
});
