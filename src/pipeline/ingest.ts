/**
 * One ingest run: every page of every document goes through one queue; OCR runs on a pool of
 * tesseract workers shared by all pages. A document is written whole (articles, then document.json)
 * or, when it fails, only its error.json. The document itself is handled by ./document.ts, which
 * the nightly run (./run.ts) shares.
 */
import os from 'node:os';
import { createProgress, formatSummary, type Progress, type ProgressSummary } from '../cli/progress.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { TesseractPool } from '../ocr/tesseract-pool.js';
import type { Recognizer } from '../ocr/types.js';
import type { PipelineJson } from '../output/types.js';
import { openStorage } from '../storage/location.js';
import { feedDocuments, pageLanes, processDocument, type DocumentOutcome } from './document.js';
import { resolveInputs } from './inputs.js';
import type { StageTimings, TextSourceChoice } from './page-job.js';
import { PIPELINE_VERSION } from '../version.js';
import type { ExportOptions } from '../stages/publish/exports.js';

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
  /** Where page text comes from: `auto` (default), `ocr` or `pdf`. */
  readonly textSource?: TextSourceChoice;
  /** ALTO, METS, IIIF beside the JSON. Default json, alto, mets. */
  readonly exports?: ExportOptions;
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
  const textSource = options.textSource ?? 'auto';
  const pipeline = pipelineInfo(recognizer, workers, textSource);
  const { pageQueue, prepLane } = pageLanes(workers);
  const stageMs: StageTimings = {};
  try {
    const context = { output, recognizer, pageQueue, prepLane, progress, pipeline, logger, stageMs, textSource, ...(options.exports ? { exports: options.exports } : {}) };
    const outcomes = await feedDocuments(inputs.documents, { pageQueue, workers }, (input) => processDocument({ input }, context));
    const documents = outcomes.filter((d): d is DocumentOutcome => d !== undefined);
    const summary = progress.finish();
    return { documents, summary, stageMs, ok: documents.every((d) => d.ok) };
  } finally {
    await inputs.dispose();
    if (!options.recognizer) await recognizer.close();
    await output.dispose();
  }
}

export function pipelineInfo(recognizer: Recognizer, workers: number, textSource: TextSourceChoice = 'auto'): PipelineJson {
  const e = recognizer.engine;
  return {
    name: 'newsprint',
    version: PIPELINE_VERSION,
    engine: { name: e.name, version: e.version, core: e.core, model: e.model, modelVersion: e.modelVersion },
    parameters: { ...e.parameters, workers, textSource, preprocess: 'deskew+normalise', layout: 'rules-xycut', ocrModes: 'column=block,headline=line' },
  };
}

export { formatSummary };
export type { DocumentOutcome };
