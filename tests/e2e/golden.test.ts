/**
 * The golden output: the real pipeline (tesseract.js) on the sample scans, its output reduced to
 * what the contract promises (pipeline provenance left out), hashed, and compared with
 * tests/golden/output.json. Output that changes while PIPELINE_REVISION stays the same fails here:
 * documents already done would never get the change (the fingerprint, and so skipping and
 * checkpoints, follows the revision). After bumping the revision, `npm run golden:update` records
 * the new output.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DocumentJson } from '../../src/output/types.js';
import { runIngest } from '../../src/pipeline/ingest.js';
import { PIPELINE_REVISION } from '../../src/version.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GOLDEN = path.join(ROOT, 'tests/golden/output.json');
const SAMPLES = ['samples/daily-2023-12-02-p1.pdf', 'samples/daily-2023-12-02-p2.tif'];

interface Golden {
  readonly revision: number;
  readonly outputHash: string;
  readonly documents: Readonly<Record<string, string>>;
}

/** A document as far as its output goes: no provenance (versions, fingerprint), no timings. */
function outputOf(doc: DocumentJson): unknown {
  const pages = doc.pages.map((p) => Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'timings')));
  // The source by its bytes, not its URI: the checkout the test runs in is anywhere.
  return { source: { bytes: doc.source.bytes, sha256: doc.source.sha256 }, pages, articles: doc.articles };
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('golden output', () => {
  it('is unchanged unless PIPELINE_REVISION changed', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'newsprint-golden-'));
    try {
      const report = await runIngest({ inputs: SAMPLES.map((s) => path.join(ROOT, s)), out, workers: 2 });
      expect(report.summary.documentsFailed).toBe(0);
      const documents: Record<string, string> = {};
      for (const o of report.documents.filter((x) => x.ok).sort((a, b) => (a.documentId < b.documentId ? -1 : 1))) {
        const doc = JSON.parse(await readFile(path.join(out, o.documentId, 'document.json'), 'utf8')) as DocumentJson;
        documents[o.documentId] = sha256(JSON.stringify(outputOf(doc)));
      }
      const outputHash = sha256(JSON.stringify(documents));
      if (process.env['NEWSPRINT_GOLDEN_UPDATE'] === '1') {
        const golden: Golden = { revision: PIPELINE_REVISION, outputHash, documents };
        await writeFile(GOLDEN, JSON.stringify(golden, null, 2) + '\n');
        return;
      }
      const golden = JSON.parse(await readFile(GOLDEN, 'utf8')) as Golden;
      if (golden.outputHash !== outputHash && golden.revision === PIPELINE_REVISION) {
        throw new Error(
          `output changed (${JSON.stringify(documents)} vs ${JSON.stringify(golden.documents)}) but PIPELINE_REVISION is still ${PIPELINE_REVISION}: ` +
            'bump PIPELINE_REVISION in src/version.ts and run `npm run golden:update`',
        );
      }
      expect(golden.revision, 'the golden file is of an older revision: run `npm run golden:update`').toBe(PIPELINE_REVISION);
      expect(outputHash).toBe(golden.outputHash);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 180_000);
});
