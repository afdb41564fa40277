/**
 * One document, start to finish: read, open, every page (./document-pages.ts), assemble
 * (./document-json.ts), publish (articles, then document.json). A failure is classified once
 * (src/errors.ts) and returned, not recorded: `ingest` (./ingest.ts) and the nightly run
 * (./record-outcome.ts) each record it their way, the run with page checkpoints, a per-page
 * timeout, an attempt count and a stop signal.
 */
import { classifyError, type Stage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PipelineJson } from '../output/types.js';
import { writeDocumentOutput } from '../stages/publish/index.js';
import type { ExportOptions } from '../stages/publish/exports.js';
import { openPageSource, type PageSource } from '../stages/rasterise/index.js';
import type { Storage } from '../storage/types.js';
import { documentJson, sha256Hex } from './document-json.js';
import type { PageRunContext } from './document-pages.js';
import { failureOf, logFailure, type DocumentFailure } from './failure.js';
import type { InputDocument } from './inputs.js';
import type { PageResult } from './page-job.js';

export type DocumentStatus = 'done' | 'failed' | 'interrupted' | 'vanished';

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
  /** status === 'failed' (and 'vanished', which is nobody's failure). */
  readonly error?: DocumentFailure;
  readonly ms: number;
}

export interface DocumentContext extends PageRunContext {
  readonly output: Storage;
  readonly pipeline: PipelineJson;
  readonly logger: Logger;
  /** ALTO, METS, IIIF beside the JSON. Default json, alto, mets. */
  readonly exports?: ExportOptions;
}

export interface DocumentInput {
  readonly input: InputDocument;
  /** Bytes already read (e.g. to compare their hash), so they are not read twice. */
  readonly bytes?: Uint8Array;
}

/**
 * Processes one document. Resolves with its outcome for every document-level failure (classified,
 * logged, told to the events; nothing written); rejects only when the run must stop.
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
  const outcome = (status: DocumentOutcome['status'], extra: { articles?: number; error?: DocumentFailure } = {}): DocumentOutcome => ({
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
    ctx.events.documentStarted(input.documentId, pageCount);
    for (const pageNumber of resumed.keys()) ctx.events.pageDone(input.documentId, pageNumber, 0);
    const results = await ctx.runPages({ document, input, sha256, bytes: bytes.length, resumed }, ctx, log, counter);
    stage = 'publish';
    const doc = documentJson(input, bytes.length, sha256, ctx.pipeline, results);
    await writeDocumentOutput(ctx.output, doc, ctx.exports ?? {});
    ctx.events.documentDone(input.documentId, { articles: doc.articles.length });
    return outcome('done', { articles: doc.articles.length });
  } catch (err) {
    const typed = classifyError(err, stage);
    if (typed.action === 'leave' || (ctx.signal?.aborted && err === ctx.signal.reason)) {
      log.info('document interrupted; its finished pages are kept for the next run', { pagesResumed });
      return outcome('interrupted');
    }
    if (typed.action === 'stop-run') throw typed;
    const failure = failureOf(typed, stage);
    if (typed.action === 'forget') {
      log.warn('input vanished after it was listed', { uri: input.uri });
      return outcome('vanished', { error: failure });
    }
    logFailure(log, failure, typed);
    ctx.events.documentFailed(input.documentId, failure.reason, failure.stage);
    return outcome('failed', { error: failure });
  } finally {
    await document?.close().catch(() => undefined);
  }
}
