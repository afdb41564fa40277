/**
 * A document's pages: resumed pages from checkpoints, the rest run by the context's PageRunner. The
 * default runner (`localPages`) puts them through the run's shared page queue in this process, with
 * the per-page time limit, checkpointed as they finish and told to the events; the queue's runner
 * (src/page-queue/submit.ts) hands them to worker processes instead and waits for their checkpoints.
 */
import type PQueue from 'p-queue';
import { classifyError, InterruptedError, PageTimeoutError, type Stage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Recognizer } from '../ocr/types.js';
import { addTask } from '../queue.js';
import type { PageSource } from '../stages/rasterise/index.js';
import type { PageCheckpoints } from './checkpoints.js';
import type { PipelineEvents } from './events.js';
import type { InputDocument } from './inputs.js';
import { processPage, type PageJob, type PageResult, type StageTimings, type TextSourceChoice } from './page-job.js';

export interface PageRunContext {
  /** Where the pages not resumed run: `localPages(…)` in this process, or a queue's workers. */
  readonly runPages: PageRunner;
  readonly events: PipelineEvents;
  /** Stage times are added here. */
  readonly stageMs: StageTimings;
  /** A page that takes longer fails its document. Default: no limit. */
  readonly pageTimeoutMs?: number;
  /** The run is stopping: pages not started yet are left, pages in flight finish. */
  readonly signal?: AbortSignal;
  /** Save pages as they finish. Default: none. */
  readonly checkpoints?: PageCheckpoints;
  /** Where page text comes from. Default `auto`. */
  readonly textSource?: TextSourceChoice;
}

/** One opened document whose pages are to run. */
export interface DocumentPages {
  readonly document: PageSource;
  readonly input: InputDocument;
  readonly sha256: string;
  /** Size of the input as read. */
  readonly bytes: number;
  /** Pages taken from checkpoints: not run again. */
  readonly resumed: ReadonlyMap<number, PageResult>;
}

/**
 * Runs every page of a document not resumed and resolves with all its pages (resumed ones too), or
 * rejects with the first page's failure once none of its pages is running any more.
 */
export type PageRunner = (pages: DocumentPages, ctx: PageRunContext, log: Logger, counter: { processed: number }) => Promise<PageResult[]>;

/** What a page needs to run in this process. */
export interface LocalPageOptions {
  readonly recognizer: Recognizer;
  /** Pages in flight prepare (rasterise, preprocess, layout) one at a time here. Default: no lane. */
  readonly prepLane?: PQueue;
  /** A page that takes longer fails. Default: no limit. */
  readonly pageTimeoutMs?: number;
}

/**
 * Pages run in this process: every page not resumed goes through `pageQueue` (one queue for every
 * page of every document of the run). The first failure stops the document's pages that have not
 * started.
 */
export function localPages(local: { readonly recognizer: Recognizer; readonly pageQueue: PQueue; readonly prepLane?: PQueue }): PageRunner {
  return ({ document, input, sha256, resumed }, ctx, log, counter) => {
    const options: LocalPageOptions = {
      recognizer: local.recognizer,
      ...(local.prepLane ? { prepLane: local.prepLane } : {}),
      ...(ctx.pageTimeoutMs !== undefined ? { pageTimeoutMs: ctx.pageTimeoutMs } : {}),
    };
    const textSource = ctx.textSource ?? 'auto';
    return settlePages(document.pageCount, resumed, ctx, (pageNumber, begin) =>
      addTask(local.pageQueue, async () => {
        begin();
        ctx.events.pageStarted(input.documentId, pageNumber);
        const result = await runPage(document, { documentId: input.documentId, sourceUri: input.uri, pageNumber, textSource }, options, log);
        counter.processed++;
        addTimings(ctx.stageMs, result.timings);
        await ctx.checkpoints?.save(input.documentId, sha256, result);
        ctx.events.pageDone(input.documentId, pageNumber, pageMs(result.timings));
        return result;
      }),
      input.documentId,
    );
  };
}

/** A page's time: its stages summed. */
export const pageMs = (timings: StageTimings): number => Object.values(timings).reduce((s: number, v) => s + (v ?? 0), 0);

/**
 * Starts `start(page, begin, failed)` for every page not resumed and settles them. The runner calls
 * `begin()` when the page is about to run: it throws once the document failed (`failed` aborts) or
 * the run is stopping. Resolves with all pages, or rejects with the first real failure (told to the
 * events) or the interruption. Shared by every PageRunner, so a failure means the same wherever pages run.
 */
export async function settlePages(
  pageCount: number,
  resumed: ReadonlyMap<number, PageResult>,
  ctx: PageRunContext,
  start: (pageNumber: number, begin: () => void, failed: AbortSignal) => Promise<PageResult>,
  documentId: string,
): Promise<PageResult[]> {
  const failed = new AbortController();
  const isInterruption = (err: unknown): boolean => classifyError(err).action === 'leave';
  const pageNumbers = Array.from({ length: pageCount }, (_, i) => i + 1);
  const settled = await Promise.allSettled(
    pageNumbers.map((pageNumber) => {
      const saved = resumed.get(pageNumber);
      if (saved) return Promise.resolve(saved);
      const begin = (): void => {
        failed.signal.throwIfAborted();
        if (ctx.signal?.aborted) throw new InterruptedError('the run is stopping', { cause: ctx.signal.reason });
      };
      const job = new Promise<PageResult>((resolve) => resolve(start(pageNumber, begin, failed.signal)));
      return job.catch((err: unknown) => {
        if (!failed.signal.aborted && !isInterruption(err)) {
          const typed = classifyError(err);
          ctx.events.pageFailed(documentId, pageNumber, { stage: typed.stage ?? 'rasterise', reason: typed.message, fault: typed.fault });
          failed.abort(err);
        }
        throw err;
      });
    }),
  );
  const results: PageResult[] = [];
  let interrupted: unknown;
  for (const s of settled) {
    if (s.status === 'fulfilled') results.push(s.value);
    else if (isInterruption(s.reason)) interrupted = s.reason;
  }
  // The first real failure decides; pages skipped because of it rejected with the same error.
  if (failed.signal.aborted) throw failed.signal.reason;
  if (interrupted !== undefined) throw interrupted;
  return results;
}

/**
 * processPage with the per-page time limit: past it the page fails, and stops at its next stage.
 * Also how a queue worker runs a page (src/page-queue/worker.ts).
 */
export async function runPage(document: PageSource, job: PageJob, options: LocalPageOptions, log: Logger): Promise<PageResult> {
  const { pageNumber } = job;
  const lane = options.prepLane;
  const deps = { document, recognizer: options.recognizer, ...(lane ? { prepare: <T>(work: () => Promise<T>) => addTask(lane, work) } : {}) };
  const limit = options.pageTimeoutMs;
  const engine = options.recognizer.engine;
  const warnIfSmall = (result: PageResult): PageResult => {
    const small = engine.smallGlyphs;
    if (small && result.bodyGlyphPx !== undefined && result.bodyGlyphPx > 0 && result.bodyGlyphPx < small.belowPx) {
      log.warn(`page ${pageNumber}: body glyphs of ${result.bodyGlyphPx} px are too small for ${engine.id} to read well; ${small.advice}`, { page: pageNumber, bodyGlyphPx: result.bodyGlyphPx, engine: engine.id, belowPx: small.belowPx });
    }
    return result;
  };
  if (limit === undefined || !Number.isFinite(limit)) return warnIfSmall(await processPage(job, deps));
  const abort = new AbortController();
  let stage: Stage = 'rasterise';
  const work = processPage(job, { ...deps, signal: abort.signal, onStage: (s) => void (stage = s) }).then(warnIfSmall);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // An engine fault (an attempt): see PageTimeoutError for why.
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

/** Adds a page's stage times to a run's. */
export function addTimings(into: StageTimings, from: StageTimings): void {
  for (const [stage, ms] of Object.entries(from) as Array<[keyof StageTimings, number]>) into[stage] = (into[stage] ?? 0) + ms;
}
