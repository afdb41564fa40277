/**
 * A page set smaller than the engine reads well is still read, and the run says so: the warning
 * names the measured glyph height and the engine's advice (tesseract: use PP-OCR).
 */
import { describe, expect, it } from 'vitest';
import type { Logger, LogFields } from '../../src/logger.js';
import type { EngineInfo } from '../../src/ocr/types.js';
import { tesseractEngineInfo } from '../../src/ocr/tesseract-pool.js';
import { runPage } from '../../src/pipeline/document-pages.js';
import type { PageSource } from '../../src/stages/rasterise/index.js';
import { FakeRecognizer } from '../support/fake-recognizer.js';
import { drawSyntheticPage } from '../support/synthetic-page.js';

const page = drawSyntheticPage({ gridColumns: 2, rows: [{ slots: [{ span: 2, blocks: [{}] }] }] });
const document: PageSource = {
  kind: 'png',
  pageCount: 1,
  async renderPage(pageNumber) {
    return { pageNumber, image: page.image, origin: 'image-file', dpiSource: 'metadata', provenance: { path: 'image-file' } };
  },
  async close() {},
};

function recordingLogger(): { logger: Logger; warnings: Array<{ message: string; fields?: LogFields }> } {
  const warnings: Array<{ message: string; fields?: LogFields }> = [];
  const logger: Logger = {
    debug() {},
    info() {},
    warn: (message, fields) => void warnings.push({ message, ...(fields ? { fields } : {}) }),
    error() {},
    child: () => logger,
  };
  return { logger, warnings };
}

class EngineWithLimit extends FakeRecognizer {
  override readonly engine: EngineInfo;
  constructor(belowPx: number) {
    super();
    this.engine = { ...new FakeRecognizer().engine, smallGlyphs: { belowPx, advice: 'use the other engine' } };
  }
}

describe('body glyphs too small for the engine', () => {
  it('warns with the measured height when the page is set below the engine limit, and still reads it', async () => {
    const { logger, warnings } = recordingLogger();
    const result = await runPage(document, { documentId: 'd', sourceUri: 'd', pageNumber: 1 }, { recognizer: new EngineWithLimit(1000) }, logger);
    expect(result.articles.length).toBeGreaterThan(0);
    expect(result.bodyGlyphPx).toBeGreaterThan(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain(`body glyphs of ${result.bodyGlyphPx} px`);
    expect(warnings[0]?.message).toContain('use the other engine');
    expect(warnings[0]?.fields).toMatchObject({ page: 1, bodyGlyphPx: result.bodyGlyphPx, belowPx: 1000 });
  });

  it('says nothing above the limit, nor for an engine without one, also under a page time limit', async () => {
    for (const recognizer of [new EngineWithLimit(2), new FakeRecognizer()]) {
      const { logger, warnings } = recordingLogger();
      await runPage(document, { documentId: 'd', sourceUri: 'd', pageNumber: 1 }, { recognizer, pageTimeoutMs: 60_000 }, logger);
      expect(warnings).toEqual([]);
    }
  });

  it('is set for tesseract (chi_sim) and names PP-OCR', () => {
    expect(tesseractEngineInfo().smallGlyphs).toMatchObject({ belowPx: 12 });
    expect(tesseractEngineInfo().smallGlyphs?.advice).toContain('--engine paddle');
  });
});
