/**
 * The PP-OCR recogniser on real crops of a sample page: a body column split into lines by the
 * layout's lines (here the ground truth's) and by its own rows of ink, a headline as one line; line
 * boxes in the crop's coordinates and confidences from the CTC probabilities. A session thread that
 * dies, or an error of onnxruntime, comes out as the tesseract pool's engine fault; a model that
 * cannot load as a clear error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { classifyError, CriticalError, EngineError } from '../../src/errors.js';
import { cer } from '../../src/eval/levenshtein.js';
import { cropGray, type GrayImage } from '../../src/image/gray-image.js';
import { grayFromSharp } from '../../src/image/sharp-gray.js';
import { modelsDir } from '../../src/ocr/paddle/models.js';
import { PaddlePool } from '../../src/ocr/paddle/paddle-pool.js';

const SAMPLE_TIF = new URL('../../samples/daily-2023-12-02-p2.tif', import.meta.url);
interface GtLine {
  role: string;
  col?: number;
  text: string;
  bbox: [number, number, number, number];
}
const GT = JSON.parse(readFileSync(new URL('../../samples/gt/daily-2023-12-02-p2.gt.json', import.meta.url), 'utf8')) as {
  articles: Array<{ headline?: string; columnBboxes?: number[][]; columnTexts?: string[]; lines?: GtLine[] }>;
};
const article = GT.articles[0]!;
const [cx, cy, cw, ch] = article.columnBboxes![0]! as [number, number, number, number];
const PAD = 8;

async function page(): Promise<GrayImage> {
  return grayFromSharp(sharp(readFileSync(SAMPLE_TIF)), 300);
}

describe('PaddlePool', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads a body column line by line, from the layout lines or from its own ink rows', async () => {
    const column = cropGray(await page(), { x: cx - PAD, y: cy - PAD, w: cw + 2 * PAD, h: ch + 2 * PAD });
    // The ground truth's line boxes sit about a fifth of a line low on this scan: grown by a quarter
    // of their height up and down they hold their glyphs, as the layout's lines do.
    const lines = article.lines!.filter((l) => l.role === 'body' && l.col === 0).map((l) => ({ x: l.bbox[0] - cx + PAD, y: l.bbox[1] - cy + PAD - l.bbox[3] / 4, w: l.bbox[2], h: l.bbox[3] * 1.5 }));
    const pool = new PaddlePool({ workers: 2 });
    try {
      const hinted = await pool.recognize({ image: column, mode: 'block', pageKey: 'a', lines });
      const found = await pool.recognize({ image: column, mode: 'block', pageKey: 'a' });
      for (const read of [hinted, found]) {
        expect(read.lines).toHaveLength(lines.length);
        expect(cer(article.columnTexts![0]!, read.lines.map((l) => l.text).join(''))).toBeLessThan(0.02);
        read.lines.forEach((line, i) => {
          const truth = lines[i]!;
          expect(line.confidence).toBeGreaterThan(0.5);
          expect(line.confidence).toBeLessThanOrEqual(1);
          // The box is the printed line's: same row, starting within a glyph of it.
          expect(Math.abs(line.bbox.y + line.bbox.h / 2 - (truth.y + truth.h / 2))).toBeLessThan(truth.h / 2);
          expect(Math.abs(line.bbox.x - truth.x)).toBeLessThan(truth.h);
        });
      }
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('reads a headline crop as one line', async () => {
    const headline = article.lines!.find((l) => l.role === 'headline')!;
    const [x, y, w, h] = headline.bbox;
    const crop = cropGray(await page(), { x: x - h / 2, y: y - h / 4, w: w + h, h: h * 1.5 });
    const pool = new PaddlePool({ workers: 1 });
    try {
      const read = await pool.recognize({ image: crop, mode: 'line' });
      expect(read.lines).toHaveLength(1);
      expect(cer(headline.text, read.lines[0]!.text)).toBeLessThan(0.1);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('reports a session thread that dies as the engine fault the tesseract pool raises, and goes on with a fresh one', async () => {
    const column = cropGray(await page(), { x: cx, y: cy, w: cw, h: 200 });
    const pool = new PaddlePool({ workers: 1 });
    try {
      // The thread exits as it is handed the batch (as when it runs out of memory or crashes natively).
      vi.spyOn(Worker.prototype, 'postMessage').mockImplementationOnce(function (this: Worker) {
        void this.terminate();
      });
      const failure = await pool.recognize({ image: column, mode: 'block', pageKey: 'a' }).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(EngineError);
      const typed = classifyError(failure);
      expect([typed.fault, typed.action, typed.stage]).toEqual(['engine', 'skip-document', 'recognise']);
      expect(typed.message).toMatch(/^OCR failed: PP-OCR session thread exited/u);
      vi.restoreAllMocks();
      expect((await pool.recognize({ image: column, mode: 'block', pageKey: 'b' })).lines.length).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('reports an error onnxruntime raises while reading as an engine fault', async () => {
    const column = cropGray(await page(), { x: cx, y: cy, w: cw, h: 200 });
    // The text detector loads like the recogniser but cannot read a 48 px line batch.
    const pool = new PaddlePool({ workers: 1, modelPath: path.join(modelsDir(), 'ch_PP-OCRv4_det_infer.onnx') });
    try {
      const failure = await pool.recognize({ image: column, mode: 'block', pageKey: 'a' }).catch((err: unknown) => err);
      const typed = classifyError(failure);
      expect([typed.fault, typed.stage]).toEqual(['engine', 'recognise']);
      expect(typed.message).toMatch(/^OCR failed: /u);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('stops with a clear error when the model cannot be loaded', async () => {
    const column = cropGray(await page(), { x: cx, y: cy, w: cw, h: 200 });
    const notAModel = new URL('../../samples/gt/daily-2023-12-02-p2.gt.json', import.meta.url).pathname;
    const pool = new PaddlePool({ workers: 1, modelPath: notAModel });
    try {
      const failure = await pool.recognize({ image: column, mode: 'block' }).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(CriticalError);
      expect(classifyError(failure).action).toBe('stop-run');
      expect(String((failure as Error).message)).toContain(`the PP-OCR model ${notAModel} could not be loaded`);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
