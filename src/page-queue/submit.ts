/**
 * The submitter's side of the queue: a PageRunner (src/pipeline/document-pages.ts) that, instead of
 * running a document's pages in this process, adds one job per page (./job.ts; the job id dedups
 * them across submitters), waits for each to settle, and takes its result from the page's checkpoint
 * (the worker wrote it there). Resumed pages, failures and interruptions mean what they mean in
 * process (settlePages). Events wake the wait; a poll of the job's state is the truth, so a missed
 * event (Redis restarted) only delays it.
 */
import { QueueEvents, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { BugError, InterruptedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PageCheckpoints } from '../pipeline/checkpoints.js';
import { addTimings, settlePages, type PageRunner } from '../pipeline/document-pages.js';
import type { PageResult, TextSourceChoice } from '../pipeline/page-job.js';
import { openQueue, openRedis, pageJobOptions, QUEUE_PREFIX, queueName } from './connection.js';
import { decodePageFailure } from './failure.js';
import { DEFAULT_ENGINE, PAGE_JOB_SCHEMA, pageJobId, type QueuedPageJob } from './job.js';
import type { PageJobReturn } from './worker.js';

export const SUBMIT_DEFAULTS = Object.freeze({ backoffMs: 5000, pollMs: 10_000 });
/** A page that completes this often without a checkpoint to show for it is a bug, not bad luck. */
const MAX_ROUNDS = 3;

export interface PageSubmitterOptions {
  /** redis://host:port[/db] */
  readonly queue: string;
  readonly engine?: string;
  /** Output location (as given to the run): the workers write the pages' checkpoints there. */
  readonly output: string;
  /** Pipeline fingerprint the pages are made for. */
  readonly fingerprint: string;
  readonly textSource: TextSourceChoice;
  /** Tries of a page (engine and bug faults). */
  readonly maxAttempts: number;
  /** First backoff between tries, ms; doubles each try. Default 5 s. */
  readonly backoffMs?: number;
  /** Each waiting page's state is read at least this often, ms (events wake it sooner). Default 10 s. */
  readonly pollMs?: number;
  readonly logger: Logger;
}

export class PageSubmitter {
  private readonly wakers = new Map<string, Set<() => void>>();

  private constructor(
    private readonly options: PageSubmitterOptions,
    readonly redis: Redis,
    readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly eventsRedis: Redis,
  ) {
    for (const name of ['active', 'completed', 'failed', 'removed', 'stalled', 'waiting'] as const) {
      events.on(name, ({ jobId }: { jobId: string }) => this.wake(jobId));
    }
    events.on('error', (err) => options.logger.debug('queue events error', { error: err }));
  }

  static async open(options: PageSubmitterOptions): Promise<PageSubmitter> {
    const redis = openRedis(options.queue, options.logger);
    const queue = openQueue(redis, options.engine);
    // QueueEvents blocks its connection reading the event stream: one of its own.
    const eventsRedis = openRedis(options.queue, options.logger);
    const events = new QueueEvents(queueName(options.engine), { connection: eventsRedis, prefix: QUEUE_PREFIX });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new PageSubmitter(options, redis, queue, events, eventsRedis);
  }

  /** The PageRunner of a run or ingest: needs the context's checkpoints (the workers' results). */
  runner(): PageRunner {
    return ({ document, input, sha256, bytes, resumed }, ctx, log, counter) => {
      const checkpoints = ctx.checkpoints;
      if (!checkpoints) throw new BugError('pages through the queue need the checkpoints they come back in');
      return settlePages(
        document.pageCount,
        resumed,
        ctx,
        async (page, begin, failed) => {
          begin();
          const job: QueuedPageJob = {
            schema: PAGE_JOB_SCHEMA,
            documentId: input.documentId,
            source: { uri: input.uri, sha256, ...(input.etag !== undefined ? { etag: input.etag } : {}), bytes },
            page,
            textSource: this.options.textSource,
            engine: this.options.engine ?? DEFAULT_ENGINE,
            fingerprint: this.options.fingerprint,
            output: this.options.output,
            attempt: 1,
            ...(ctx.pageTimeoutMs !== undefined && Number.isFinite(ctx.pageTimeoutMs) ? { pageTimeoutMs: ctx.pageTimeoutMs } : {}),
            deadline: null,
          };
          const done = await this.runJob(job, checkpoints, { failed, ...(ctx.signal ? { runStop: ctx.signal } : {}) }, () => ctx.events.pageStarted(input.documentId, page), log);
          if (!done.resumed) counter.processed++;
          addTimings(ctx.stageMs, done.timings);
          ctx.events.pageDone(input.documentId, page, done.ms);
          return done.result;
        },
        input.documentId,
      );
    };
  }

  async close(): Promise<void> {
    await this.events.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    for (const redis of [this.eventsRedis, this.redis]) await redis.quit().catch(() => redis.disconnect());
  }

  /** Queues one page (or finds it queued, or done) and waits until its checkpoint is there. */
  private async runJob(
    job: QueuedPageJob,
    checkpoints: PageCheckpoints,
    stop: Stops,
    onActive: () => void,
    log: Logger,
  ): Promise<PageJobReturn & { readonly result: PageResult }> {
    const id = pageJobId(job);
    const checkpoint = (): Promise<PageResult | null> => checkpoints.loadPage(job.documentId, job.source.sha256, job.page);
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const before = await this.queue.getJobState(id);
      if (before === 'completed') {
        const saved = await checkpoint();
        if (saved) return { resumed: true, ms: 0, timings: {}, result: saved };
      }
      // A settled job of an earlier submit (its checkpoint gone, or it failed then): this is a new try.
      if (before === 'completed' || before === 'failed') await this.queue.remove(id);
      await this.queue.add('page', job, { ...pageJobOptions(this.options.maxAttempts, this.options.backoffMs ?? SUBMIT_DEFAULTS.backoffMs), jobId: id });
      let state: string;
      try {
        state = await this.settled(id, stop, onActive);
      } catch (err) {
        // The document failed or the run is stopping: a page nobody started yet is taken back.
        await this.queue.remove(id).catch(() => undefined);
        throw err;
      }
      if (state === 'unknown') {
        log.warn('a queued page vanished from the queue; queueing it again', { page: job.page, jobId: id });
        continue;
      }
      const settled = await this.queue.getJob(id);
      if (state === 'failed') throw decodePageFailure(settled?.failedReason, job.page);
      const saved = await checkpoint();
      if (saved) {
        const returned = (settled?.returnvalue ?? {}) as Partial<PageJobReturn>;
        return { resumed: returned.resumed ?? false, ms: returned.ms ?? 0, timings: returned.timings ?? {}, result: saved };
      }
      log.warn('a page completed without its checkpoint; queueing it again', { page: job.page, jobId: id });
    }
    throw new BugError(`page ${job.page} completed ${MAX_ROUNDS} times without a checkpoint under ${job.output}`, { stage: 'storage' });
  }

  /** Waits for the job's final state ('completed', 'failed' or 'unknown'); tells `onActive` once. */
  private async settled(id: string, stop: Stops, onActive: () => void): Promise<string> {
    let told = false;
    for (;;) {
      // As a page in process: the document's first failure, or the run stopping (pages in flight finish).
      if (stop.failed.aborted) throw stop.failed.reason;
      if (stop.runStop?.aborted) throw new InterruptedError('the run is stopping', { cause: stop.runStop.reason });
      const state = await this.queue.getJobState(id);
      if (state === 'active' && !told) {
        told = true;
        onActive();
      }
      if (state === 'completed' || state === 'failed' || state === 'unknown') return state;
      await this.nextWake(id, stop);
    }
  }

  private nextWake(id: string, stops: Stops): Promise<void> {
    const stop = stops.runStop ? AbortSignal.any([stops.failed, stops.runStop]) : stops.failed;
    return new Promise<void>((resolve) => {
      const wakers = this.wakers.get(id) ?? new Set<() => void>();
      this.wakers.set(id, wakers);
      const done = (): void => {
        clearTimeout(timer);
        stop.removeEventListener('abort', done);
        wakers.delete(done);
        if (wakers.size === 0) this.wakers.delete(id);
        resolve();
      };
      const timer = setTimeout(done, this.options.pollMs ?? SUBMIT_DEFAULTS.pollMs);
      stop.addEventListener('abort', done, { once: true });
      wakers.add(done);
    });
  }

  private wake(id: string): void {
    for (const done of [...(this.wakers.get(id) ?? [])]) done();
  }
}

/** What ends a wait: the document's first failure, the run stopping. */
interface Stops {
  readonly failed: AbortSignal;
  readonly runStop?: AbortSignal;
}
