/**
 * One ingest run: every page of every document goes through one queue; OCR runs on a pool of
 * tesseract workers shared by all pages. A document is written whole (articles, then document.json)
 * or, when it fails, only its error.json.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import PQueue from 'p-queue';
import { createProgress, formatSummary, type Progress, type ProgressSummary } from '../cli/progress.js';
import { classifyError, ConfigError, CriticalError, type NewsprintError } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { TesseractPool } from '../ocr/tesseract-pool.js';
import type { Recognizer } from '../ocr/types.js';
import { SCHEMA_VERSION, type DocumentJson, type ErrorJson, type PipelineJson } from '../output/types.js';
import { writeDocumentOutput, writeErrorOutput } from '../output/writer.js';
import { openRasterDocument } from '../stages/rasterise/index.js';
import type { RasterDocument } from '../stages/raster-types.js';
import { openStorage } from '../storage/location.js';
import type { Storage } from '../storage/types.js';
import { resolveInputs, type InputDocument } from './inputs.js';
import { processPage, type PageResult, type StageTimings } from './page-job.js';
import { PIPELINE_VERSION } from '../version.js';

export interface IngestOptions {
  readonly inputs: readonly string[];
  /** Local folder or s3://bucket/prefix. Default ./out. */
  readonly out?: string;
  /** OCR workers. Default: number of cores. */
  readonly workers?: number;
  readonly s3Endpoint?: string;
  readonly forcePathStyle?: boolean;
  readonly logger?: Logger;
  /** Default: a progress display on stderr. */
  readonly progress?: Progress;
  /** A recogniser to use instead of a fresh tesseract pool (not closed by the run). */
  readonly recognizer?: Recognizer;
}

export interface DocumentOutcome {
  readonly documentId: string;
  readonly uri: string;
  readonly ok: boolean;
  readonly pages: number;
  readonly articles: number;
  readonly error?: { stage: string; reason: string };
  readonly ms: number;
}

export interface IngestReport {
  readonly documents: DocumentOutcome[];
  readonly summary: ProgressSummary;
  readonly stageMs: StageTimings;
  readonly ok: boolean;
}

export async function runIngest(options: IngestOptions): Promise<IngestReport> {
  const logger = options.logger ?? silentLogger;
  const workers = options.workers ?? Math.max(1, os.availableParallelism());
  if (!Number.isInteger(workers) || workers < 1) throw new ConfigError(`--workers must be a positive integer, got ${String(options.workers)}`);
  const storageOptions = {
    ...(options.s3Endpoint ? { endpoint: options.s3Endpoint } : {}),
    ...(options.forcePathStyle !== undefined ? { forcePathStyle: options.forcePathStyle } : {}),
    logger,
  };
  const output = openStorage(options.out ?? './out', storageOptions);
  const inputs = await resolveInputs(options.inputs, {
    ...(options.s3Endpoint ? { s3Endpoint: options.s3Endpoint } : {}),
    ...(options.forcePathStyle !== undefined ? { forcePathStyle: options.forcePathStyle } : {}),
  });
  const recognizer = options.recognizer ?? new TesseractPool({ workers, logger });
  const progress = options.progress ?? createProgress({ logger });
  const pipeline = pipelineInfo(recognizer, workers);
  // Pages in flight: one per worker plus one being laid out, so both cores stay busy across pages.
  const pageQueue = new PQueue({ concurrency: workers + 1 });
  const stageMs: StageTimings = {};
  const outcomes: Promise<DocumentOutcome>[] = [];
  try {
    for (const input of inputs.documents) {
      await pageQueue.onSizeLessThan(workers + 1);
      outcomes.push(ingestDocument(input, { output, recognizer, pageQueue, progress, pipeline, logger, stageMs }));
    }
    const documents = await Promise.all(outcomes);
    const summary = progress.finish();
    return { documents, summary, stageMs, ok: documents.every((d) => d.ok) };
  } finally {
    await inputs.dispose();
    if (!options.recognizer) await recognizer.close();
    await output.dispose();
  }
}

interface DocumentContext {
  readonly output: Storage;
  readonly recognizer: Recognizer;
  readonly pageQueue: PQueue;
  readonly progress: Progress;
  readonly pipeline: PipelineJson;
  readonly logger: Logger;
  readonly stageMs: StageTimings;
}

async function ingestDocument(input: InputDocument, ctx: DocumentContext): Promise<DocumentOutcome> {
  const started = performance.now();
  const log = ctx.logger.child({ documentId: input.documentId });
  let document: RasterDocument | undefined;
  let bytes: Uint8Array | undefined;
  let sha256: string | undefined;
  let stage = 'open';
  try {
    log.debug('reading input', { uri: input.uri });
    bytes = await input.read();
    log.debug('input read', { bytes: bytes.length });
    sha256 = createHash('sha256').update(bytes).digest('hex');
    stage = 'rasterise';
    document = await openRasterDocument(bytes, { logger: log });
    const pageCount = document.pageCount;
    log.debug('document opened', { pages: pageCount });
    ctx.progress.documentStarted(input.documentId, pageCount);
    const opened = document;
    const results = await Promise.all(
      Array.from({ length: pageCount }, (_, i) =>
        ctx.pageQueue.add(async () => {
          const result = await processPage({ documentId: input.documentId, sourceUri: input.uri, pageNumber: i + 1 }, { document: opened, recognizer: ctx.recognizer });
          addTimings(ctx.stageMs, result.timings);
          ctx.progress.pageDone(input.documentId, i + 1, Object.values(result.timings).reduce((s, v) => s + (v ?? 0), 0));
          return result;
        }) as Promise<PageResult>,
      ),
    );
    stage = 'publish';
    const doc = documentJson(input, bytes.length, sha256, ctx.pipeline, results);
    await writeDocumentOutput(ctx.output, doc);
    ctx.progress.documentDone(input.documentId, { articles: doc.articles.length });
    return { documentId: input.documentId, uri: input.uri, ok: true, pages: pageCount, articles: doc.articles.length, ms: Math.round(performance.now() - started) };
  } catch (err) {
    const typed: NewsprintError = classifyError(err, stage as never);
    if (typed instanceof CriticalError) throw typed;
    const failure = { stage: typed.stage ?? stage, reason: typed.message };
    log.warn('document failed', failure);
    ctx.progress.documentFailed(input.documentId, failure.reason, failure.stage);
    const errorJson: ErrorJson = {
      schemaVersion: SCHEMA_VERSION,
      documentId: input.documentId,
      source: { uri: input.uri, ...(bytes ? { bytes: bytes.length } : {}), ...(sha256 ? { sha256 } : {}) },
      stage: failure.stage,
      reason: failure.reason,
      attempts: 1,
      failedAt: new Date().toISOString(),
    };
    await writeErrorOutput(ctx.output, errorJson);
    return { documentId: input.documentId, uri: input.uri, ok: false, pages: 0, articles: 0, error: failure, ms: Math.round(performance.now() - started) };
  } finally {
    await document?.close().catch(() => undefined);
  }
}

function addTimings(into: StageTimings, from: StageTimings): void {
  for (const [stage, ms] of Object.entries(from) as Array<[keyof StageTimings, number]>) into[stage] = (into[stage] ?? 0) + ms;
}

function documentJson(input: InputDocument, size: number, sha256: string, pipeline: PipelineJson, results: readonly PageResult[]): DocumentJson {
  const ordered = [...results].sort((a, b) => a.pageNumber - b.pageNumber);
  return {
    schemaVersion: SCHEMA_VERSION,
    documentId: input.documentId,
    source: { uri: input.uri, bytes: size, sha256, ...(input.etag ? { etag: input.etag } : {}) },
    pipeline,
    pages: ordered.map((r) => r.page),
    articles: ordered.flatMap((r) => r.articles),
  };
}

export function pipelineInfo(recognizer: Recognizer, workers: number): PipelineJson {
  const e = recognizer.engine;
  return {
    name: 'newsprint',
    version: PIPELINE_VERSION,
    engine: { name: e.name, version: e.version, core: e.core, model: e.model, modelVersion: e.modelVersion },
    parameters: { ...e.parameters, workers, preprocess: 'deskew+normalise', layout: 'rules-xycut', ocrModes: 'column=block,headline=line' },
  };
}

export { formatSummary };
export { CriticalError };
