/**
 * `newsprint worker`: takes page jobs (./job.ts) from the queue and runs them the way the in-process
 * pool does (src/pipeline/document-pages.ts `runPage`: the same prep lane, the same per-page time
 * limit), then writes each result to its checkpoint slot in the job's output store. A page whose
 * checkpoint is already there is not read again. BullMQ's lock on the job is the heartbeat: a worker
 * killed mid-page stops renewing it, and after `lockDurationMs` another worker takes the page again.
 *
 * What a failure does is decided by its fault (FAULT_POLICY in src/errors.ts): an input fault fails
 * the page at once, engine and bug faults use one of the job's attempts (BullMQ backoff), and
 * infrastructure trouble (the store after its own retries) puts the job back for later without
 * using one, up to INFRASTRUCTURE_PATIENCE times.
 */
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import PQueue from 'p-queue';
import { classifyError, CriticalError, FAULT_POLICY, type Stage } from '../errors.js';
import type { Logger } from '../logger.js';
import { createRecognizer, DEFAULT_ENGINE, type EngineChoice } from '../ocr/engines.js';
import type { Recognizer } from '../ocr/types.js';
import { createCheckpoints, type PageCheckpoints } from '../pipeline/checkpoints.js';
import { pageMs, runPage } from '../pipeline/document-pages.js';
import { pipelineInfo } from '../pipeline/fingerprint.js';
import type { StageTimings } from '../pipeline/page-job.js';
import { loadPdfJs } from '../stages/rasterise/pdfjs-load.js';
import { openStorage, type OpenStorageOptions } from '../storage/location.js';
import type { Storage } from '../storage/types.js';
import { openRedis, QUEUE_PREFIX, queueName, redactedUrl } from './connection.js';
import { encodePageFailure } from './failure.js';
import { parsePageJob, type QueuedPageJob } from './job.js';
import { DocumentSources, type Fetched } from './sources.js';

export const WORKER_DEFAULTS = Object.freeze({ lockDurationMs: 60_000, maxStalledCount: 2 });
/** Times a job is put back for infrastructure trouble before it fails (not counted) anyway. */
const INFRASTRUCTURE_PATIENCE = 10;

export interface PageWorkerOptions {
  /** redis://host:port[/db] */
  readonly queue: string;
  /** OCR workers of this process; it runs one page more than that at once (one preparing). */
  readonly workers: number;
  /** The engine whose queue this worker serves. Default `tesseract`. */
  readonly engine?: EngineChoice;
  readonly logger: Logger;
  /** A recogniser instead of a pool of `engine` (not closed by the worker). */
  readonly recognizer?: Recognizer;
  readonly s3Endpoint?: string;
  readonly forcePathStyle?: boolean;
  /** A job whose worker stops renewing its lock this long is taken again. Default 60 s. */
  readonly lockDurationMs?: number;
  /** How often stalled jobs are looked for. Default: lockDurationMs. */
  readonly stalledIntervalMs?: number;
  /** Worker deaths on one page before it fails (an engine fault). Default 2. */
  readonly maxStalledCount?: number;
  /** Chunk in which PDFs of ranged stores are fetched (src/stages/rasterise/partial-file.ts). */
  readonly rangeChunkBytes?: number;
}

/** What a page job returns to BullMQ: small, the page itself is in its checkpoint. */
export interface PageJobReturn {
  /** The checkpoint was already there: nothing was read. */
  readonly resumed: boolean;
  readonly ms: number;
  readonly timings: StageTimings;
  /**
   * What reading the page fetched from the input's store: the chunks of its own objects for a PDF
   * in a ranged store, the whole file for anything else; the first page read from a document in
   * this process counts its opening too.
   */
  readonly fetched?: Fetched;
}

export interface PageWorker {
  /** Pages done (read and checkpointed) by this process. */
  readonly pagesDone: () => number;
  /** Finishes the pages in flight, takes no new one, then closes everything. */
  close(): Promise<void>;
}

export async function startPageWorker(options: PageWorkerOptions): Promise<PageWorker> {
  const { logger, workers } = options;
  const engine = options.engine ?? DEFAULT_ENGINE;
  const lockDuration = options.lockDurationMs ?? WORKER_DEFAULTS.lockDurationMs;
  const recognizer = options.recognizer ?? createRecognizer(engine, { workers, logger });
  const storageOptions: OpenStorageOptions = {
    ...(options.s3Endpoint ? { endpoint: options.s3Endpoint } : {}),
    ...(options.forcePathStyle !== undefined ? { forcePathStyle: options.forcePathStyle } : {}),
    logger,
  };
  const sources = new DocumentSources(storageOptions, logger, { ...(options.rangeChunkBytes !== undefined ? { chunkBytes: options.rangeChunkBytes } : {}) });
  const outputs = new Map<string, Storage>();
  const prepLane = new PQueue({ concurrency: 1 });
  let pagesDone = 0;

  const checkpointsOf = (job: QueuedPageJob): PageCheckpoints => {
    let storage = outputs.get(job.output);
    if (!storage) {
      storage = openStorage(job.output, storageOptions);
      outputs.set(job.output, storage);
    }
    return createCheckpoints(storage, pipelineInfo(recognizer.engine, workers, job.textSource), logger);
  };

  const run = async (job: QueuedPageJob, log: Logger): Promise<PageJobReturn> => {
    const checkpoints = checkpointsOf(job);
    if (await checkpoints.loadPage(job.documentId, job.source.sha256, job.page)) {
      log.info('page already checkpointed; not read again');
      return { resumed: true, ms: 0, timings: {} };
    }
    const opened = await sources.open(job.source);
    let failed = true;
    try {
      const result = await runPage(
        opened.document,
        { documentId: job.documentId, sourceUri: job.source.uri, pageNumber: job.page, textSource: job.textSource },
        { recognizer, prepLane, ...(job.pageTimeoutMs !== undefined ? { pageTimeoutMs: job.pageTimeoutMs } : {}) },
        log,
      );
      // The checkpoint is the page's only result: not saved, not done.
      await checkpoints.write(job.documentId, job.source.sha256, result);
      pagesDone++;
      failed = false;
      const fetched = opened.takeFetched();
      log.info('page fetched', { ...fetched, of: job.source.bytes });
      return { resumed: false, ms: pageMs(result.timings), timings: result.timings, fetched };
    } finally {
      // A failed page may have left its document unusable (a fetch that failed): it is opened afresh.
      if (failed) opened.discard();
      else opened.release();
    }
  };

  const processor = async (bull: Job, token?: string): Promise<PageJobReturn> => {
    let job: QueuedPageJob;
    try {
      job = parsePageJob(bull.data);
    } catch (err) {
      throw new UnrecoverableError(encodePageFailure(classifyError(err, 'config'), 'config'));
    }
    const log = logger.child({ documentId: job.documentId, page: job.page, jobId: bull.id });
    // A job this worker must not run is nobody's fault of the page's: it fails without counting.
    const refuse = (reason: string): never => {
      log.error('page job refused', { reason });
      throw new UnrecoverableError(encodePageFailure(new CriticalError(reason), 'config'));
    };
    if (job.engine !== engine) refuse(`this worker reads with ${engine}, the job asks for ${job.engine}`);
    const fingerprint = pipelineInfo(recognizer.engine, workers, job.textSource).fingerprint;
    if (fingerprint !== job.fingerprint) {
      refuse(`this worker runs pipeline ${fingerprint.slice(0, 12)}…, the job was queued for ${job.fingerprint.slice(0, 12)}…: run the same newsprint version on submitters and workers`);
    }
    if (job.deadline !== null && Date.parse(job.deadline) < Date.now()) refuse(`the page's deadline ${job.deadline} has passed`);
    log.debug('page job started', { attempt: bull.attemptsMade + 1 });
    try {
      return await run(job, log);
    } catch (err) {
      const typed = classifyError(err, 'open');
      const stage: Stage = typed.stage ?? 'open';
      const policy = FAULT_POLICY[typed.fault];
      log.warn('page failed', { stage, fault: typed.fault, reason: typed.message });
      if (typed.fault === 'infrastructure' && typed.action === 'retry' && bull.attemptsStarted < INFRASTRUCTURE_PATIENCE && token !== undefined) {
        // Not the page's fault: back to the queue for later, without using one of its attempts.
        await bull.moveToDelayed(Date.now() + Math.min(60_000, 1000 * 2 ** bull.attemptsStarted), token);
        throw new DelayedError();
      }
      const message = encodePageFailure(typed, stage);
      throw policy.givenUpAtOnce || !policy.countsAsAttempt ? new UnrecoverableError(message) : new Error(message);
    }
  };

  // Ready before the first job: loading pdf.js blocks the event loop for a moment, and a lock not
  // renewed in time hands the job to another worker; the OCR engine starts meanwhile.
  recognizer.warmUp?.();
  await loadPdfJs();
  const redis: Redis = openRedis(options.queue, logger);
  const worker = new Worker(queueName(engine), processor, {
    connection: redis,
    prefix: QUEUE_PREFIX,
    // As the in-process pool: one page per OCR worker, and one more being prepared.
    concurrency: workers + 1,
    lockDuration,
    stalledInterval: options.stalledIntervalMs ?? lockDuration,
    maxStalledCount: options.maxStalledCount ?? WORKER_DEFAULTS.maxStalledCount,
    autorun: true,
  });
  worker.on('error', (err) => logger.warn('queue worker error', { error: err }));
  logger.info('worker started', { queue: redactedUrl(options.queue), name: queueName(engine), workers, lockDurationMs: lockDuration });

  let closing: Promise<void> | undefined;
  return {
    pagesDone: () => pagesDone,
    close() {
      closing ??= (async () => {
        await worker.close();
        await sources.close();
        await Promise.all([...outputs.values()].map((s) => s.dispose()));
        if (!options.recognizer) await recognizer.close();
        await redis.quit().catch(() => redis.disconnect());
        logger.info('worker stopped', { pagesDone });
      })();
      return closing;
    },
  };
}
