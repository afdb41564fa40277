/**
 * The whole pipeline with `--engine paddle` on a sample page: the output is schema-valid, names the
 * engine in its provenance and on the page, and reads the page (every headline found, CER low).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';
import { cer } from '../../src/eval/levenshtein.js';
import { loadGroundTruth, loadPrediction } from '../../src/eval/load.js';
import { evaluate } from '../../src/eval/score.js';
import { silentLogger } from '../../src/logger.js';
import type { DocumentJson } from '../../src/output/types.js';
import { validateDocument } from '../../src/output/validate.js';
import { pipelineInfo } from '../../src/pipeline/fingerprint.js';
import { runIngest } from '../../src/pipeline/ingest.js';
import { engineInfo } from '../../src/ocr/engines.js';

const SAMPLE = new URL('../../samples/daily-2023-12-02-p2.tif', import.meta.url).pathname;
const GT = new URL('../../samples/gt/daily-2023-12-02-p2.gt.json', import.meta.url).pathname;

describe('ingest with --engine paddle', () => {
  it('writes a schema-valid document read by PP-OCR, with every headline found', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'newsprint-paddle-'));
    try {
      const report = await runIngest({ inputs: [SAMPLE], out, workers: 2, engine: 'paddle', logger: silentLogger, progress: createProgress({ isTTY: false, logger: silentLogger }) });
      expect(report.ok).toBe(true);
      const file = path.join(out, report.documents[0]!.documentId, 'document.json');
      const doc = JSON.parse(await readFile(file, 'utf8')) as DocumentJson;
      expect(validateDocument(doc).errors).toEqual([]);
      expect(doc.pipeline.engine.name).toMatch(/^PP-OCR/u);
      expect(doc.pipeline.engine.modelVersion).toMatch(/^@gutenye\/ocr-models \d/u);
      expect(doc.pipeline.parameters['engine']).toBe('paddle');
      expect(doc.pages.map((p) => p.engine)).toEqual(['paddle']);
      // The engine is part of the fingerprint: the same run with tesseract would be redone.
      expect(doc.pipeline.fingerprint).not.toBe(pipelineInfo(engineInfo('tesseract', { workers: 2 }), 2).fingerprint);

      const gt = JSON.parse(await readFile(GT, 'utf8')) as { articles: Array<{ headline?: string }> };
      for (const headline of gt.articles.flatMap((a) => (a.headline ? [a.headline] : []))) {
        const best = Math.min(...doc.articles.map((a) => cer(headline, a.headline ?? '')));
        expect(best, headline).toBeLessThan(0.1);
      }
      const [gtPage] = await loadGroundTruth(GT);
      const predicted = (await loadPrediction(file)).map((p) => ({ ...p, page: gtPage!.page }));
      const scores = evaluate([gtPage!], predicted).overall;
      expect(scores.f1).toBe(1);
      expect(scores.cer).toBeLessThan(0.02);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 240_000);
});
