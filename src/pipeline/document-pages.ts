/**
 * A document's pages through the run's shared page queue: resumed pages from checkpoints, the rest
 * processed with the per-page time limit, checkpointed as they finish, and told to the events.
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
import { processPage, type PageResult, type StageTimings, type TextSourceChoice } from './page-job.js';

export interface PageRunContext {
  readonly recognizer: Recognizer;
  /** One queue for every page of every document of the run. */
  readonly pageQueue: PQueue;
  /** Pages in flight prepare (rasterise, preprocess, layout) one at a time here. Default: no lane. */
  readonly prepLane?: PQueue;
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

/**
 * Every page not resumed goes through the page queue. The first failure stops the document's
 * pages that have not started; the call returns only when none of its pages is running any more.
 */
export async function runPages(
  document: PageSource,
  input: InputDocument,
  sha256: string,
  resumed: ReadonlyMap<number, PageResult>,
  ctx: PageRunContext,
  log: Logger,
  counter: { processed: number },
): Promise<PageResult[]> {
  const failed = new AbortController();
  const isInterruption = (err: unknown): boolean => classifyError(err).action === 'leave';
  const pageNumbers = Array.from({ length: document.pageCount }, (_, i) => i + 1);
  const settled = await Promise.allSettled(
    pageNumbers.map((pageNumber) => {
      const saved = resumed.get(pageNumber);
      if (saved) return Promise.resolve(saved);
      const job = addTask(ctx.pageQueue, async () => {
        failed.signal.throwIfAborted();
        if (ctx.signal?.aborted) throw new InterruptedError('the run is stopping', { cause: ctx.signal.reason });
        ctx.events.pageStarted(input.documentId, pageNumber);
        const result = await runPage(document, input, pageNumber, ctx, log);
        counter.processed++;
        addTimings(ctx.stageMs, result.timings);
        await ctx.checkpoints?.save(input.documentId, sha256, result);
        ctx.events.pageDone(input.documentId, pageNumber, Object.values(result.timings).reduce((s, v) => s + (v ?? 0), 0));
        return result;
      });
      return job.catch((err: unknown) => {
        if (!failed.signal.aborted && !isInterruption(err)) {
          const typed = classifyError(err);
          ctx.events.pageFailed(input.documentId, pageNumber, { stage: typed.stage ?? 'rasterise', reason: typed.message, fault: typed.fault });
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

/** processPage with the per-page time limit: past it the page fails, and stops at its next stage. */
async function runPage(document: PageSource, input: InputDocument, pageNumber: number, ctx: PageRunContext, log: Logger): Promise<PageResult> {
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

function addTimings(into: StageTimings, from: StageTimings): void {
  for (const [stage, ms] of Object.entries(from) as Array<[keyof StageTimings, number]>) into[stage] = (into[stage] ?? 0) + ms;
}
