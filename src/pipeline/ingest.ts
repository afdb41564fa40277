/**
 * One ingest run: every page of every document goes through one queue; OCR runs on one pool of
 * recogniser workers (tesseract or PP-OCR, src/ocr/engines.ts) shared by all pages. A document is written whole (articles, then document.json)
 * or, when it fails, only its error.json. The document itself is handled by ./document.ts, which
 * the nightly run (./run.ts) shares.
 */
import type { ExportOptions } from '../stages/publish/exports.js';
import os from 'node:os';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { DEFAULT_ENGINE, engineInfo, type EngineChoice } from '../ocr/engines.js';
import { processClaimed } from '../page-queue/claimed-document.js';
import type { QueueOptions } from '../page-queue/queued-run.js';
import { openRunPages, type RunPages } from './page-runner.js';
import type { Recognizer } from '../ocr/types.js';
import type { PipelineJson } from '../output/types.js';
import { openStorage } from '../storage/location.js';
import type { Storage } from '../storage/types.js';
import { processDocument, type DocumentContext, type DocumentInput, type DocumentOutcome } from './document.js';
import { silentEvents, type PipelineEvents } from './events.js';
import { errorJsonFor, writeErrorJson } from './failure.js';
import { pipelineInfo } from './fingerprint.js';
import { resolveInputs } from './inputs.js';
import { feedDocuments } from './page-lanes.js';
import type { StageTimings, TextSourceChoice } from './page-job.js';

export interface IngestOptions {
  readonly inputs: readonly string[];
  /** Local folder or s3://bucket/prefix. Default ./out. */
  readonly out?: string;
  /** OCR workers. Default: number of cores. */
  readonly workers?: number;
  readonly s3Endpoint?: string;
  readonly forcePathStyle?: boolean;
  readonly logger?: Logger;
  /** Told of every document and page (src/cli/progress.ts shows them). Default: nobody. */
  readonly progress?: PipelineEvents;
  /** The OCR engine. Default tesseract. */
  readonly engine?: EngineChoice;
  /** A recogniser to use instead of a fresh pool of `engine` (not closed by the run). */
  readonly recognizer?: Recognizer;
  /** Where page text comes from: `auto` (default), `ocr` or `pdf`. */
  readonly textSource?: TextSourceChoice;
  /** ALTO, METS, IIIF beside the JSON. Default json, alto, mets. */
  readonly exports?: ExportOptions;
  /** Pages go to queue workers (`newsprint worker`) instead of a pool in this process. */
  readonly queue?: QueueOptions;
}

export interface IngestFailure {
  readonly documentId: string;
  readonly stage: string;
  readonly reason: string;
}

export interface IngestSummary {
  /** Documents that finished with an output. */
  readonly documents: number;
  /** Documents that failed; equals failures.length. */
  readonly documentsFailed: number;
  /** Pages done, including pages of documents that failed later. */
  readonly pages: number;
  /** Articles of the documents that finished. */
  readonly articles: number;
  readonly failures: readonly IngestFailure[];
  readonly wallMs: number;
}

export interface IngestReport {
  readonly documents: DocumentOutcome[];
  readonly summary: IngestSummary;
  readonly stageMs: StageTimings;
  readonly ok: boolean;
}

export async function runIngest(options: IngestOptions): Promise<IngestReport> {
  const started = performance.now();
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
  const textSource = options.textSource ?? 'auto';
  // Known before any engine starts (through the queue none does here): what reads the pages.
  const engine = options.engine ?? DEFAULT_ENGINE;
  const pipeline = pipelineInfo(options.recognizer?.engine ?? engineInfo(engine, { workers }), workers, textSource);
  const stageMs: StageTimings = {};
  let pages: RunPages | undefined;
  try {
    pages = await openRunPages({
      ...(options.queue ? { queue: options.queue } : {}),
      ...(options.recognizer ? { recognizer: options.recognizer } : {}),
      engine,
      workers,
      output,
      pipeline,
      textSource,
      checkpoints: false,
      logger,
    });
    const context: DocumentContext = {
      output,
      runPages: pages.runPages,
      ...(pages.checkpoints ? { checkpoints: pages.checkpoints } : {}),
      events: options.progress ?? silentEvents,
      pipeline,
      logger,
      stageMs,
      textSource,
      ...(options.exports ? { exports: options.exports } : {}),
    };
    const claims = pages.claims;
    const outcomes = await feedDocuments(inputs.documents, pages.feed, (input) =>
      claims
        ? processClaimed(input, output, claims, pipeline, logger, (bytes) => processAndRecordIngest({ input, ...(bytes ? { bytes } : {}) }, context))
        : processAndRecordIngest({ input }, context),
    );
    const documents = outcomes.filter((d): d is DocumentOutcome => d !== undefined);
    return { documents, summary: summarise(documents, Math.round(performance.now() - started)), stageMs, ok: documents.every((d) => d.ok) };
  } finally {
    await pages?.close();
    await inputs.dispose();
    await output.dispose();
  }
}

/** Processes one document and writes error.json when it failed. */
async function processAndRecordIngest(source: DocumentInput, context: DocumentContext): Promise<DocumentOutcome> {
  const outcome = await processDocument(source, context);
  await recordIngestFailure(context.output, outcome, context.pipeline, context.logger);
  return outcome;
}

/** `ingest` keeps no history: a failed document's error.json says why, as its first attempt. */
async function recordIngestFailure(output: Storage, outcome: DocumentOutcome, pipeline: PipelineJson, logger: Logger): Promise<void> {
  if (outcome.status !== 'failed' || outcome.error === undefined) return;
  const facts = { documentId: outcome.documentId, uri: outcome.uri, bytes: outcome.bytes, sha256: outcome.sha256 };
  const errorJson = errorJsonFor({
    ...facts,
    failure: outcome.error,
    attempts: 1,
    pipeline,
    failedAt: new Date().toISOString(),
  });
  await writeErrorJson(output, errorJson, logger.child({ documentId: outcome.documentId }));
}

function summarise(documents: readonly DocumentOutcome[], wallMs: number): IngestSummary {
  const done = documents.filter((d) => d.ok);
  const failures = documents.filter((d) => d.status === 'failed').map((d) => ({ documentId: d.documentId, stage: d.error?.stage ?? 'open', reason: d.error?.reason ?? 'unknown failure' }));
  return {
    documents: done.length,
    documentsFailed: failures.length,
    pages: documents.reduce((sum, d) => sum + d.pagesProcessed + d.pagesResumed, 0),
    articles: done.reduce((sum, d) => sum + d.articles, 0),
    failures,
    wallMs,
  };
}

export type { DocumentOutcome };
