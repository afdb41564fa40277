/**
 * A pool of tesseract.js workers (each already a worker thread) fed by one p-queue.
 * Offline: language data comes from @tesseract.js-data/chi_sim and the WASM core from
 * tesseract.js-core in node_modules; nothing is fetched.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { encodePgm } from './pgm.js';
import { packageVersion } from './package-version.js';
import { PagePriority } from './page-priority.js';
import { EnginePool } from './engine-pool.js';
import type { EngineInfo, RecognizedLine, RecognizedRegion, RecognizeRequest, Recognizer, SegmentationMode } from './types.js';

const require = createRequire(import.meta.url);

export interface TesseractPoolOptions {
  /** Number of tesseract workers. Default: 2 (set from the number of cores by the caller). */
  readonly workers?: number;
  /** A worker is replaced after it has served this many pages, to bound WASM heap growth. Default 8. */
  readonly recycleAfterPages?: number;
  /** tesseract language. Default 'chi_sim'. */
  readonly language?: string;
  readonly logger?: Logger;
}

interface PooledWorker {
  readonly worker: Worker;
  readonly id: number;
  mode: SegmentationMode | undefined;
  dpi: number | undefined;
  readonly pages: Set<string>;
}

/**
 * Set once per worker. By default tesseract reads a line again, inverted, when its mean confidence
 * is under 0.7, and keeps whichever reading scores higher. White-on-dark lines are found by the
 * layout and inverted before recognition (line-prep), so here the inverted reading is only ever a
 * worse guess that sometimes wins on a noisy line: off, dev-archive's article CER went from 0.068
 * to 0.051, other scans unchanged. tesseract's own diagnostics ("Detected 40 diacritics") go to
 * /dev/null instead of the process's stdout, where they broke the JSON log lines.
 */
export const WORKER_PARAMETERS = { preserve_interword_spaces: '1', tessedit_do_invert: '0', invert_threshold: '0', debug_file: '/dev/null' } as const;

/**
 * Set when a worker starts (tesseract reads them only then). chi_sim's word lists are not loaded:
 * checking every beam against them costs about 5 % of recognition time and changed no character
 * on the corpus (see README, Performance).
 */
export const INIT_PARAMETERS = { load_system_dawg: '0', load_freq_dawg: '0', load_punc_dawg: '0', load_number_dawg: '0' } as const;

const PSM_FOR: Record<SegmentationMode, PSM> = {
  block: PSM.SINGLE_BLOCK,
  line: PSM.SINGLE_LINE,
  sparse: PSM.SPARSE_TEXT,
};

export function languageDataDir(): string {
  const pkg = require.resolve('@tesseract.js-data/chi_sim/package.json');
  return path.join(path.dirname(pkg), '4.0.0_best_int');
}


/**
 * The engine, model and parameters a pool with these options reads with, from the installed
 * packages' package.json files: known without starting a worker, so a run can compute its pipeline
 * fingerprint before it knows whether it has any work.
 */
export function tesseractEngineInfo(options: Pick<TesseractPoolOptions, 'workers' | 'recycleAfterPages' | 'language'> = {}): EngineInfo {
  const language = options.language ?? 'chi_sim';
  return {
    id: 'tesseract',
    name: 'tesseract.js',
    version: packageVersion('tesseract.js'),
    core: `tesseract.js-core ${packageVersion('tesseract.js-core')}`,
    model: `${language} (4.0.0_best_int, LSTM)`,
    modelVersion: `@tesseract.js-data/${language} ${packageVersion(`@tesseract.js-data/${language}`)}`,
    parameters: {
      oem: 'LSTM_ONLY',
      ...INIT_PARAMETERS,
      ...WORKER_PARAMETERS,
      workers: options.workers ?? 2,
      recycleAfterPages: options.recycleAfterPages ?? 8,
    },
    // Body glyph heights as the layout measures them (ascenders included). At 9 px (the 72 dpi real
    // page) chi_sim reads the ground-truth columns at CER 0.33 however they are enlarged, PP-OCR the
    // page at 0.12; generated 80-100 dpi pages at 12-15 px read at 0.05-0.13, at 9-11 px far worse.
    smallGlyphs: { belowPx: 12, advice: 'PP-OCR (--engine paddle) reads such scans far better' },
  };
}

export class TesseractPool implements Recognizer {
  readonly engine: EngineInfo;
  private readonly recycleAfterPages: number;
  private readonly language: string;
  private readonly logger: Logger;
  private readonly priority = new PagePriority();
  private readonly workers: EnginePool<PooledWorker>;
  private nextId = 1;

  constructor(options: TesseractPoolOptions = {}) {
    const size = options.workers ?? 2;
    if (!Number.isInteger(size) || size < 1) throw new ConfigError(`workers must be a positive integer, got ${String(size)}`);
    const recycle = options.recycleAfterPages ?? 8;
    if (!Number.isInteger(recycle) || recycle < 1) {
      throw new ConfigError(`recycleAfterPages must be a positive integer, got ${String(recycle)}`);
    }
    this.recycleAfterPages = recycle;
    this.language = options.language ?? 'chi_sim';
    this.logger = options.logger ?? silentLogger;
    this.engine = tesseractEngineInfo({ workers: size, recycleAfterPages: recycle, language: this.language });
    this.workers = new EnginePool({
      size,
      start: () => this.spawn(),
      end: (w) => w.worker.terminate(),
      onWarmFailure: (err) => this.logger.warn('tesseract worker failed to start', { error: String(err) }),
    });
  }

  recognize(request: RecognizeRequest): Promise<RecognizedRegion> {
    if (this.workers.isClosed) return Promise.reject(new Error('recogniser is closed'));
    if (request.image.width < 2 || request.image.height < 2) return Promise.resolve({ lines: [] });
    const priority = this.priority.of(request.pageKey, request.image.width * request.image.height);
    return this.workers.run((pooled) => this.run(pooled, request), priority, (pooled) => this.keep(pooled, request.pageKey));
  }

  /**
   * Starts the workers now instead of on the first recognize(), so that loading the model (about
   * 0.2 s a worker) overlaps the caller's own work on the first page. Only the first call does
   * anything; a worker that fails to start is left for recognize() to start again.
   */
  warmUp(): void {
    this.workers.warmUp();
  }

  close(): Promise<void> {
    return this.workers.close();
  }

  private async spawn(): Promise<PooledWorker> {
    const id = this.nextId++;
    const starting = createWorker(this.language, OEM.LSTM_ONLY, {
      langPath: languageDataDir(),
      gzip: true,
      cacheMethod: 'none',
      errorHandler: (err: unknown) => this.logger.error('tesseract worker error', { worker: id, error: String(err) }),
    }, INIT_PARAMETERS);
    const worker = await starting;
    await worker.setParameters(WORKER_PARAMETERS);
    this.logger.debug('tesseract worker started', { worker: id });
    return { worker, id, mode: undefined, dpi: undefined, pages: new Set() };
  }

  /** A healthy worker is kept until it has served more than recycleAfterPages pages. */
  private keep(pooled: PooledWorker, pageKey: string | undefined): boolean {
    if (pageKey) pooled.pages.add(pageKey);
    const keep = pooled.pages.size <= this.recycleAfterPages;
    if (!keep) this.logger.debug('tesseract worker retired', { worker: pooled.id, pages: pooled.pages.size });
    return keep;
  }

  private async run(pooled: PooledWorker, request: RecognizeRequest): Promise<RecognizedRegion> {
    const dpi = Math.round(request.image.dpi);
    if (pooled.mode !== request.mode || pooled.dpi !== dpi) {
      await pooled.worker.setParameters({ tessedit_pageseg_mode: PSM_FOR[request.mode], user_defined_dpi: String(dpi) });
      pooled.mode = request.mode;
      pooled.dpi = dpi;
    }
    const result = await pooled.worker.recognize(encodePgm(request.image), {}, { text: false, blocks: true });
    const lines: RecognizedLine[] = [];
    for (const block of result.data.blocks ?? []) {
      for (const paragraph of block.paragraphs) {
        for (const line of paragraph.lines) {
          const text = line.text.replace(/\s+$/u, '');
          if (!text) continue;
          lines.push({
            text,
            bbox: { x: line.bbox.x0, y: line.bbox.y0, w: line.bbox.x1 - line.bbox.x0, h: line.bbox.y1 - line.bbox.y0 },
            confidence: Math.max(0, Math.min(1, line.confidence / 100)),
          });
        }
      }
    }
    return { lines };
  }
}
