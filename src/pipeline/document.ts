/**
 * One document, start to finish: read, open, every page through the shared page queue, assemble,
 * publish (articles, then document.json), or on failure write only its error.json. Used by both
 * `ingest` (src/pipeline/ingest.ts) and the nightly `run` (src/pipeline/run.ts), which adds page
 * checkpoints, a per-page timeout, an attempt count and a stop signal.
 */
import { assembleDocument } from '../stages/assemble-document/index.js';
import { createHash } from 'node:crypto';
import PQueue from 'p-queue';
import { addTask } from '../queue.js';
import type { Progress } from '../cli/progress.js';
import {
  classifyError,
  CriticalError,
  errorMessage,
  InputError,
  InterruptedError,
  PageTimeoutError,
  type NewsprintError,
  type Stage,
} from '../errors.js';
import type { Logger } from '../logger.js';
import type { Recognizer } from '../ocr/types.js';
import { SCHEMA_VERSION, type DocumentJson, type ErrorJson, type PipelineJson } from '../output/types.js';
import { writeDocumentOutput, writeErrorOutput } from '../stages/publish/index.js';
import { openPageSource, type PageSource } from '../stages/rasterise/index.js';
import type { ExportOptions } from '../stages/publish/exports.js';
import type { Storage } from '../storage/types.js';
import type { PageCheckpoints } from './checkpoints.js';
import type { InputDocument } from './inputs.js';
import { processPage, type PageResult, type StageTimings, type TextSourceChoice } from './page-job.js';

/** The input disappeared between listing and reading: nothing to record, the next listing will tell. */
export class InputVanishedError extends InputError {}

export type DocumentStatus = 'done' | 'failed' | 'interrupted' | 'vanished';

export interface DocumentFailureInfo {
  readonly stage: string;
  readonly reason: string;
  /** Transient trouble (storage after its retries): not the document's fault. */
  readonly transient: boolean;
}

export interface DocumentOutcome {
  readonly documentId: string;
  readonly uri: string;
  readonly status: DocumentStatus;
  /** status === 'done' */
  readonly ok: boolean;
  /** Pages of the document (0 when it could not be opened). */
  readonly pages: number;
  /** Pages taken from checkpoints instead of being processed again. */
  readonly pagesResumed: number;
  /** Pages processed by this call (also those of a document that failed later). */
  readonly pagesProcessed: number;
  readonly articles: number;
  /** Size and SHA-256 of the input, once read. */
  readonly bytes?: number;
  readonly sha256?: string;
  readonly error?: DocumentFailureInfo;
  readonly ms: number;
}

export interface DocumentContext {
  readonly output: Storage;
  readonly recognizer: Recognizer;
  /** One queue for every page of every document of the run. */
  readonly pageQueue: PQueue;
  /** Pages in flight prepare (rasterise, preprocess, layout) one at a time here. Default: no lane. */
  readonly prepLane?: PQueue;
  readonly progress: Progress;
  readonly pipeline: PipelineJson;
  readonly logger: Logger;
  /** Stage times are added here. */
  readonly stageMs: StageTimings;
  /** Written into error.json as `attempts`. Default 1. */
  readonly attempt?: number;
  /** A page that takes longer fails its document. Default: no limit. */
  readonly pageTimeoutMs?: number;
  /** The run is stopping: pages not started yet are left, pages in flight finish. */
  readonly signal?: AbortSignal;
  /** Save pages as they finish and resume saved ones. Default: none. */
  readonly checkpoints?: PageCheckpoints;
  /** Where page text comes from. Default `auto` (a usable PDF text layer, else OCR). */
  readonly textSource?: TextSourceChoice;
  /** ALTO, METS, IIIF beside the JSON. Default json, alto, mets. */
  readonly exports?: ExportOptions;
}

export interface DocumentInput {
  readonly input: InputDocument;
  /** Bytes already read (e.g. to compare their hash), so they are not read twice. */
  readonly bytes?: Uint8Array;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Processes one document. Resolves with its outcome for every document-level failure (its
 * error.json is written); rejects only with a CriticalError (the run cannot go on).
 */
export async function processDocument(source: DocumentInput, ctx: DocumentContext): Promise<DocumentOutcome> {
  const { input } = source;
  const started = performance.now();
  const log = ctx.logger.child({ documentId: input.documentId });
  let document: PageSource | undefined;
  let bytes: Uint8Array | undefined = source.bytes;
  let sha256: string | undefined;
  let pageCount = 0;
  let pagesResumed = 0;
  const counter = { processed: 0 };
  let stage: Stage = 'open';
  const outcome = (status: DocumentStatus, extra: { articles?: number; error?: DocumentFailureInfo } = {}): DocumentOutcome => ({
    documentId: input.documentId,
    uri: input.uri,
    status,
    ok: status === 'done',
    pages: pageCount,
    pagesResumed,
    pagesProcessed: counter.processed,
    articles: extra.articles ?? 0,
    ...(bytes ? { bytes: bytes.length } : {}),
    ...(sha256 ? { sha256 } : {}),
    ...(extra.error ? { error: extra.error } : {}),
    ms: Math.round(performance.now() - started),
  });
  try {
    ctx.signal?.throwIfAborted();
    if (bytes === undefined) {
      log.debug('reading input', { uri: input.uri });
      bytes = await input.read();
      log.debug('input read', { bytes: bytes.length });
    }
    sha256 = sha256Hex(bytes);
    stage = 'rasterise';
    document = await openPageSource(bytes, { logger: log });
    pageCount = document.pageCount;
    log.debug('document opened', { pages: pageCount });
    const resumed = ctx.checkpoints ? await ctx.checkpoints.load(input.documentId, sha256, pageCount) : new Map<number, PageResult>();
    pagesResumed = resumed.size;
    if (pagesResumed > 0) log.info('resuming from checkpoints', { pages: pageCount, pagesResumed });
    ctx.progress.documentStarted(input.documentId, pageCount);
    for (const pageNumber of resumed.keys()) ctx.progress.pageDone(input.documentId, pageNumber, 0);
    const results = await runPages(document, input, sha256, resumed, ctx, log, counter);
    stage = 'publish';
    const doc = documentJson(input, bytes.length, sha256, ctx.pipeline, results);
    await writeDocumentOutput(ctx.output, doc, ctx.exports ?? {});
    ctx.progress.documentDone(input.documentId, { articles: doc.articles.length });
    return outcome('done', { articles: doc.articles.length });
  } catch (err) {
    if (err instanceof InterruptedError || (ctx.signal?.aborted && err === ctx.signal.reason)) {
      log.info('document interrupted; its finished pages are kept for the next run', { pagesResumed });
      return outcome('interrupted');
    }
    if (err instanceof InputVanishedError) {
      log.warn('input vanished after it was listed', { uri: input.uri });
      return outcome('vanished', { error: { stage: 'open', reason: err.message, transient: false } });
    }
    const typed: NewsprintError = classifyError(err, stage);
    if (typed instanceof CriticalError) throw typed;
    const failure: DocumentFailureInfo = { stage: typed.stage ?? stage, reason: typed.message, transient: typed.action === 'retry' };
    log.warn('document failed', { stage: failure.stage, reason: failure.reason, transient: failure.transient });
    ctx.progress.documentFailed(input.documentId, failure.reason, failure.stage);
    await writeError(ctx, input, bytes, sha256, failure, log);
    return outcome('failed', { error: failure });
  } finally {
    await document?.close().catch(() => undefined);
  }
}

async function writeError(
  ctx: DocumentContext,
  input: InputDocument,
  bytes: Uint8Array | undefined,
  sha256: string | undefined,
  failure: DocumentFailureInfo,
  log: Logger,
): Promise<void> {
  const errorJson: ErrorJson = {
    schemaVersion: SCHEMA_VERSION,
    documentId: input.documentId,
    source: { uri: input.uri, ...(bytes ? { bytes: bytes.length } : {}), ...(sha256 ? { sha256 } : {}) },
    stage: failure.stage,
    reason: failure.reason,
    attempts: Math.max(1, ctx.attempt ?? 1),
    failedAt: new Date().toISOString(),
  };
  try {
    await writeErrorOutput(ctx.output, errorJson);
  } catch (err) {
    if (err instanceof CriticalError) throw err;
    log.error('could not write error.json', { error: errorMessage(err) });
  }
}

/**
 * Every page not resumed goes through the page queue. The first failure stops the document's
 * pages that have not started; the call returns only when none of its pages is running any more.
 */
async function runPages(
  document: PageSource,
  input: InputDocument,
  sha256: string,
  resumed: ReadonlyMap<number, PageResult>,
  ctx: DocumentContext,
  log: Logger,
  counter: { processed: number },
): Promise<PageResult[]> {
  const failed = new AbortController();
  const pageNumbers = Array.from({ length: document.pageCount }, (_, i) => i + 1);
  const settled = await Promise.allSettled(
    pageNumbers.map((pageNumber) => {
      const saved = resumed.get(pageNumber);
      if (saved) return Promise.resolve(saved);
      const job = addTask(ctx.pageQueue, async () => {
        failed.signal.throwIfAborted();
        if (ctx.signal?.aborted) throw new InterruptedError('the run is stopping', { cause: ctx.signal.reason });
        const result = await runPage(document, input, pageNumber, ctx, log);
        counter.processed++;
        addTimings(ctx.stageMs, result.timings);
        await ctx.checkpoints?.save(input.documentId, sha256, result);
        ctx.progress.pageDone(input.documentId, pageNumber, Object.values(result.timings).reduce((s, v) => s + (v ?? 0), 0));
        return result;
      });
      return job.catch((err: unknown) => {
        if (!failed.signal.aborted && !(err instanceof InterruptedError)) failed.abort(err);
        throw err;
      });
    }),
  );
  const results: PageResult[] = [];
  let interrupted: unknown;
  for (const s of settled) {
    if (s.status === 'fulfilled') results.push(s.value);
    else if (s.reason instanceof InterruptedError) interrupted = s.reason;
  }
  // The first real failure decides; pages skipped because of it rejected with the same error.
  if (failed.signal.aborted) throw failed.signal.reason;
  if (interrupted !== undefined) throw interrupted;
  return results;
}

/** processPage with the per-page time limit: past it the page fails, and stops at its next stage. */
async function runPage(document: PageSource, input: InputDocument, pageNumber: number, ctx: DocumentContext, log: Logger): Promise<PageResult> {
  const job = { documentId: input.documentId, sourceUri: input.uri, pageNumber, textSource: ctx.textSource ?? 'auto' };
  const lane = ctx.prepLane;
  const deps = { document, recognizer: ctx.recognizer, ...(lane ? { prepare: <T>(work: () => Promise<T>) => addTask(lane, work) } : {}) };
  const limit = ctx.pageTimeoutMs;
  if (limit === undefined || !Number.isFinite(limit)) return processPage(job, deps);
  const abort = new AbortController();
  let stage: Stage = 'rasterise';
  const work = processPage(job, { ...deps, signal: abort.signal, onStage: (s) => void (stage = s) });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new PageTimeoutError(`page ${pageNumber} took longer than ${formatSeconds(limit)} (stopped in ${stage})`, { stage });
      log.warn('page timed out', { page: pageNumber, stage, limitMs: limit });
      abort.abort(err);
      reject(err);
    }, limit);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    // The abandoned job may still settle later (a stuck recogniser call): never let it go unhandled.
    work.catch(() => undefined);
  }
}

const formatSeconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;

function addTimings(into: StageTimings, from: StageTimings): void {
  for (const [stage, ms] of Object.entries(from) as Array<[keyof StageTimings, number]>) into[stage] = (into[stage] ?? 0) + ms;
}

export function documentJson(input: InputDocument, size: number, sha256: string, pipeline: PipelineJson, results: readonly PageResult[]): DocumentJson {
  const ordered = [...results].sort((a, b) => a.pageNumber - b.pageNumber);
  return {
    schemaVersion: SCHEMA_VERSION,
    documentId: input.documentId,
    source: { uri: input.uri, bytes: size, sha256, ...(input.etag ? { etag: input.etag } : {}) },
    pipeline,
    pages: ordered.map((r) => r.page),
    // One page numbering for the whole document, then stories jumping between its pages joined.
    articles: assembleDocument(ordered),
  };
}

/**
 * The queues of a run: pages in flight (one per worker plus one being prepared, so both cores stay
 * busy across pages) and the lane in which they prepare one at a time.
 */
export function pageLanes(workers: number): { readonly pageQueue: PQueue; readonly prepLane: PQueue } {
  return { pageQueue: new PQueue({ concurrency: workers + 1 }), prepLane: new PQueue({ concurrency: 1 }) };
}

/**
 * Starts `start(item)` for each item in order, keeping the page queue fed without opening more
 * documents than needed: a new one starts when fewer than `workers + 1` pages wait in the queue and
 * fewer than `workers + 2` documents are open. Stops starting when `signal` aborts; items never
 * started are left out of the result (their index holds undefined).
 */
export async function feedDocuments<T, R>(
  items: readonly T[],
  options: { readonly pageQueue: PQueue; readonly workers: number; readonly signal?: AbortSignal },
  start: (item: T) => Promise<R>,
): Promise<Array<R | undefined>> {
  const running = new Set<Promise<unknown>>();
  const outcomes: Array<Promise<R> | undefined> = items.map(() => undefined);
  const maxOpen = options.workers + 2;
  let failed = false;
  for (const [i, item] of items.entries()) {
    while (running.size >= maxOpen && !failed) await Promise.race(running);
    if (!failed) await options.pageQueue.onSizeLessThan(options.workers + 1);
    // A rejection (the run cannot go on) stops the feed as a signal does.
    if (failed || options.signal?.aborted) break;
    const p = start(item);
    outcomes[i] = p;
    const tracked: Promise<unknown> = p.then(
      () => running.delete(tracked),
      () => {
        failed = true;
        running.delete(tracked);
      },
    );
    running.add(tracked);
  }
  // Every started document settles before the first rejection is passed on.
  await Promise.allSettled(outcomes.filter((p) => p !== undefined));
  const results: Array<R | undefined> = [];
  for (const p of outcomes) results.push(p === undefined ? undefined : await p);
  return results;
}
