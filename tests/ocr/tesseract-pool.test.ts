/** The tesseract pool reads Chinese offline (language data from node_modules) and recycles workers. */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cer } from '../../src/eval/levenshtein.js';
import { TesseractPool } from '../../src/ocr/tesseract-pool.js';
import { grayFromSharp } from '../../src/image/sharp-gray.js';
import { cropGray } from '../../src/image/gray-image.js';
import { silentLogger } from '../../src/logger.js';

const SAMPLE_TIF = new URL('../../samples/daily-2023-12-02-p2.tif', import.meta.url);
const GT = JSON.parse(readFileSync(new URL('../../samples/gt/daily-2023-12-02-p2.gt.json', import.meta.url), 'utf8')) as {
  articles: Array<{ columnBboxes?: number[][]; columnTexts?: string[] }>;
};

describe('TesseractPool', () => {
  it('reads one body column of a sample page as a block, with line boxes and confidences', async () => {
    const page = await grayFromSharp(sharp(readFileSync(SAMPLE_TIF)), 300);
    const article = GT.articles.find((a) => (a.columnBboxes?.length ?? 0) > 0)!;
    const [x, y, w, h] = article.columnBboxes![0]!;
    const column = cropGray(page, { x: x! - 8, y: y! - 8, w: w! + 16, h: h! + 16 });
    const pool = new TesseractPool({ workers: 1, recycleAfterPages: 1 });
    try {
      const first = await pool.recognize({ image: column, mode: 'block', pageKey: 'a' });
      const text = first.lines.map((l) => l.text).join('');
      expect(cer(article.columnTexts![0]!, text)).toBeLessThan(0.1);
      for (const line of first.lines) {
        expect(line.confidence).toBeGreaterThan(0);
        expect(line.confidence).toBeLessThanOrEqual(1);
        expect(line.bbox.w).toBeGreaterThan(0);
      }
      // A second page retires the first worker (recycleAfterPages 1); reading still works.
      const second = await pool.recognize({ image: column, mode: 'block', pageKey: 'b' });
      expect(second.lines.map((l) => l.text).join('')).toBe(text);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('warmUp starts the workers ahead, and the tasks use them without starting more', async () => {
    const started: unknown[] = [];
    const logger = { ...silentLogger, debug: (message: string, fields?: Record<string, unknown>) => void (message === 'tesseract worker started' && started.push(fields?.worker)) };
    const pool = new TesseractPool({ workers: 2, logger });
    try {
      pool.warmUp();
      pool.warmUp();
      // Both start with no task asked for.
      for (let waited = 0; started.length < 2 && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(started.sort()).toEqual([1, 2]);
      const blank = { width: 40, height: 20, dpi: 300, data: new Uint8Array(800).fill(255) };
      await Promise.all([1, 2, 3, 4].map((i) => pool.recognize({ image: blank, mode: 'block', pageKey: `p${i}` })));
      expect(started.sort()).toEqual([1, 2]);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('fails fast on bad options', () => {
    expect(() => new TesseractPool({ workers: 0 })).toThrow(/workers/);
    expect(() => new TesseractPool({ recycleAfterPages: 1.5 })).toThrow(/recycleAfterPages/);
  });
});
