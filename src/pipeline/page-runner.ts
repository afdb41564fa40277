/**
 * Where a run's pages run, for `ingest` and the nightly run alike: a tesseract pool in this process
 * (the default), or the queue's workers on any number of machines (`--queue`, src/page-queue/).
 * Either way the documents are fed, opened, assembled and published here.
 */
import type { Logger } from '../logger.js';
import { createRecognizer, type EngineChoice } from '../ocr/engines.js';
import type { Recognizer } from '../ocr/types.js';
import type { PipelineJson } from '../output/types.js';
import type { DocumentClaims } from '../page-queue/claims.js';
import { openQueuedPages, type QueueOptions } from '../page-queue/queued-run.js';
import type { Storage } from '../storage/types.js';
import { createCheckpoints, type PageCheckpoints } from './checkpoints.js';
import { localPages, type PageRunner } from './document-pages.js';
import { pageLanes, type FeedOptions } from './page-lanes.js';
import type { TextSourceChoice } from './page-job.js';

export interface RunPages {
  readonly runPages: PageRunner;
  /** Where finished pages are kept (always through the queue: the pages come back in them). */
  readonly checkpoints?: PageCheckpoints;
  /** How documents are fed (feedDocuments' options). */
  readonly feed: Omit<FeedOptions, 'signal'>;
  /** Through the queue: the claims that make one submitter the publisher of a document. */
  readonly claims?: DocumentClaims;
  close(): Promise<void>;
}

export interface RunPagesOptions {
  readonly queue?: QueueOptions;
  /** A recogniser to use instead of a fresh pool of `engine` (not closed here). */
  readonly recognizer?: Recognizer;
  /** The engine that reads the pages: a pool of it here, or its queue's workers. */
  readonly engine: EngineChoice;
  readonly workers: number;
  readonly output: Storage;
  readonly pipeline: PipelineJson;
  readonly textSource: TextSourceChoice;
  /** Keep finished pages in checkpoints also in this process (the nightly run does). */
  readonly checkpoints: boolean;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

export async function openRunPages(o: RunPagesOptions): Promise<RunPages> {
  if (o.queue) {
    const queued = await openQueuedPages(o.queue, { engine: o.engine, output: o.output, outputLocation: o.output.location, pipeline: o.pipeline, textSource: o.textSource, logger: o.logger, ...(o.signal ? { signal: o.signal } : {}) });
    return { runPages: queued.runPages, checkpoints: queued.checkpoints, feed: { workers: queued.documentsInFlight }, claims: queued.claims, close: () => queued.close() };
  }
  const recognizer = o.recognizer ?? createRecognizer(o.engine, { workers: o.workers, logger: o.logger });
  const ownPool = o.recognizer ? undefined : recognizer;
  const { pageQueue, prepLane } = pageLanes(o.workers);
  return {
    runPages: localPages({ recognizer, pageQueue, prepLane }),
    ...(o.checkpoints ? { checkpoints: createCheckpoints(o.output, o.pipeline, o.logger) } : {}),
    feed: { pageQueue, workers: o.workers },
    close: async () => {
      await ownPool?.close().catch(() => undefined);
    },
  };
}
