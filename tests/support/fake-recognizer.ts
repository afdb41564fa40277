/**
 * A fast, deterministic stand-in for the tesseract pool: the text of a region is derived from a hash
 * of its pixels, so the same page always reads the same and different pages read differently, in
 * microseconds instead of seconds. Used where a test is about the run (resume, lease, faults, bad
 * inputs) rather than about recognition; the real engine is covered by tests/e2e/ingest-s3.test.ts.
 */
import { createHash } from 'node:crypto';
import { engineCrash } from '../../src/errors.js';
import type { EngineInfo, RecognizedRegion, RecognizeRequest, Recognizer } from '../../src/ocr/types.js';

const ALPHABET = '新闻报道记者本市今日发展经济文化社会人民政府建设工作会议城市农村学校医院交通科技';

export interface FakeRecognizerOptions {
  /** Wait this long per region, to make a run slow enough to interrupt. Default 0. */
  readonly delayMs?: number;
  /** Never answer for regions of these pages (pageKey `documentId#page`): a stuck engine. */
  readonly hang?: (pageKey: string) => boolean;
  /**
   * Crash on regions of these pages the way a tesseract worker does: the pool's own crash error
   * (an EngineError "OCR failed: …" at stage recognise), so a test sees what a run would see.
   */
  readonly crash?: (pageKey: string) => boolean;
  /** Told the pageKey of every region recognised. */
  readonly onRecognize?: (pageKey: string) => void;
}

export class FakeRecognizer implements Recognizer {
  readonly engine: EngineInfo = {
    id: 'fake',
    name: 'fake-recognizer',
    version: '1.0.0',
    core: 'none',
    model: 'pixel-hash',
    modelVersion: '1',
    parameters: { psm: 'fake' },
  };
  /** Regions recognised, and the pages they came from. */
  calls = 0;
  readonly pageKeys = new Set<string>();
  closed = false;

  constructor(private readonly options: FakeRecognizerOptions = {}) {}

  async recognize(request: RecognizeRequest): Promise<RecognizedRegion> {
    const pageKey = request.pageKey ?? '?';
    this.calls++;
    this.pageKeys.add(pageKey);
    this.options.onRecognize?.(pageKey);
    if (this.options.crash?.(pageKey)) throw engineCrash(new Error('RuntimeError: Aborted(). Build with -sASSERTIONS for more info.'));
    if (this.options.hang?.(pageKey)) return new Promise<never>(() => undefined);
    if (this.options.delayMs) await new Promise((resolve) => setTimeout(resolve, this.options.delayMs));
    const { image } = request;
    const digest = createHash('sha1').update(image.data).update(`${image.width}x${image.height}`).digest();
    const length = request.mode === 'line' ? 6 : 18;
    let text = '';
    for (let i = 0; i < length; i++) text += ALPHABET[(digest[i % digest.length] ?? 0) % ALPHABET.length];
    if (request.mode !== 'line') text += '。';
    return { lines: [{ text, bbox: { x: 0, y: 0, w: image.width, h: image.height }, confidence: 0.9 }] };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
